import type { ChatDeps } from "./deps";

type Deps = Pick<ChatDeps, "content">;

/**
 * The content checks of the conversation and profile rules, one function per
 * kind of text (scene: names 1, titles and announcements 3). Each resolves
 * when the text may be stored and throws `content_rejected` or `unavailable`
 * (AppError) otherwise; call it before the store is touched.
 */
export function requireAcceptableTitle(deps: Deps, userId: string, title: string, conversationId?: string) {
  return deps.content.require({ kind: "title", text: title, userId, ...(conversationId ? { conversationId } : {}) });
}

/** For `PATCH /v1/conversations/:id { announcement }` (the groups branch calls it before storing). */
export function requireAcceptableAnnouncement(deps: Deps, userId: string, conversationId: string, text: string) {
  return deps.content.require({ kind: "announcement", text, userId, conversationId });
}

export function requireAcceptableName(deps: Deps, userId: string, name: string) {
  return deps.content.require({ kind: "name", text: name, userId });
}

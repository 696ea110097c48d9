import type { Message, RecallBody, RecalledBy } from "@mpchat/protocol";
import { badRequest, forbidden, notFound } from "../app-error";
import type { Store } from "../store/store";

type RecallStore = Pick<Store, "findMessage" | "findRecallOf" | "getConversation">;

/** What a recall request turns into: a recall body to store, or the first recall of that message (a repeat). */
export type RecallPlan =
  | { kind: "store"; body: RecallBody & { by: RecalledBy }; original: Message }
  | { kind: "repeat"; first: Message };

/** Who manages a group (owner and admins, from the groups rules); nobody in a direct conversation. */
export interface GroupRoles {
  ownerId?: string;
  adminIds?: readonly string[];
}

export function managesGroup(roles: GroupRoles, userId: string): boolean {
  return roles.ownerId === userId || (roles.adminIds?.includes(userId) ?? false);
}

/**
 * The recall rules (PROTOCOL.md "Recall is a message", "Details … Recall."):
 * - an unknown `messageId`, or one of another conversation: `not_found`;
 * - a `system` or `recall` target: `bad_request` (so is a `recalled` one that no
 *   recall message names, which only a repair could make);
 * - the sender may recall within `windowMs` of the original's createdAt, the
 *   group's owner and admins at any time; anyone else: `forbidden`;
 * - a message already recalled answers with its first recall (whoever may recall
 *   it), so a client's retry with another clientMsgId gets the ack as stored.
 * The appender re-checks "recalled once" in its transaction (a unique key on the
 * target), so two recalls racing each other also end as one.
 */
export async function planRecall(
  store: RecallStore,
  recallerId: string,
  conversationId: string,
  body: RecallBody,
  options: { windowMs: number; now: number },
): Promise<RecallPlan> {
  const original = await store.findMessage(body.messageId);
  if (original?.conversationId !== conversationId) {
    throw notFound("messageId: no such message in this conversation");
  }
  const kind = original.body.kind;
  refuseUnrecallable(kind);
  const conversation = await store.getConversation(conversationId);
  if (!conversation) throw notFound("conversation not found");
  const own = original.senderId === recallerId;
  const manager = managesGroup(conversation, recallerId);
  if (!own && !manager) throw forbidden("only its sender, the group's owner or an admin may recall a message");
  if (kind === "recalled") {
    const first = await store.findRecallOf(original.id);
    if (!first) throw badRequest("messageId: the message is already recalled");
    return { kind: "repeat", first };
  }
  if (!manager && options.now - original.createdAt > options.windowMs) {
    throw forbidden(`a message can be recalled within ${options.windowMs} ms of sending it`);
  }
  return { kind: "store", body: { kind: "recall", messageId: original.id, by: own ? "sender" : "admin" }, original };
}

/** Kinds nobody recalls: a recall, a system message (`bad_request`). */
const UNRECALLABLE: ReadonlySet<string> = new Set(["recall", "system"]);
export function refuseUnrecallable(kind: string): void {
  if (UNRECALLABLE.has(kind)) throw badRequest(`messageId: a ${kind} message cannot be recalled`);
}

/** The media a body names (deleted at once when its message is recalled). */
export function mediaOf(message: Message): string | undefined {
  const body = message.body;
  return body.kind === "image" || body.kind === "voice" || body.kind === "file" ? body.mediaId : undefined;
}

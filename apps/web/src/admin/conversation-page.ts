import type { AdminConversation, AdminConversationMember } from "@mpchat/protocol";
import { el } from "../chat/dom";
import type { AdminApi } from "./api";
import { renderLookup } from "./lookup-page";
import type { AdminStrings } from "./strings";

function time(ms: number): string {
  return new Date(ms).toLocaleString();
}

/** The `#conversations/<id>` link of a conversation (the user page and the reports queue use it). */
export function conversationLink(id: string, text: string = id): HTMLAnchorElement {
  return el("a", { class: "conversation-link", href: `#conversations/${encodeURIComponent(id)}` }, text);
}

/**
 * The conversation page: look one up by id; its facts, members with their roles, and
 * moderation (remove a member, dissolve a group), each with a reason and a second
 * click to confirm, since neither can be undone.
 */
export function renderConversation(root: Element, t: AdminStrings, api: AdminApi, initialId: string | undefined): void {
  const c = t.conversations;
  renderLookup(
    root,
    {
      name: "conversationId",
      placeholder: c.conversationId,
      button: c.lookup,
      notFound: c.notFound,
      error: t.error,
      route: "conversations",
      resultClass: "conversation-result",
      load: async (id, again, notice) => card(t, api, (await api.conversation(id)).conversation, notice, again),
    },
    initialId,
  );
}

function card(
  t: AdminStrings,
  api: AdminApi,
  conversation: AdminConversation,
  notice: string,
  refresh: (notice: string) => void,
): HTMLElement {
  const c = t.conversations;
  const error = el("div", { class: "error", role: "alert" });
  const reason = el("input", { class: "field", name: "reason", placeholder: c.reason, maxlength: 500 });
  const givenReason = (): string | undefined => {
    const text = reason.value.trim();
    if (!text) error.textContent = c.reasonRequired;
    return text || undefined;
  };
  const failed = (e: unknown) => {
    error.textContent = `${t.error}: ${String((e as Error).message)}`;
  };
  const group = conversation.kind === "group";
  const facts: [string, string][] = [
    [c.memberCount, String(conversation.memberCount)],
    [c.lastSeq, String(conversation.lastSeq)],
    [c.lastActivity, time(conversation.lastActivityAt)],
    [c.createdAt, time(conversation.createdAt)],
  ];
  const rows = conversation.members.map((member) =>
    memberRow(t, member, group && !conversation.dissolved, (button) => {
      const text = givenReason();
      if (!text) return;
      if (button.dataset.confirm !== "true") {
        button.dataset.confirm = "true";
        button.textContent = c.confirmRemove;
        return;
      }
      button.disabled = true;
      api.removeMember(conversation.id, member.user.id, text).then(() => refresh(c.removed(member.user.name)), failed);
    }),
  );
  const moderation = group
    ? dissolveBlock(t, conversation, reason, error, () => {
        const text = givenReason();
        if (!text) return undefined;
        return api.dissolve(conversation.id, text).then(() => refresh(c.dissolvedNow), failed);
      })
    : el("p", { class: "muted" }, c.directNote);
  return el(
    "section",
    { class: "card conversation-card", "data-conversation": conversation.id },
    el(
      "h2",
      {},
      conversation.title || conversation.id,
      el("span", { class: "kind-tag" }, group ? c.group : c.direct),
      conversation.dissolved && el("span", { class: "kind-tag dissolved", "data-dissolved": "true" }, c.dissolved),
    ),
    el("code", { class: "muted" }, conversation.id),
    conversation.announcement && el("p", { class: "announcement" }, conversation.announcement),
    el("dl", { class: "facts" }, ...facts.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)])),
    notice && el("div", { class: "notice", role: "status" }, notice),
    el("h3", {}, `${c.members}（${conversation.members.length}）`),
    rows.length === 0
      ? el("p", { class: "muted" }, c.noMembers)
      : el("table", { class: "members" }, el("tbody", {}, ...rows)),
    group && !conversation.dissolved && el("h3", {}, c.moderation),
    group && !conversation.dissolved && reason,
    moderation,
    error,
  );
}

function memberRow(
  t: AdminStrings,
  member: AdminConversationMember,
  removable: boolean,
  onRemove: (button: HTMLButtonElement) => void,
): HTMLElement {
  const c = t.conversations;
  const remove = el("button", { class: "secondary", type: "button", name: "remove" }, c.remove);
  remove.addEventListener("click", () => onRemove(remove));
  return el(
    "tr",
    { "data-member": member.user.id, "data-role": member.role },
    el("td", {}, member.user.name),
    el("td", {}, el("a", { href: `#users/${encodeURIComponent(member.user.id)}` }, el("code", {}, member.user.id))),
    el("td", {}, el("span", { class: `role role-${member.role}` }, c[member.role])),
    el("td", { class: "muted" }, member.mutedUntil === undefined ? "" : c.mutedUntil(time(member.mutedUntil))),
    el("td", { class: "actions" }, removable && remove),
  );
}

/** "解散群…" opens the warning and the confirm button; nothing is sent before the second click. */
function dissolveBlock(
  t: AdminStrings,
  conversation: AdminConversation,
  reason: HTMLInputElement,
  error: HTMLElement,
  dissolve: () => Promise<void> | undefined,
): HTMLElement | false {
  if (conversation.dissolved) return false;
  const c = t.conversations;
  const confirm = el("button", { class: "danger", type: "button", name: "confirmDissolve" }, c.confirmDissolve);
  const warning = el(
    "div",
    { class: "dissolve-confirm", hidden: true },
    el("p", {}, c.dissolveWarning),
    confirm,
    el("button", { class: "link", type: "button", onclick: () => (warning.hidden = true) }, c.cancel),
  );
  confirm.addEventListener("click", () => {
    confirm.disabled = true;
    const pending = dissolve();
    if (!pending) confirm.disabled = false;
    else pending.finally(() => (confirm.disabled = false));
  });
  const open = el("button", { class: "danger", type: "button", name: "dissolve" }, c.dissolve);
  open.addEventListener("click", () => {
    error.textContent = "";
    if (!reason.value.trim()) {
      error.textContent = c.reasonRequired;
      return;
    }
    warning.hidden = false;
  });
  return el("div", { class: "dissolve" }, open, warning);
}

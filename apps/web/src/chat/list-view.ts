import type { Conversation } from "@mpchat/client";
import { avatar } from "./avatar";
import type { ChatContext } from "./context";
import { el, replaceChildren } from "./dom";
import { bodyPreview, shortTime } from "./format";
import { errorText } from "./strings";

export interface ListActions {
  select(conversationId: string): void;
}

/** One row of the conversation list. */
function row(ctx: ChatContext, conversation: Conversation, selected: boolean, actions: ListActions): HTMLElement {
  const { t } = ctx;
  const title = ctx.titleOf(conversation);
  const peer = ctx.peerOf(conversation);
  const last = conversation.lastMessage;
  const preview = last
    ? `${conversation.kind === "group" && last.senderId !== ctx.me.id ? `${ctx.nameOf(last.senderId)}: ` : ""}${bodyPreview(t, last.body)}`
    : t.list.noMessages;
  const unread = conversation.unread > 99 ? t.list.unreadOverflow : String(conversation.unread);
  return el(
    "li",
    {},
    el(
      "button",
      {
        class: `conversation${selected ? " selected" : ""}`,
        type: "button",
        "data-id": conversation.id,
        "aria-current": selected ? "true" : undefined,
        onclick: () => actions.select(conversation.id),
      },
      avatar(ctx.media, peer ?? conversation.title, title, peer ? ctx.client.users.get(peer) : undefined),
      el(
        "span",
        { class: "conversation-text" },
        el(
          "span",
          { class: "conversation-top" },
          el("span", { class: "conversation-title" }, title),
          conversation.kind === "group" && el("span", { class: "tag" }, t.list.groupTag),
          el("span", { class: "conversation-time" }, last ? shortTime(t, last.createdAt) : ""),
        ),
        el(
          "span",
          { class: "conversation-bottom" },
          el("span", { class: "conversation-preview" }, preview),
          conversation.unread > 0 && el("span", { class: "badge" }, unread),
        ),
      ),
    ),
  );
}

export function renderList(
  list: HTMLElement,
  ctx: ChatContext,
  selectedId: string | undefined,
  actions: ListActions,
): void {
  const conversations = ctx.client.conversations();
  if (conversations.length === 0) {
    replaceChildren(list, el("li", { class: "empty" }, ctx.t.list.empty));
    return;
  }
  replaceChildren(list, ...conversations.map((c) => row(ctx, c, c.id === selectedId, actions)));
}

/** The two forms over the list: a direct chat by user id, a group by title and member ids. */
export function newChatForms(ctx: ChatContext, actions: ListActions): HTMLElement {
  const { t } = ctx;
  const error = el("div", { class: "error", role: "alert" });
  const run = (work: () => Promise<Conversation>, form: HTMLFormElement) => {
    error.textContent = "";
    work().then(
      (conversation) => {
        form.reset();
        actions.select(conversation.id);
      },
      (failure: unknown) => {
        error.textContent = `${t.list.createFailed}: ${errorText(t, failure)}`;
      },
    );
  };
  const peer = el("input", { class: "field", name: "peerId", placeholder: t.list.peerId, maxlength: 64 });
  const direct = el(
    "form",
    {
      class: "new-direct",
      onsubmit: (event: Event) => {
        event.preventDefault();
        const id = peer.value.trim();
        if (id) run(() => ctx.client.createDirect(id), direct);
      },
    },
    peer,
    el("button", { type: "submit", class: "small" }, t.list.startDirect),
  );
  const title = el("input", { class: "field", name: "groupTitle", placeholder: t.list.groupTitle, maxlength: 64 });
  const members = el("input", { class: "field", name: "groupMembers", placeholder: t.list.groupMembers });
  const group = el(
    "form",
    {
      class: "new-group",
      onsubmit: (event: Event) => {
        event.preventDefault();
        const ids = members.value.split(/[\s,，]+/).filter((id) => id !== "");
        if (title.value.trim()) run(() => ctx.client.createGroup(title.value.trim(), ids), group);
      },
    },
    title,
    members,
    el("button", { type: "submit", class: "small" }, t.list.create),
  );
  return el(
    "div",
    { class: "new-chat" },
    direct,
    el("details", {}, el("summary", {}, t.list.createGroup), group),
    error,
  );
}

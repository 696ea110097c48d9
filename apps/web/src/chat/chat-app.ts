import {
  ChatClient,
  type Conversation,
  localStorageAdapter,
  type StateEvent,
  type WebSocketConstructor,
  webSocketTransport,
} from "@mpchat/client";
import { ChatPane } from "./chat-pane";
import type { ChatContext } from "./context";
import { el, replaceChildren } from "./dom";
import { newChatForms, renderList } from "./list-view";
import { WebMedia } from "./media";
import { http, type Session, server } from "./session";
import type { Strings } from "./strings";

/**
 * The page once logged in: the conversation list on the left, the open chat on the right, both
 * redrawn from the client's state when one of its events says it changed. No rule of the chat
 * lives here: what the server refuses comes back as a failed send or a failed call.
 */
export function startChat(root: Element, t: Strings, session: Session, onLogout: () => void, onLanguage: () => void) {
  const client = new ChatClient({
    url: server.ws,
    httpBase: server.http,
    token: session.token,
    // The browser's WebSocket has the shape the adapter uses; its DOM event types are richer.
    transport: webSocketTransport(WebSocket as unknown as WebSocketConstructor),
    http,
    // Synchronous, per user: a message is in the outbox before the network is tried, and a reload
    // (or the browser coming back online) sends it once.
    storage: localStorageAdapter(localStorage),
    storageKey: `mpchat:outbox:${session.user.id}`,
  });
  const me = session.user;
  const ctx: ChatContext = {
    client,
    t,
    me,
    media: new WebMedia(session),
    nameOf: (userId) => (userId === me.id ? me.name || me.id : client.users.get(userId)?.name || userId),
    peerOf: (conversation: Conversation) =>
      conversation.kind === "direct" ? (conversation.memberIds.find((id) => id !== me.id) ?? me.id) : undefined,
    titleOf: (conversation: Conversation) => {
      const peer = ctx.peerOf(conversation);
      return peer ? ctx.nameOf(peer) : conversation.title;
    },
  };

  const pane = new ChatPane(ctx);
  const list = el("ul", { class: "conversations" });
  const banner = el("div", { class: "banner", role: "status", hidden: true });
  const select = (conversationId: string) => {
    location.hash = `#/c/${encodeURIComponent(conversationId)}`;
  };
  const actions = { select };
  const redrawList = () => renderList(list, ctx, pane.openId, actions);
  const openFromHash = () => {
    const match = /^#\/c\/(.+)$/.exec(location.hash);
    pane.show(match?.[1] ? decodeURIComponent(match[1]) : undefined);
    redrawList();
  };

  // The session ends on the server first (its tokens refused everywhere); offline, the tab forgets it anyway.
  const logout = () => {
    client
      .logout()
      .catch(() => undefined)
      .finally(onLogout);
  };
  replaceChildren(
    root,
    el(
      "div",
      { class: "layout" },
      el(
        "aside",
        { class: "sidebar" },
        el(
          "header",
          { class: "sidebar-header" },
          el("span", { class: "brand" }, t.appName),
          el("span", { class: "me", "data-user-id": me.id }, t.list.me(ctx.nameOf(me.id))),
          el("button", { class: "link", type: "button", onclick: onLanguage }, t.language),
          el("button", { class: "link", type: "button", onclick: logout }, t.list.logout),
        ),
        banner,
        newChatForms(ctx, actions),
        list,
      ),
      pane.root,
    ),
  );

  const showState = ({ state, reason }: StateEvent) => {
    banner.hidden = state === "online";
    banner.dataset.state = state;
    banner.dataset.reason = reason ?? "";
    banner.textContent =
      state === "connecting"
        ? t.connection.connecting
        : reason === "banned"
          ? t.connection.banned
          : reason === "unauthorized" || reason === "replaced"
            ? t.connection.stopped
            : t.connection.offline;
    document.body.dataset.connection = state;
  };
  const refreshPane = (conversationId: string) => {
    if (conversationId === pane.openId) pane.refresh();
  };
  const resolveMembers = () => {
    const ids = new Set(client.conversations().flatMap((c) => c.memberIds));
    client.users.resolve([...ids]).then(
      () => {
        redrawList();
        if (pane.openId) pane.refresh();
      },
      () => undefined,
    );
  };

  client.on("state", showState);
  client.on("conversation", (conversation) => {
    redrawList();
    refreshPane(conversation.id);
    if (conversation.memberIds.some((id) => id !== me.id && !client.users.get(id))) resolveMembers();
  });
  client.on("message", (message) => {
    redrawList();
    refreshPane(message.conversationId);
  });
  client.on("outbox", () => {
    redrawList();
    if (pane.openId) pane.refresh();
  });
  client.on("user", () => {
    redrawList();
    if (pane.openId) pane.refresh();
  });
  client.on("presence", () => {
    if (pane.openId) pane.refresh();
  });
  client.on("typing", ({ conversationId, userId }) => {
    if (conversationId === pane.openId && userId !== me.id) pane.showTyping(userId);
  });
  client.on("conversationRemoved", ({ conversationId, reason }) => {
    if (conversationId === pane.openId) {
      // Not `location.hash =`: that would route again and draw the placeholder over the notice.
      history.replaceState(null, "", "#");
      pane.showRemoved(reason);
    }
    redrawList();
  });
  client.on("unauthorized", () => onLogout());
  window.addEventListener("hashchange", openFromHash);
  document.addEventListener("visibilitychange", () => pane.markRead());
  // The browser knows before the socket does: while it says the network is gone, the socket is
  // closed (sends wait in the outbox); when it is back, reconnect at once instead of after the backoff.
  window.addEventListener("offline", () => client.suspend());
  window.addEventListener("online", () => client.resume());

  showState({ state: "connecting" });
  openFromHash();
  client.connect();
}

import type { AdminConversationSummary, AdminUserResponse } from "@mpchat/protocol";
import { el } from "../chat/dom";
import type { AdminApi } from "./api";
import { conversationLink } from "./conversation-page";
import { renderLookup } from "./lookup-page";
import type { AdminStrings } from "./strings";

function time(ms: number): string {
  return new Date(ms).toLocaleString();
}

/** The user page: look a user up by id, see their conversations and ban, ban or lift the ban. */
export function renderUsers(root: Element, t: AdminStrings, api: AdminApi, initialId: string | undefined): void {
  const u = t.users;
  renderLookup(
    root,
    {
      name: "userId",
      placeholder: u.userId,
      button: u.lookup,
      notFound: u.notFound,
      error: t.error,
      route: "users",
      resultClass: "user-result",
      load: async (id, again) => {
        const [answer, { conversations }] = await Promise.all([api.user(id), api.userConversations(id)]);
        return userCard(t, api, answer, conversations, () => again());
      },
    },
    initialId,
  );
}

function userCard(
  t: AdminStrings,
  api: AdminApi,
  answer: AdminUserResponse,
  conversations: readonly AdminConversationSummary[],
  refresh: () => void,
): HTMLElement {
  const { user, ban } = answer;
  const error = el("div", { class: "error", role: "alert" });
  const status = ban
    ? el(
        "div",
        { class: "ban-status banned", "data-banned": "true" },
        `${t.users.banned} · ${t.users.reason}：${ban.reason} · ${t.users.until}：${ban.untilMs === undefined ? t.users.forever : time(ban.untilMs)}`,
      )
    : el("div", { class: "ban-status", "data-banned": "false" }, t.users.notBanned);
  let action: HTMLElement;
  if (ban) {
    action = el(
      "button",
      {
        class: "secondary",
        name: "unban",
        onclick: () =>
          api.unban(user.id).then(refresh, (e: unknown) => (error.textContent = String((e as Error).message))),
      },
      t.users.unban,
    );
  } else {
    const reason = el("input", { class: "field", name: "reason", placeholder: t.users.reason, maxlength: 500 });
    const duration = el(
      "select",
      { class: "field", name: "duration" },
      ...Object.entries(t.users.durations).map(([ms, label]) => el("option", { value: ms }, label)),
    );
    duration.value = "86400000";
    action = el(
      "form",
      {
        class: "ban-form",
        onsubmit: (event: Event) => {
          event.preventDefault();
          if (!reason.value.trim()) {
            error.textContent = t.users.reasonRequired;
            return;
          }
          const ms = Number(duration.value);
          api
            .ban(user.id, reason.value.trim(), ms > 0 ? Date.now() + ms : undefined)
            .then(refresh, (e: unknown) => (error.textContent = String((e as Error).message)));
        },
      },
      reason,
      duration,
      el("button", { class: "danger", type: "submit", name: "ban" }, t.users.ban),
    );
  }
  return el(
    "section",
    { class: "card user-card" },
    el("h2", {}, user.name, el("span", { class: "muted" }, ` ${user.id}`)),
    status,
    el("h3", {}, `${t.users.conversations}（${conversations.length}）`),
    conversations.length === 0
      ? el("p", { class: "muted" }, t.users.none)
      : el("ul", { class: "conversation-ids" }, ...conversations.map((c) => conversationItem(t, c))),
    action,
    error,
  );
}

/** One of the user's conversations: its title (a link to its page), kind, size and last activity. */
function conversationItem(t: AdminStrings, summary: AdminConversationSummary): HTMLElement {
  const c = t.conversations;
  return el(
    "li",
    { "data-conversation": summary.id },
    conversationLink(summary.id, summary.title || summary.id),
    el(
      "span",
      { class: "muted" },
      ` · ${summary.kind === "group" ? c.group : c.direct} · ${c.people(summary.memberCount)} · ${time(summary.lastActivityAt)}`,
      summary.dissolved ? ` · ${c.dissolved}` : "",
    ),
  );
}

import type { Message, OutboxEntry, ReceivedBody } from "@mpchat/client";
import { avatar } from "./avatar";
import type { ChatContext } from "./context";
import { el } from "./dom";
import { bodyPreview, kindPreview } from "./format";

/** What a row shows: a stored message, or an outbox entry not acknowledged yet. */
export type Row = { kind: "message"; message: Message } | { kind: "outbox"; entry: OutboxEntry };

/**
 * The rows of a chat: the stored messages, then my outbox entries not stored yet.
 * The push of my own message can come before its ack: until the outbox lets go of
 * the entry, the stored row stands for it (one row, as in the mini program).
 */
export function rowsOf(messages: readonly Message[], outbox: readonly OutboxEntry[], me: string): Row[] {
  const storedMine = new Set(messages.filter((m) => m.senderId === me).map((m) => m.clientMsgId));
  return [
    ...messages.map((message): Row => ({ kind: "message", message })),
    ...outbox.filter((entry) => !storedMine.has(entry.clientMsgId)).map((entry): Row => ({ kind: "outbox", entry })),
  ];
}

export interface RowActions {
  reply(message: Message): void;
  report(message: Message): void;
  retry(clientMsgId: string): void;
  discard(clientMsgId: string): void;
}

const MAX_IMAGE_SIDE = 240;

function imageBox(ctx: ChatContext, mediaId: string, width: number, height: number): HTMLElement {
  const scale = width > 0 && height > 0 ? Math.min(1, MAX_IMAGE_SIDE / Math.max(width, height)) : 1;
  const img = el("img", {
    class: "message-image",
    src: ctx.media.thumbUrl(mediaId),
    alt: ctx.t.chat.imagePreview,
    loading: "lazy",
    "data-media-id": mediaId,
  });
  // The box has its final size before the bytes arrive, so the list does not jump.
  if (width > 0 && height > 0) {
    img.width = Math.round(width * scale);
    img.height = Math.round(height * scale);
  }
  return el("a", { href: ctx.media.fullUrl(mediaId), target: "_blank", rel: "noopener" }, img);
}

/**
 * The quoted original of a reply. The server fills `senderId` and `preview`; the sender's own copy
 * (built from the ack, which carries no body) has only the seq, so the quote is then taken from the
 * original when this page has it.
 */
function quote(ctx: ChatContext, conversationId: string, body: ReceivedBody): HTMLElement | undefined {
  if (!("replyTo" in body) || !body.replyTo) return undefined;
  const reply = body.replyTo;
  const original = ctx.client.messages(conversationId).find((message) => message.seq === reply.seq);
  const senderId = reply.senderId ?? original?.senderId;
  const what =
    reply.preview ??
    (reply.kind ? kindPreview(ctx.t, reply.kind) : undefined) ??
    (original ? bodyPreview(ctx.t, original.body) : `#${reply.seq}`);
  return el("div", { class: "quote" }, senderId ? `${ctx.nameOf(senderId)}: ${what}` : what);
}

function content(ctx: ChatContext, conversationId: string, body: ReceivedBody): HTMLElement {
  const parts: (HTMLElement | undefined)[] = [quote(ctx, conversationId, body)];
  if (body.kind === "text") parts.push(el("div", { class: "text" }, body.text));
  else if (body.kind === "image") parts.push(imageBox(ctx, body.mediaId, body.width, body.height));
  else parts.push(el("div", { class: "text muted" }, bodyPreview(ctx.t, body)));
  return el("div", { class: `bubble kind-${body.kind}` }, ...parts);
}

export function renderRow(ctx: ChatContext, row: Row, group: boolean, actions: RowActions): HTMLElement {
  const { t } = ctx;
  const senderId = row.kind === "message" ? row.message.senderId : ctx.me.id;
  const mine = senderId === ctx.me.id;
  const body = row.kind === "message" ? row.message.body : row.entry.body;
  const conversationId = row.kind === "message" ? row.message.conversationId : row.entry.conversationId;
  const name = ctx.nameOf(senderId);
  const tools: (HTMLElement | false)[] = [];
  if (row.kind === "message") {
    const message = row.message;
    tools.push(el("button", { class: "link", type: "button", onclick: () => actions.reply(message) }, t.chat.reply));
    // Others' messages people wrote (not the server's system lines or recalls) can be reported.
    if (!mine && message.body.kind !== "system" && message.body.kind !== "recall" && message.body.kind !== "recalled") {
      tools.push(
        el(
          "button",
          { class: "link", type: "button", name: "report", onclick: () => actions.report(message) },
          t.chat.report,
        ),
      );
    }
  } else if (row.entry.status === "failed") {
    const id = row.entry.clientMsgId;
    tools.push(
      el("span", { class: "status failed", title: row.entry.error?.message }, t.chat.failed),
      el("button", { class: "link", type: "button", onclick: () => actions.retry(id) }, t.chat.retry),
      el("button", { class: "link", type: "button", onclick: () => actions.discard(id) }, t.chat.discard),
    );
  } else {
    tools.push(el("span", { class: "status pending" }, t.chat.pending));
  }
  return el(
    "li",
    {
      class: `row${mine ? " mine" : ""}${row.kind === "outbox" ? ` ${row.entry.status}` : ""}`,
      "data-seq": row.kind === "message" ? row.message.seq : undefined,
      "data-client-msg-id": row.kind === "message" ? row.message.clientMsgId : row.entry.clientMsgId,
    },
    avatar(ctx.media, senderId, name, ctx.client.users.get(senderId), "sm"),
    el(
      "div",
      { class: "row-main" },
      group && !mine && el("div", { class: "sender" }, name),
      el("div", { class: "row-line" }, content(ctx, conversationId, body), el("div", { class: "tools" }, ...tools)),
    ),
  );
}

import type { ClientBody, Message } from "@mpchat/client";
import type { ChatContext } from "./context";
import { el, replaceChildren } from "./dom";
import { bodyPreview, messageTime } from "./format";
import { renderRow, rowsOf } from "./message-view";
import { showReportForm } from "./report-form";
import { errorText } from "./strings";

/** A time line over a message that comes this long after the one before it. */
const TIME_GAP_MS = 5 * 60_000;

/**
 * The open conversation: header, messages (the stored ones, then this user's outbox entries),
 * and the composer (text, image, reply). The composer is built once, so that redrawing the
 * messages never loses what the user is typing.
 */
export class ChatPane {
  readonly root: HTMLElement;
  private conversationId: string | undefined;
  private replyTo: Message | undefined;
  private readonly header = el("header", { class: "chat-header" });
  private readonly messages = el("ol", { class: "messages", "aria-live": "polite" });
  private readonly scroller = el("div", { class: "scroller" }, this.messages);
  private readonly typingLine = el("div", { class: "typing" });
  private readonly replyBar = el("div", { class: "reply-bar", hidden: true });
  private readonly reportSlot = el("div", { class: "report-slot", hidden: true });
  private readonly notice = el("div", { class: "notice", role: "status" });
  private readonly input: HTMLTextAreaElement;
  private readonly fileInput: HTMLInputElement;
  private readonly composer: HTMLElement;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ctx: ChatContext) {
    const { t } = ctx;
    this.input = el("textarea", { class: "input", name: "text", rows: 2, placeholder: t.chat.input });
    this.input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.sendText();
      }
    });
    this.input.addEventListener("input", () => {
      if (this.conversationId && this.input.value !== "") ctx.client.typing(this.conversationId);
    });
    this.fileInput = el("input", { type: "file", accept: "image/*", class: "file-input", name: "image" });
    this.fileInput.addEventListener("change", () => this.sendImage());
    this.composer = el(
      "form",
      {
        class: "composer",
        onsubmit: (event: Event) => {
          event.preventDefault();
          this.sendText();
        },
      },
      this.reportSlot,
      this.replyBar,
      this.notice,
      this.input,
      el(
        "div",
        { class: "composer-buttons" },
        el("label", { class: "button image-button" }, t.chat.image, this.fileInput),
        el("button", { type: "submit", class: "primary send" }, t.chat.send),
      ),
    );
    this.root = el("section", { class: "chat" });
    this.show(undefined);
  }

  get openId(): string | undefined {
    return this.conversationId;
  }

  show(conversationId: string | undefined): void {
    if (conversationId !== this.conversationId) {
      this.replyTo = undefined;
      this.notice.textContent = "";
      this.reportSlot.hidden = true;
      this.typingLine.textContent = "";
    }
    this.conversationId = conversationId;
    if (!conversationId) {
      replaceChildren(this.root, el("div", { class: "placeholder" }, this.ctx.t.chat.pick));
      return;
    }
    replaceChildren(this.root, this.header, this.scroller, this.typingLine, this.composer);
    this.refresh(true);
    this.input.focus();
  }

  /** The open conversation left this user's list (removed, left, dissolved): the pane says so. */
  showRemoved(reason: string): void {
    this.conversationId = undefined;
    const text = this.ctx.t.chat.removed[reason] ?? this.ctx.t.chat.removed.removed;
    replaceChildren(this.root, el("div", { class: "placeholder removed", "data-reason": reason }, text));
  }

  /** Redraws header and messages; stays at the bottom when it was there (or when `toBottom`). */
  refresh(toBottom = false): void {
    const id = this.conversationId;
    const conversation = id ? this.ctx.client.conversation(id) : undefined;
    if (!id || !conversation) return;
    const { t, client } = this.ctx;
    const atBottom = toBottom || this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 40;
    const group = conversation.kind === "group";
    const peer = this.ctx.peerOf(conversation);
    replaceChildren(
      this.header,
      el("h2", {}, this.ctx.titleOf(conversation)),
      el(
        "span",
        { class: "chat-sub" },
        group ? t.chat.members(conversation.memberIds.length) : peer && client.isOnline(peer) ? t.chat.online : "",
      ),
    );
    const rows = rowsOf(client.messages(id), client.outbox(id), this.ctx.me.id);
    const items: HTMLElement[] = [];
    if (client.hasOlder(id)) {
      items.push(
        el(
          "li",
          { class: "older" },
          el("button", { class: "link", type: "button", onclick: () => this.loadOlder(id) }, t.chat.loadOlder),
        ),
      );
    }
    if (rows.length === 0) items.push(el("li", { class: "empty" }, t.chat.empty));
    let previousAt = 0;
    for (const row of rows) {
      const at = row.kind === "message" ? row.message.createdAt : row.entry.createdAt;
      if (at - previousAt > TIME_GAP_MS) items.push(el("li", { class: "time" }, messageTime(t, at)));
      previousAt = at;
      items.push(
        renderRow(this.ctx, row, group, {
          reply: (message) => this.startReply(message),
          report: (message) =>
            showReportForm(this.ctx, this.reportSlot, message, (line) => {
              this.notice.textContent = line;
            }),
          retry: (clientMsgId) => client.retry(clientMsgId),
          discard: (clientMsgId) => client.discard(clientMsgId),
        }),
      );
    }
    replaceChildren(this.messages, ...items);
    if (atBottom) this.scrollToBottom();
    this.markRead();
  }

  /** Another member is typing: a line under the messages for a few seconds. */
  showTyping(userId: string): void {
    this.typingLine.textContent = this.ctx.t.chat.typing(this.ctx.nameOf(userId));
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => {
      this.typingLine.textContent = "";
    }, 4000);
  }

  /** Moves the read cursor to the newest message, while the tab is in front. */
  markRead(): void {
    const id = this.conversationId;
    const conversation = id ? this.ctx.client.conversation(id) : undefined;
    if (!id || !conversation || document.visibilityState !== "visible") return;
    const last = this.ctx.client.messages(id).at(-1);
    if (last && (last.seq > conversation.readSeq || conversation.unread > 0)) this.ctx.client.markRead(id, last.seq);
  }

  private scrollToBottom(): void {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    // Images without a known size grow when they load: follow them.
    for (const img of Array.from(this.messages.querySelectorAll("img"))) {
      if (!img.complete) img.addEventListener("load", () => this.scrollToBottom(), { once: true });
    }
  }

  private startReply(message: Message): void {
    this.replyTo = message;
    const { t } = this.ctx;
    replaceChildren(
      this.replyBar,
      el(
        "span",
        { class: "reply-text" },
        `${t.chat.replyingTo(this.ctx.nameOf(message.senderId))}: ${bodyPreview(t, message.body)}`,
      ),
      el("button", { class: "link", type: "button", onclick: () => this.cancelReply() }, t.chat.cancelReply),
    );
    this.replyBar.hidden = false;
    this.input.focus();
  }

  private cancelReply(): void {
    this.replyTo = undefined;
    this.replyBar.hidden = true;
  }

  /** The reply part of a new body, taken once: the composer forgets it after the send. */
  private takeReply(): { replyTo?: { seq: number } } {
    const reply = this.replyTo;
    this.cancelReply();
    return reply ? { replyTo: { seq: reply.seq } } : {};
  }

  private send(body: ClientBody): void {
    const id = this.conversationId;
    if (!id) return;
    this.ctx.client.sendBody(id, body);
    this.refresh(true);
  }

  private sendText(): void {
    const text = this.input.value;
    if (text.trim() === "") return;
    this.input.value = "";
    this.send({ kind: "text", text, ...this.takeReply() });
  }

  private sendImage(): void {
    const file = this.fileInput.files?.[0];
    this.fileInput.value = "";
    if (!file) return;
    const { t } = this.ctx;
    this.notice.textContent = t.chat.uploading;
    this.ctx.media.uploadImage(file).then(
      (media) => {
        this.notice.textContent = "";
        this.send({
          kind: "image",
          mediaId: media.id,
          width: media.width ?? 0,
          height: media.height ?? 0,
          ...this.takeReply(),
        });
      },
      (failure: unknown) => {
        this.notice.textContent = `${t.chat.uploadFailed}: ${errorText(t, failure)}`;
      },
    );
  }

  private loadOlder(id: string): void {
    const before = this.scroller.scrollHeight - this.scroller.scrollTop;
    this.ctx.client.loadOlder(id).then(
      () => {
        this.refresh();
        // Keep the message the user was reading where it was.
        this.scroller.scrollTop = this.scroller.scrollHeight - before;
      },
      (failure: unknown) => {
        this.notice.textContent = errorText(this.ctx.t, failure);
      },
    );
  }
}

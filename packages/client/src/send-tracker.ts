import { type AckFrame, type Body, type ClientBody, codePointLength, Limits, type Message } from "@mpchat/protocol";
import type { Connection } from "./connection";
import { ChatError, describeError, SendFailedError } from "./errors";
import { ClientMsgIdMaker } from "./ids";
import { checkMediaInput, type MediaMessageInput, placeholderBody } from "./media-message";
import { Outbox } from "./outbox";
import type { OutboxEntry } from "./outbox-entry";
import { OutboxSender } from "./outbox-sender";
import { OutboxUploads } from "./outbox-uploads";
import { type SendHandle, type SendTrackerSettings, type TextExtras, uploaderOf, type Waiter } from "./send-settings";

export type { SendHandle, SendTrackerSettings, TextExtras } from "./send-settings";

/**
 * Owns the life of every send, in the manner of tRPC's wsClient RequestManager:
 *
 *     send() ─► pending ──ack──────────────► gone     done resolves; `sent`
 *                 │ ▲ └──refused for good──► failed   done rejects; `sendFailed`
 *                 │ └─────── retry() ─────────┘       (a new done)
 *                 └ network trouble, `unavailable`, `rate_limited`, ...:
 *                   stays pending, resent with the same clientMsgId
 *     discard(): pending or failed ──► gone           done rejects with `closed`
 *
 *     sendMedia() ─► pending, upload waiting ─► uploading ─► uploaded ─► (as send() above)
 *                    the upload refused ─► failed; network trouble ─► waiting (same clientMediaId)
 *
 * The entry is in the Outbox (storage) from the first moment; OutboxUploads
 * uploads the media of media entries and records it in the entry; the
 * OutboxSender puts pending entries whose media (if any) is recorded on the wire
 * (window, backoff, rate limits); the waiters hold each send's `done`. Every
 * change of the outbox is an `outbox` event.
 */
export class SendTracker {
  private readonly ids: ClientMsgIdMaker;
  private readonly outbox: Outbox;
  private readonly sender: OutboxSender;
  private readonly uploads: OutboxUploads;
  private readonly waiters = new Map<string, Waiter>();

  constructor(private readonly settings: SendTrackerSettings) {
    const { emit } = settings;
    this.ids = new ClientMsgIdMaker(settings.now, settings.random);
    this.outbox = new Outbox(settings.storage, settings.storageKey, (error) =>
      emit("error", new ChatError("internal", `outbox storage: ${describeError(error)}`)),
    );
    this.sender = new OutboxSender({
      outbox: this.outbox,
      timers: settings.timers,
      now: settings.now,
      random: settings.random,
      backoff: settings.backoff,
      maxInFlight: settings.maxSendsInFlight,
      onAcked: (entry, ack) => this.acked(entry, ack),
      onFailed: (entry, error) => this.failed(entry, error),
    });
    this.uploads = new OutboxUploads({
      outbox: this.outbox,
      uploader: uploaderOf(settings),
      timers: settings.timers,
      now: settings.now,
      random: settings.random,
      backoff: settings.backoff,
      emit,
      onUploaded: () => {
        this.emitOutbox();
        this.sender.pump();
      },
      onFailed: (entry, error) => this.failed(entry, error),
      onChanged: () => this.emitOutbox(),
    });
    // Entries a previous client left are visible (and sendable) at once with a synchronous storage.
    if (!this.outbox.isLoaded) {
      void this.outbox.whenLoaded().then(() => {
        this.emitOutbox();
        this.pump();
      });
    }
  }

  /** Whether `sendMedia()` can upload (the app gave an upload port). */
  get canUpload(): boolean {
    return this.settings.upload !== undefined;
  }

  /** A new authenticated connection: every pending entry goes out on it. */
  online(connection: Connection): void {
    this.sender.online(connection);
    this.uploads.online();
  }

  /** The connection is gone: entries in flight stay pending for the next one. */
  offline(): void {
    this.sender.offline();
    this.uploads.offline();
  }

  /** A new text: in the outbox (storage) before the network is tried; refused at once when the server would refuse it. */
  send(conversationId: string, text: string, extra: TextExtras = {}): SendHandle {
    const { replyTo, mentions, mentionAll } = extra;
    const body: ClientBody = {
      kind: "text",
      text,
      ...(replyTo ? { replyTo: { seq: replyTo.seq } } : {}),
      ...(mentions ? { mentions } : {}),
      ...(mentionAll ? { mentionAll } : {}),
    };
    return this.enqueue(conversationId, { body }, checkText(text));
  }

  /** A recall (protocol 1.1): just another body through the outbox, so it survives being offline and is sent once. */
  recall(conversationId: string, messageId: string): SendHandle {
    return this.enqueue(conversationId, { body: { kind: "recall", messageId } }, undefined);
  }

  /**
   * A new image, voice or file message: in the outbox (storage), with its upload
   * and clientMediaId, before anything goes to the network; uploaded first, then
   * sent. Throws when the client has no upload port.
   */
  sendMedia(conversationId: string, input: MediaMessageInput): SendHandle {
    if (!this.canUpload) throw new Error("sendMedia needs the `upload` option (wxUploadFile(wx) or fetchUpload(...))");
    const upload = {
      kind: input.kind,
      file: input.file,
      clientMediaId: this.ids.next(),
      ...(input.durationMs === undefined ? {} : { durationMs: Math.round(input.durationMs) }),
      state: "waiting" as const,
      sent: 0,
      total: 0,
    };
    const body = placeholderBody(input.kind, input.replyTo);
    return this.enqueue(conversationId, { body, upload }, checkMediaInput(input));
  }

  /** Any body a client may send (an image of a `MediaUploader` upload, a reply, …); a text is refused here as the server would refuse it. */
  sendBody(conversationId: string, body: ClientBody): SendHandle {
    return this.enqueue(conversationId, { body }, body.kind === "text" ? checkText(body.text) : undefined);
  }

  private enqueue(
    conversationId: string,
    content: Pick<OutboxEntry, "body" | "upload">,
    refusal: ChatError | undefined,
  ): SendHandle {
    const clientMsgId = this.ids.next();
    const entry: OutboxEntry = {
      clientMsgId,
      conversationId,
      ...content,
      createdAt: this.settings.now(),
      status: "pending",
      attempts: 0,
    };
    if (refusal) entry.status = "failed";
    if (refusal) entry.error = { code: refusal.code, message: refusal.message };
    const done = this.wait(clientMsgId);
    const written = this.outbox.add(entry);
    this.emitOutbox();
    if (refusal) {
      // Report after the caller has the handle, as a network refusal would be.
      void Promise.resolve().then(() => this.failed(entry, refusal));
    } else {
      this.pump();
      void written.then(() => this.pump());
    }
    return { clientMsgId, done };
  }

  private pump(): void {
    this.uploads.pump();
    this.sender.pump();
  }

  /** failed → pending, same clientMsgId, attempts from 0, a new `done`. Undefined when no failed entry has that id. */
  retry(clientMsgId: string): SendHandle | undefined {
    const entry = this.outbox.get(clientMsgId);
    if (entry?.status !== "failed") return undefined;
    if (entry.body.kind === "text" && checkText(entry.body.text)) return undefined;
    // An upload that cannot succeed (its file not kept across a restart, bad input) is not tried again.
    if (entry.upload && !entry.upload.media && checkMediaInput(entry.upload)) return undefined;
    const done = this.wait(clientMsgId);
    this.outbox.update(clientMsgId, { status: "pending", attempts: 0, error: undefined });
    this.emitOutbox();
    this.pump();
    return { clientMsgId, done };
  }

  /** Out of the outbox; a pending `done` rejects with `closed`. A send already in flight may still be stored. */
  discard(clientMsgId: string): boolean {
    const entry = this.outbox.remove(clientMsgId);
    if (!entry) return false;
    this.uploads.forget(clientMsgId);
    const waiter = this.waiters.get(clientMsgId);
    this.waiters.delete(clientMsgId);
    waiter?.reject(new SendFailedError("closed", "discarded", clientMsgId, entry.conversationId));
    this.emitOutbox();
    return true;
  }

  /** Outbox entries (pending and failed), oldest first; of one conversation when given. A copy. */
  entries(conversationId?: string): readonly OutboxEntry[] {
    const entries = this.outbox.entries().slice();
    return conversationId === undefined ? entries : entries.filter((entry) => entry.conversationId === conversationId);
  }

  private wait(clientMsgId: string): Promise<Message> {
    const done = new Promise<Message>((resolve, reject) => this.waiters.set(clientMsgId, { resolve, reject }));
    // The app may ignore `done`; a failure is also reported through `sendFailed`, so it is never unhandled.
    done.catch(() => undefined);
    return done;
  }

  /** pending → gone: the server stored it. Also for entries a previous client left (they have no waiter). */
  private acked(entry: OutboxEntry, ack: AckFrame): void {
    const message: Message = {
      id: ack.messageId,
      conversationId: ack.conversationId,
      seq: ack.seq,
      senderId: this.settings.userId() as string,
      clientMsgId: ack.clientMsgId,
      body: this.storedBody(entry),
      createdAt: ack.createdAt,
    };
    const removed = this.outbox.remove(entry.clientMsgId);
    this.uploads.forget(entry.clientMsgId);
    const waiter = this.waiters.get(entry.clientMsgId);
    this.waiters.delete(entry.clientMsgId);
    // The ack names the stored message, so it fills the timeline even when the push is lost.
    this.settings.deliver(message);
    waiter?.resolve(message);
    if (removed) {
      this.settings.emit("sent", { clientMsgId: entry.clientMsgId, message });
      this.emitOutbox();
    }
  }

  /** The body as the server stored it: a reply's `replyTo` completed as the server completes it. */
  private storedBody(entry: OutboxEntry): Body {
    const { body } = entry;
    if (!("replyTo" in body) || !body.replyTo) return body;
    const reply = this.settings.replyTo?.(entry.conversationId, body.replyTo.seq);
    return reply ? { ...body, replyTo: reply } : body;
  }

  /** pending → failed: refused for good (the entry is marked failed already, or was born failed). */
  private failed(entry: OutboxEntry, error: ChatError): void {
    const failure = new SendFailedError(error.code, error.message, entry.clientMsgId, entry.conversationId);
    const waiter = this.waiters.get(entry.clientMsgId);
    this.waiters.delete(entry.clientMsgId);
    waiter?.reject(failure);
    this.settings.emit("sendFailed", { entry: this.outbox.get(entry.clientMsgId) ?? entry, error: failure });
    this.emitOutbox();
  }

  private emitOutbox(): void {
    this.settings.emit("outbox", this.outbox.entries().slice());
  }
}

/** Refuse what the server would refuse for good, without a round trip. */
function checkText(text: string): ChatError | undefined {
  if (text.length === 0) return new ChatError("bad_request", "text must not be empty");
  if (codePointLength(text) > Limits.MAX_TEXT_CODE_POINTS) {
    return new ChatError("too_large", `text must be at most ${Limits.MAX_TEXT_CODE_POINTS} characters`);
  }
  return undefined;
}

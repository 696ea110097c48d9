import { type AckFrame, type ClientBody, codePointLength, Limits, type Message, type TextBody } from "@mpchat/protocol";
import type { Connection } from "./connection";
import { ChatError, describeError, SendFailedError } from "./errors";
import type { ChatEmit } from "./events";
import { ClientMsgIdMaker } from "./ids";
import type { ResolvedOptions } from "./options";
import { Outbox } from "./outbox";
import type { OutboxEntry } from "./outbox-entry";
import { OutboxSender } from "./outbox-sender";

/** What a text may carry besides its text (protocol 1.1): mentions, and the message it replies to. */
export type TextExtras = Pick<TextBody, "mentions" | "mentionAll" | "replyTo">;

/** What `send()` returns: the message's client id at once, and its fate later. */
export interface SendHandle {
  clientMsgId: string;
  /**
   * Settles exactly once: resolves with the stored message when the server
   * acknowledges it (after any number of retries, across reconnects), rejects
   * with a SendFailedError when it is refused for good. Never rejects for
   * network trouble: those sends stay in the outbox and are retried.
   */
  done: Promise<Message>;
}

export type SendTrackerSettings = Pick<
  ResolvedOptions,
  "storage" | "storageKey" | "timers" | "now" | "random" | "backoff" | "maxSendsInFlight"
> & {
  /** The authenticated user: the sender of every acknowledged message. */
  userId(): string | undefined;
  /** A message the server stored, built from its ack: into the timeline before `done` resolves (the push may be lost). */
  deliver(message: Message): void;
  emit: ChatEmit;
};

interface Waiter {
  resolve(message: Message): void;
  reject(error: SendFailedError): void;
}

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
 * The entry is in the Outbox (storage) from the first moment; the OutboxSender
 * puts pending entries on the wire (window, backoff, rate limits); the waiters
 * hold each send's `done`. Every change of the outbox is an `outbox` event.
 */
export class SendTracker {
  private readonly ids: ClientMsgIdMaker;
  private readonly outbox: Outbox;
  private readonly sender: OutboxSender;
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
    // Entries a previous client left are visible (and sendable) at once with a synchronous storage.
    if (!this.outbox.isLoaded) {
      void this.outbox.whenLoaded().then(() => {
        this.emitOutbox();
        this.sender.pump();
      });
    }
  }

  /** A new authenticated connection: every pending entry goes out on it. */
  online(connection: Connection): void {
    this.sender.online(connection);
  }

  /** The connection is gone: entries in flight stay pending for the next one. */
  offline(): void {
    this.sender.offline();
  }

  /** A new send: in the outbox (storage) before the network is tried; refused at once when the server would refuse it. */
  send(conversationId: string, text: string, extra: TextExtras = {}): SendHandle {
    return this.sendBody(conversationId, { kind: "text", text, ...extra }, checkText(text));
  }

  /** A recall (protocol 1.1): just another body through the outbox, so it survives being offline and is sent once. */
  recall(conversationId: string, messageId: string): SendHandle {
    return this.sendBody(conversationId, { kind: "recall", messageId });
  }

  private sendBody(conversationId: string, body: ClientBody, refusal?: ChatError): SendHandle {
    const clientMsgId = this.ids.next();
    const entry: OutboxEntry = {
      clientMsgId,
      conversationId,
      body,
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
      this.sender.pump();
      void written.then(() => this.sender.pump());
    }
    return { clientMsgId, done };
  }

  /** failed → pending, same clientMsgId, attempts from 0, a new `done`. Undefined when no failed entry has that id. */
  retry(clientMsgId: string): SendHandle | undefined {
    const entry = this.outbox.get(clientMsgId);
    if (entry?.status !== "failed") return undefined;
    const refusal = entry.body.kind === "text" ? checkText(entry.body.text) : undefined;
    if (refusal) return undefined;
    const done = this.wait(clientMsgId);
    this.outbox.update(clientMsgId, { status: "pending", attempts: 0, error: undefined });
    this.emitOutbox();
    this.sender.pump();
    return { clientMsgId, done };
  }

  /** Out of the outbox; a pending `done` rejects with `closed`. A send already in flight may still be stored. */
  discard(clientMsgId: string): boolean {
    const entry = this.outbox.remove(clientMsgId);
    if (!entry) return false;
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
      body: entry.body,
      createdAt: ack.createdAt,
    };
    const removed = this.outbox.remove(entry.clientMsgId);
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

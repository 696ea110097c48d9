import type { Message, ReplyTo, TextBody } from "@mpchat/protocol";
import type { SendFailedError } from "./errors";
import type { ChatEmit } from "./events";
import { MediaUploader } from "./media-uploader";
import type { ResolvedOptions } from "./options";

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
> &
  Partial<Pick<ResolvedOptions, "httpBase" | "upload" | "uploadTimeoutMs">> & {
    /** The current token, for uploads. */
    getToken?(): string | Promise<string>;
    /** The authenticated user: the sender of every acknowledged message. */
    userId(): string | undefined;
    /** The `replyTo` the server made for a reply to `seq`, when the client holds that message. */
    replyTo?(conversationId: string, seq: number): ReplyTo | undefined;
    /** A message the server stored, built from its ack: into the timeline before `done` resolves (the push may be lost). */
    deliver(message: Message): void;
    emit: ChatEmit;
  };

export interface Waiter {
  resolve(message: Message): void;
  reject(error: SendFailedError): void;
}

/** The uploader of media entries, when the client has an upload port. */
export function uploaderOf(settings: SendTrackerSettings): MediaUploader | undefined {
  const { httpBase, upload, getToken, uploadTimeoutMs: timeoutMs, timers, random, now, backoff } = settings;
  if (!upload || httpBase === undefined || !getToken) return undefined;
  return new MediaUploader({ httpBase, upload, getToken, timers, timeoutMs, random, now, backoff });
}

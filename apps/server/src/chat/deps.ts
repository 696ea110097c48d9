import type { Bus } from "../bus/bus";
import type { AppendInput, AppendResult, Store } from "../store/store";
import type { MembershipCache } from "./membership-cache";

/** Appends one message and resolves after its commit (the GroupCommitter). */
export interface MessageAppender {
  append(input: AppendInput): Promise<AppendResult>;
}

/** The part of a pino logger the rules use. */
export interface ChatLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What the chat rules need, chosen once in buildApp. */
export interface ChatDeps {
  store: Store;
  bus: Bus;
  appender: MessageAppender;
  /** Membership answered from memory when positive (see MembershipCache). */
  members: MembershipCache;
  now: () => number;
  newId: () => string;
  log: ChatLogger;
}

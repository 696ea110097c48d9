import type { Bus } from "../bus/bus";
import type { MessageAppender } from "../store/message-appender";
import type { Store } from "../store/store";
import type { ContentGuard } from "./content-guard";
import type { MembershipCache } from "./membership-cache";
import type { RemovalLedger } from "./removal-ledger";

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
  /** Removals this instance heard of: nothing more of a conversation reaches (or answers) who was removed. */
  removals: RemovalLedger;
  now: () => number;
  newId: () => string;
  log: ChatLogger;
  /** The content checks run before user-written text is stored. */
  content: ContentGuard;
}

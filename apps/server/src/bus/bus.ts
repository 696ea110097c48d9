import type { Conversation, Message, User } from "@mpchat/protocol";

/**
 * The Bus port: how an event reaches every instance's sockets. The local adapter
 * calls subscribers in-process; the Redis adapter publishes to other instances.
 * Events carry their recipients so that no instance needs the store to fan out.
 */
export type BusEvent =
  | { type: "message"; recipients: readonly string[]; conversationId: string; message: Message }
  | { type: "receipt"; recipients: readonly string[]; conversationId: string; userId: string; seq: number }
  | { type: "typing"; recipients: readonly string[]; conversationId: string; userId: string }
  /** Conversations are per-member views, so each recipient gets its own. */
  | { type: "conversation"; views: Array<{ userId: string; conversation: Conversation }> }
  | { type: "presence"; recipients: readonly string[]; userId: string; online: boolean }
  /** A profile changed: the user and everyone who shares a conversation with them. */
  | { type: "user"; recipients: readonly string[]; user: User };

export interface Bus {
  publish(event: BusEvent): Promise<void>;
  /** Registers the handler for every event published by any instance (this one included). */
  subscribe(handler: (event: BusEvent) => void): void;
  /** Throws when the bus cannot be reached (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

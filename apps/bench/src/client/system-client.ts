import type { Marker } from "./marker";

/** The systems under test. */
export type SystemName = "mpchat" | "ws" | "socketio";

/** Where a system client reports what its connections receive. */
export interface FrameSink {
  /** The sender `user` got the ack of its message `marker`. */
  onAck(user: number, marker: Marker): void;
  /** Connection of `user` received a pushed message. */
  onPush(user: number, marker: Marker): void;
  /** A request failed; `marker` when the failed request was one of our sends; `retryAfterMs` when the server said. */
  onError(user: number, code: string, marker: Marker | null, retryAfterMs?: number): void;
  /** A connection closed that the bench did not close. */
  onUnexpectedClose(user: number, code: number): void;
}

/**
 * One system's client side: N users, each with one WebSocket, in rooms given as
 * lists of user indexes. The same traffic engine drives all three systems
 * through this interface, so only the wire format differs between them.
 */
export interface SystemClient {
  readonly system: SystemName;
  /** Makes the users known to the server (mpchat: dev login) without connecting them. */
  prepareUsers(count: number): Promise<void>;
  /** Opens one connected, authenticated WebSocket per prepared user. */
  connect(sink: FrameSink): Promise<void>;
  /** Creates the rooms; once it resolves every member receives every message sent to them. */
  createRooms(rooms: readonly (readonly number[])[]): Promise<void>;
  /** Sends one text message from `user` into `room` (an index into the rooms created). */
  send(user: number, room: number, clientMsgId: string): void;
  /** Bytes queued on the generator side but not yet written (to notice a generator that cannot keep up). */
  bufferedBytes(): number;
  close(): Promise<void>;
}

/** The same text in every system's frames: typical chat-line size. */
export const MESSAGE_TEXT = "hello from the load generator, 0123456789";

/** The `body` of every text message sent, as JSON. */
export const TEXT_BODY = JSON.stringify({ kind: "text", text: MESSAGE_TEXT });

import * as v from "valibot";
import { ERROR_CODES, type ErrorCode } from "./codes";
import { RemovalReasonSchema } from "./groups";
import { ConversationSchema, MessageSchema, UserSchema } from "./model";
import {
  ClientMsgIdSchema,
  EntityIdSchema,
  RequestIdSchema,
  SeqSchema,
  TimestampSchema,
  UserIdSchema,
} from "./primitives";
import { ProtocolVersionSchema } from "./version";

/** Frames the server sends to a client. */
export const ReadyFrameSchema = v.object({
  type: v.literal("ready"),
  id: RequestIdSchema,
  userId: UserIdSchema,
  heartbeatMs: v.pipe(v.number(), v.integer(), v.minValue(1)),
  serverTime: TimestampSchema,
  /** mpchat addition: when the token this socket authenticated with expires (epoch ms); re-`auth` before it. */
  tokenExpiresAt: v.optional(TimestampSchema),
  /**
   * The version this session speaks (protocol 1.1): the one `auth` asked for, else
   * PROTOCOL_VERSION. Optional so that a client still reads a v1 server's `ready`
   * (absent means 1); servers of this package always send it.
   */
  protocolVersion: v.optional(ProtocolVersionSchema),
  /** Protocol 1.1: the session's media token, the `t` of `GET /v1/media/:id?t=…` (valid while the session is). */
  mediaToken: v.optional(v.string()),
  /** Protocol 1.1: how long after a message's createdAt its sender may recall it (RECALL_WINDOW_MS). */
  recallWindowMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});
export const AckFrameSchema = v.object({
  type: v.literal("ack"),
  id: RequestIdSchema,
  conversationId: EntityIdSchema,
  clientMsgId: ClientMsgIdSchema,
  messageId: EntityIdSchema,
  seq: SeqSchema,
  createdAt: TimestampSchema,
});
export const BatchFrameSchema = v.object({
  type: v.literal("batch"),
  id: RequestIdSchema,
  conversationId: EntityIdSchema,
  messages: v.array(MessageSchema),
  hasMore: v.boolean(),
});
export const OkFrameSchema = v.object({ type: v.literal("ok"), id: RequestIdSchema });
export const PongFrameSchema = v.object({
  type: v.literal("pong"),
  id: v.optional(RequestIdSchema),
  serverTime: TimestampSchema,
});
export const MessageFrameSchema = v.object({
  type: v.literal("message"),
  conversationId: EntityIdSchema,
  message: MessageSchema,
});
export const ReceiptFrameSchema = v.object({
  type: v.literal("receipt"),
  conversationId: EntityIdSchema,
  userId: UserIdSchema,
  seq: SeqSchema,
});
export const TypingEventFrameSchema = v.object({
  type: v.literal("typing"),
  conversationId: EntityIdSchema,
  userId: UserIdSchema,
});
export const ConversationFrameSchema = v.object({
  type: v.literal("conversation"),
  conversation: ConversationSchema,
});
export const PresenceFrameSchema = v.object({
  type: v.literal("presence"),
  userId: UserIdSchema,
  online: v.boolean(),
});
/** A user who shares a conversation with the recipient (or the recipient) changed their profile (1.1). */
export const UserFrameSchema = v.object({ type: v.literal("user"), user: UserSchema });
/**
 * The recipient was removed from a group or left it (protocol 1.1), sent to every
 * connection of theirs on every instance: from then on nothing more of it arrives
 * and requests about it are `forbidden`. A dissolved group sends none (it stays).
 */
export const ConversationRemovedFrameSchema = v.object({
  type: v.literal("conversation_removed"),
  conversationId: EntityIdSchema,
  reason: RemovalReasonSchema,
});
export const ErrorFrameSchema = v.object({
  type: v.literal("error"),
  id: v.optional(RequestIdSchema),
  code: v.picklist(ERROR_CODES as [string, ...string[]]),
  message: v.string(),
  /**
   * How long to wait before retrying, in ms, when the server knows: on `unavailable`
   * from admission control (the server is overloaded) and on `rate_limited`.
   */
  retryAfterMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
});

export const ServerFrameSchema = v.variant("type", [
  ReadyFrameSchema,
  AckFrameSchema,
  BatchFrameSchema,
  OkFrameSchema,
  PongFrameSchema,
  MessageFrameSchema,
  ReceiptFrameSchema,
  TypingEventFrameSchema,
  ConversationFrameSchema,
  PresenceFrameSchema,
  ErrorFrameSchema,
  UserFrameSchema,
  ConversationRemovedFrameSchema,
]);

export type ReadyFrame = v.InferOutput<typeof ReadyFrameSchema>;
export type AckFrame = v.InferOutput<typeof AckFrameSchema>;
export type BatchFrame = v.InferOutput<typeof BatchFrameSchema>;
export type OkFrame = v.InferOutput<typeof OkFrameSchema>;
export type PongFrame = v.InferOutput<typeof PongFrameSchema>;
export type MessageFrame = v.InferOutput<typeof MessageFrameSchema>;
export type ReceiptFrame = v.InferOutput<typeof ReceiptFrameSchema>;
export type TypingEventFrame = v.InferOutput<typeof TypingEventFrameSchema>;
export type ConversationFrame = v.InferOutput<typeof ConversationFrameSchema>;
export type PresenceFrame = v.InferOutput<typeof PresenceFrameSchema>;
export type UserFrame = v.InferOutput<typeof UserFrameSchema>;
export type ConversationRemovedFrame = v.InferOutput<typeof ConversationRemovedFrameSchema>;
export type ErrorFrame = Omit<v.InferOutput<typeof ErrorFrameSchema>, "code"> & {
  code: ErrorCode;
};
export type ServerFrame =
  | ReadyFrame
  | AckFrame
  | BatchFrame
  | OkFrame
  | PongFrame
  | MessageFrame
  | ReceiptFrame
  | TypingEventFrame
  | ConversationFrame
  | PresenceFrame
  | ErrorFrame
  | UserFrame
  | ConversationRemovedFrame;
export type ServerFrameType = ServerFrame["type"];

import * as v from "valibot";
import { ClientBodySchema } from "./bodies/body";
import {
  ClientMsgIdSchema,
  EntityIdSchema,
  PageLimitSchema,
  RequestIdSchema,
  SeqSchema,
  TextStringSchema,
} from "./primitives";
import { ProtocolVersionSchema } from "./version";

/** Frames a client sends to the server. */
export const AuthFrameSchema = v.object({
  type: v.literal("auth"),
  id: RequestIdSchema,
  token: v.pipe(TextStringSchema, v.minLength(1), v.maxLength(4096)),
  /** The version the client speaks (protocol 1.1); absent: the server's newest. Not served → close 4426. */
  protocolVersion: v.optional(ProtocolVersionSchema),
});
export const SendFrameSchema = v.object({
  type: v.literal("send"),
  id: RequestIdSchema,
  conversationId: EntityIdSchema,
  clientMsgId: ClientMsgIdSchema,
  /** Strict: only the kinds a client may send (unknown and server-made ones are `bad_request`). */
  body: ClientBodySchema,
});
export const SyncFrameSchema = v.object({
  type: v.literal("sync"),
  id: RequestIdSchema,
  conversationId: EntityIdSchema,
  afterSeq: SeqSchema,
  limit: v.optional(PageLimitSchema),
});
export const ReadFrameSchema = v.object({
  type: v.literal("read"),
  id: v.optional(RequestIdSchema),
  conversationId: EntityIdSchema,
  seq: SeqSchema,
});
export const TypingFrameSchema = v.object({
  type: v.literal("typing"),
  conversationId: EntityIdSchema,
});
export const PingFrameSchema = v.object({
  type: v.literal("ping"),
  id: v.optional(RequestIdSchema),
});

export const ClientFrameSchema = v.variant("type", [
  AuthFrameSchema,
  SendFrameSchema,
  SyncFrameSchema,
  ReadFrameSchema,
  TypingFrameSchema,
  PingFrameSchema,
]);

export type AuthFrame = v.InferOutput<typeof AuthFrameSchema>;
export type SendFrame = v.InferOutput<typeof SendFrameSchema>;
export type SyncFrame = v.InferOutput<typeof SyncFrameSchema>;
export type ReadFrame = v.InferOutput<typeof ReadFrameSchema>;
export type TypingFrame = v.InferOutput<typeof TypingFrameSchema>;
export type PingFrame = v.InferOutput<typeof PingFrameSchema>;
export type ClientFrame = v.InferOutput<typeof ClientFrameSchema>;
export type ClientFrameType = ClientFrame["type"];
export const CLIENT_FRAME_TYPES: readonly ClientFrameType[] = ["auth", "send", "sync", "read", "typing", "ping"];

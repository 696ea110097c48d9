import * as v from "valibot";
import { FileBodySchema } from "./file-body";
import { ImageBodySchema } from "./image-body";
import { RecallBodySchema, RecalledBodySchema } from "./recall-body";
import { SystemBodySchema } from "./system-body";
import { TextBodySchema } from "./text-body";
import { type UnknownBody, UnknownBodySchema } from "./unknown-body";
import { VoiceBodySchema } from "./voice-body";

/**
 * The registry of message body kinds: one schema per kind, each in its own file.
 * A new kind is one line here (and its file); every `switch (body.kind)` that
 * ends in `assertNever` then fails to compile until it handles the new kind.
 */
export const BODY_SCHEMAS = [
  TextBodySchema,
  ImageBodySchema,
  VoiceBodySchema,
  FileBodySchema,
  RecallBodySchema,
  RecalledBodySchema,
  SystemBodySchema,
] as const;

/** The kinds a client may send; the others (`recalled`, `system`) only the server makes. */
export const CLIENT_BODY_SCHEMAS = [
  TextBodySchema,
  ImageBodySchema,
  VoiceBodySchema,
  FileBodySchema,
  RecallBodySchema,
] as const;

/** A body as the server stores and sends it: one of the known kinds, nothing else. */
export const BodySchema = v.variant("kind", BODY_SCHEMAS);
export type Body = v.InferOutput<typeof BodySchema>;
export type BodyKind = Body["kind"];
export const BODY_KINDS: readonly BodyKind[] = BODY_SCHEMAS.map((schema) => schema.entries.kind.literal);

/** A body as a client sends it: any other kind (`recalled` and `system` included) is `bad_request`. */
export const ClientBodySchema = v.variant("kind", CLIENT_BODY_SCHEMAS);
export type ClientBody = v.InferOutput<typeof ClientBodySchema>;

export function isKnownBodyKind(kind: unknown): kind is BodyKind {
  return typeof kind === "string" && (BODY_KINDS as readonly string[]).includes(kind);
}

/**
 * A body as a client receives it. A known kind must be well formed (a malformed
 * one is the server's bug and fails the frame, as before); a kind this version
 * does not know decodes to `{ kind: "unknown", rawKind }` so that a newer server
 * can add kinds without old clients losing the frame (docs/protocol.md).
 */
export const ReceivedBodySchema = v.lazy((input: unknown) =>
  isKnownBodyKind(typeof input === "object" && input !== null ? (input as { kind?: unknown }).kind : undefined)
    ? BodySchema
    : UnknownBodySchema,
);
export type ReceivedBody = Body | UnknownBody;

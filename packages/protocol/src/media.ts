import * as v from "valibot";
import { EntityIdSchema } from "./primitives";

/** Media (protocol 1.1): what `POST /v1/media` stores and message bodies and avatars name. */
export const MEDIA_KINDS = ["image", "voice", "file"] as const;
export const MediaKindSchema = v.picklist(MEDIA_KINDS);
export type MediaKind = (typeof MEDIA_KINDS)[number];

const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** `width`/`height` for images (the stored image's), `durationMs` for voice, `name` for files. */
export const MediaSchema = v.object({
  id: EntityIdSchema,
  kind: MediaKindSchema,
  mime: v.string(),
  /** Stored bytes (an image's after re-encoding). */
  size: count,
  width: v.optional(count),
  height: v.optional(count),
  durationMs: v.optional(count),
  name: v.optional(v.string()),
});
export type Media = v.InferOutput<typeof MediaSchema>;

/** `POST /v1/media` 🔒 → `201 { media }`, or `200 { media }` for a repeat of the same `clientMediaId`. */
export const MediaResponseSchema = v.object({ media: MediaSchema });
export type MediaResponse = v.InferOutput<typeof MediaResponseSchema>;

/** The multipart text fields of `POST /v1/media`, sent before the file part `file`. */
export const MediaUploadFieldsSchema = v.object({
  kind: MediaKindSchema,
  /** 1..64 url-safe characters: the same uploader and id give the same media (retries). */
  clientMediaId: EntityIdSchema,
  /** Voice: the recorder's length, used only when the content does not tell it. */
  durationMs: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,9}$/, "durationMs must be a whole number of milliseconds"), v.transform(Number)),
  ),
});
export type MediaUploadFields = v.InferOutput<typeof MediaUploadFieldsSchema>;

import { randomBytes } from "node:crypto";
import multipart, { type MultipartFile } from "@fastify/multipart";
import { MediaUploadFieldsSchema } from "@mpchat/protocol";
import type { FastifyInstance } from "fastify";
import pLimit from "p-limit";
import * as v from "valibot";
import { AppError, badRequest } from "../app-error";
import type { MediaCheck } from "../media/media-check-async";
import { MediaError } from "../media/media-error";
import { MAX_UPLOAD_BYTES } from "../media/media-limits";
import type { MediaStore } from "../media/media-store";
import { mediaIdOf, toMedia } from "../media/media-view";
import { storeUpload, type UploadedMedia } from "../media/upload";
import type { MediaRecord } from "../store/profile-records";
import type { Store } from "../store/store";

export interface MediaUploadRouteOptions {
  store: Pick<Store, "createMedia" | "findMedia">;
  mediaStore: MediaStore;
  now: () => number;
  /** Images and voice are handed to it once stored (never awaited: the upload answers first). */
  mediaCheck?: Pick<MediaCheck, "submit">;
}

/** Images decoded at once across all uploads: each decode holds tens of MiB and a spooled input (see UploadOptions). */
const IMAGE_SLOTS = 2;

/**
 * `POST /v1/media` 🔒 (protocol 1.1): multipart as `wx.uploadFile` sends it, the
 * text fields `kind`, `clientMediaId`, `durationMs` before the file part `file`.
 * The file streams into the media store (storeUpload); a repeat of the uploader's
 * `clientMediaId` answers 200 with the media stored first, without reading the
 * file (it is drained), and nothing is stored for a refused upload.
 */
export async function mediaUploadRoute(app: FastifyInstance, options: MediaUploadRouteOptions): Promise<void> {
  const { store, mediaStore } = options;
  // Registered here, so that only this route parses multipart. The parser's file limit
  // is one byte past the largest kind's, so storeUpload's own limit is the one that answers.
  await app.register(multipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES + 1, files: 1, fields: 8, fieldSize: 1024, parts: 9, headerPairs: 100 },
  });
  const imageSlots = pLimit(IMAGE_SLOTS);

  app.post("/v1/media", { onRequest: app.authenticate }, async (request, reply) => {
    const part = await request.file();
    if (part === undefined) throw badRequest("no file part named file");
    const fields = readFields(part);
    if (!fields.ok || part.fieldname !== "file") {
      part.file.resume();
      throw badRequest(fields.ok ? "the file part must be named file" : fields.message);
    }
    const { kind, clientMediaId } = fields.value;
    const id = mediaIdOf(request.userId, clientMediaId);
    const existing = await store.findMedia(id);
    if (existing) {
      part.file.resume();
      return reply.code(200).send({ media: toMedia(existing) });
    }
    // Keys of this attempt alone: a concurrent repeat writes its own, and the loser's are deleted.
    // (`m` first: a key must start with a letter or digit, and a base64url id may start with - or _.)
    const attempt = `m${id}-${randomBytes(6).toString("base64url")}`;
    const keys = { original: attempt, thumb: `${attempt}.thumb` };
    let uploaded: UploadedMedia;
    try {
      uploaded = await storeUpload(
        mediaStore,
        { kind, file: part.file, truncated: () => part.file.truncated, filename: part.filename, keys },
        { imageSlots },
      );
    } catch (error) {
      if (error instanceof MediaError) throw new AppError(error.code, error.message);
      throw error;
    }
    const record = toRecord(id, request.userId, clientMediaId, uploaded, options.now());
    const { media, created } = await store.createMedia(record).catch(async (error: unknown) => {
      await deleteObjects(mediaStore, keys);
      throw error;
    });
    if (!created) await deleteObjects(mediaStore, keys);
    else options.mediaCheck?.submit(media);
    return reply.code(created ? 201 : 200).send({ media: toMedia(media) });
  });
}

type Fields = { ok: true; value: v.InferOutput<typeof MediaUploadFieldsSchema> } | { ok: false; message: string };

/** The text fields that came before the file part (a field after it is not seen: the contract puts them first). */
function readFields(part: MultipartFile): Fields {
  const raw: Record<string, string> = {};
  for (const [name, field] of Object.entries(part.fields)) {
    if (name === part.fieldname) continue;
    if (field === undefined || Array.isArray(field) || field.type !== "field") {
      return { ok: false, message: `field ${name} must be given once, as text` };
    }
    raw[name] = String(field.value);
  }
  const parsed = v.safeParse(MediaUploadFieldsSchema, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const name = issue.path?.map((item) => String(item.key)).join(".") ?? "fields";
    return { ok: false, message: `${name}: ${issue.message}` };
  }
  return { ok: true, value: parsed.output };
}

function toRecord(
  id: string,
  uploaderId: string,
  clientMediaId: string,
  uploaded: UploadedMedia,
  createdAt: number,
): MediaRecord {
  const record: MediaRecord = {
    id,
    uploaderId,
    clientMediaId,
    kind: uploaded.kind,
    mime: uploaded.mime,
    size: uploaded.size,
    storageKey: uploaded.keys.original,
    createdAt,
  };
  if (uploaded.width !== undefined) record.width = uploaded.width;
  if (uploaded.height !== undefined) record.height = uploaded.height;
  if (uploaded.durationMs !== undefined) record.durationMs = uploaded.durationMs;
  if (uploaded.name !== undefined) record.name = uploaded.name;
  if (uploaded.keys.thumb !== undefined) record.thumbnailKey = uploaded.keys.thumb;
  return record;
}

async function deleteObjects(mediaStore: MediaStore, keys: { original: string; thumb: string }): Promise<void> {
  await Promise.allSettled([mediaStore.delete(keys.original), mediaStore.delete(keys.thumb)]);
}

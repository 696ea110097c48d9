import { createHash } from "node:crypto";
import type { Media } from "@mpchat/protocol";
import type { MediaRecord } from "../store/profile-records";

/**
 * The id of the media that `clientMediaId` names for this uploader: a digest of
 * both, so that a retried upload finds its media by primary key before reading
 * any bytes. It reveals nothing usable: reading media needs a token and access.
 */
export function mediaIdOf(uploaderId: string, clientMediaId: string): string {
  return createHash("sha256").update(`mpchat-media\n${uploaderId}\n${clientMediaId}`).digest("base64url").slice(0, 22);
}

/** A media record as clients see it: no uploader, no storage keys. */
export function toMedia(record: MediaRecord): Media {
  const media: Media = { id: record.id, kind: record.kind, mime: record.mime, size: record.size };
  if (record.width !== undefined) media.width = record.width;
  if (record.height !== undefined) media.height = record.height;
  if (record.durationMs !== undefined) media.durationMs = record.durationMs;
  if (record.name !== undefined) media.name = record.name;
  return media;
}

import type { Readable } from "node:stream";

/**
 * Where media bytes live: local files (one instance) or S3-compatible object
 * storage (several instances). Only bytes and their content type; who may read
 * what is the media table's business. Everything is a stream: an upload of
 * 20 MiB never sits in memory whole.
 */
export interface MediaStore {
  /**
   * Stores `body` under `key`, replacing what was there. The object appears
   * whole or not at all: readers never see a partial write, and when `body`
   * errors (an upload cut at its limit) the put rejects with that error and the
   * key keeps its previous object (or stays absent). Resolves to the stored size.
   */
  put(key: string, body: Readable, options: MediaPutOptions): Promise<{ size: number }>;
  /**
   * The object's bytes, or `null` when there is none. `range` is inclusive on
   * both ends and already resolved against `stat().size` by the caller (see
   * `resolveRange`); an `end` past the last byte is clamped.
   */
  get(key: string, range?: ByteRange): Promise<Readable | null>;
  stat(key: string): Promise<MediaObjectInfo | null>;
  exists(key: string): Promise<boolean>;
  /** Idempotent: deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Lets go of connections (S3's HTTP agent); called once by the app's close. */
  close(): Promise<void>;
}

export type MediaPutOptions = {
  contentType: string;
  /** The byte count when known up front (a file upload's Content-Length); a hint only. */
  size?: number;
};

export type ByteRange = { start: number; end: number };

export type MediaObjectInfo = { size: number; contentType: string };

/**
 * Keys are chosen by the server (media ids plus a suffix such as `.thumb`), never
 * by a client, but the stores check them anyway: one flat name of safe
 * characters, so no key can climb out of the local root (`../`), hide (`.x`) or
 * name a folder.
 */
const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export function assertMediaKey(key: string): void {
  if (!KEY.test(key) || key.includes("..")) {
    throw new InvalidMediaKeyError(key);
  }
}

export class InvalidMediaKeyError extends Error {
  constructor(key: string) {
    super(`invalid media key ${JSON.stringify(key.slice(0, 80))}`);
    this.name = "InvalidMediaKeyError";
  }
}

const CONTENT_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

export function assertContentType(contentType: string): void {
  if (!CONTENT_TYPE.test(contentType)) {
    throw new Error(`invalid content type ${JSON.stringify(contentType.slice(0, 80))}`);
  }
}

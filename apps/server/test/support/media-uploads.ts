import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { AuthResponse, Media } from "@mpchat/protocol";
import { devLogin } from "./api";
import { type StoreKind, startTestServer, type TestServer } from "./server";

export { noisyJpeg, photo } from "../media/test-images";

/** Shared by the media-routes*.test.ts files: uploads and downloads as the mini program makes them. */

export const MiB = 1024 * 1024;
export const fixture = (name: string) => readFile(join(import.meta.dirname, "..", "media", "fixtures", name));
let counter = 0;
export const cid = () => `c${++counter}_${Math.random().toString(36).slice(2, 8)}`;

/** The text fields of an upload, by name. */
export type Fields = Record<string, string>;

/** A logged-in user as a media test holds it: the login answer with its media token. */
export type MediaUser = AuthResponse & { mediaToken: string };

/** One server (SQLite unless told, local media store) whose clock the test moves, with alice and a stranger logged in. */
export async function startMediaServer(
  now: () => number,
  store: StoreKind = "sqlite",
): Promise<{ server: TestServer; alice: MediaUser; stranger: MediaUser }> {
  const server = await startTestServer({ store, deps: { now } });
  const alice = (await devLogin(server, "alice", "Alice")) as MediaUser;
  const stranger = (await devLogin(server, "stranger", "Stranger")) as MediaUser;
  return { server, alice, stranger };
}

/** A multipart upload as wx.uploadFile sends it: the text fields, then the file part. */
export async function upload(
  server: TestServer,
  token: string,
  fields: Fields,
  bytes: Uint8Array,
  filename = "up.bin",
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  // (The cast: with the DOM lib, as the client's tests compile this file, a Blob takes ArrayBuffer-backed views only.)
  form.append("file", new Blob([bytes as Uint8Array<ArrayBuffer>]), filename);
  const response = await fetch(`${server.httpUrl}/v1/media`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: (await response.json()) as { media: Media; error?: { code: string } } };
}

export function download(
  server: TestServer,
  path: string,
  t: string | undefined,
  headers: Record<string, string> = {},
) {
  const query = t === undefined ? "" : `?t=${encodeURIComponent(t)}`;
  return fetch(`${server.httpUrl}${path}${query}`, { headers });
}

/** Every file the local media store holds (temp files included). */
export async function storedFiles(server: TestServer): Promise<string[]> {
  const root = join(server.dataDir, "media");
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

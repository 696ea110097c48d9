import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import * as v from "valibot";
import { MediaCheckUrls } from "../auth/media-check-urls";
import type { SessionService } from "../auth/sessions";
import type { ProfileService } from "../chat/profiles";
import type { MediaStore } from "../media/media-store";
import { resolveRange } from "../media/range";
import type { MediaRecord } from "../store/profile-records";
import type { Store } from "../store/store";
import { sendError } from "./errors";

export interface MediaDownloadRoutesOptions {
  sessions: Pick<SessionService, "authenticateMedia">;
  store: Pick<Store, "findMedia" | "mediaSharedWith">;
  profiles: Pick<ProfileService, "lookup">;
  mediaStore: MediaStore;
  /** The URLs WeChat's media check fetches (originals only, no session); absent: none is accepted. */
  checkUrls?: Pick<MediaCheckUrls, "verify">;
}

const ParamsSchema = v.object({ id: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/)) });
const QuerySchema = v.object({ t: v.pipe(v.string(), v.minLength(1), v.maxLength(512)) });

/** Bytes never change under a media id: cached for a year, by this client only. */
const CACHE_CONTROL = "private, max-age=31536000, immutable";

/**
 * `GET /v1/media/:id?t=<mediaToken>` and `GET /v1/media/:id/thumb?t=…` (protocol 1.1):
 * the bytes, streamed from the media store, with one `Range` (206 / 416). Everything
 * that is not allowed answers the same 404, a missing or ended session's token
 * included, so that nobody learns which media ids exist.
 */
export async function mediaDownloadRoutes(app: FastifyInstance, options: MediaDownloadRoutesOptions): Promise<void> {
  app.get("/v1/media/:id", (request, reply) => serve(options, request, reply, "original"));
  app.get("/v1/media/:id/thumb", (request, reply) => serve(options, request, reply, "thumb"));
}

async function serve(
  options: MediaDownloadRoutesOptions,
  request: FastifyRequest,
  reply: FastifyReply,
  which: "original" | "thumb",
): Promise<FastifyReply> {
  const notFound = () => sendError(reply, "not_found", "no such media");
  const params = v.safeParse(ParamsSchema, request.params);
  const query = v.safeParse(QuerySchema, request.query);
  if (!params.success || !query.success) return notFound();
  const media = await authorize(options, params.output.id, query.output.t, which);
  if (!media) return notFound();
  const key = which === "original" ? media.storageKey : media.thumbnailKey;
  const info = key === undefined ? null : await options.mediaStore.stat(key);
  if (key === undefined || !info) return notFound();

  const range = resolveRange(request.headers.range, info.size);
  reply.header("Cache-Control", CACHE_CONTROL).header("Accept-Ranges", "bytes");
  // Uploaded files are the users' own: never rendered as a page of this origin.
  reply.header("X-Content-Type-Options", "nosniff").header("Content-Security-Policy", "sandbox");
  if (media.kind === "file" && which === "original") reply.header("Content-Disposition", "attachment");
  if (range === "unsatisfiable") {
    return reply.code(416).header("Content-Range", `bytes */${info.size}`).type("text/plain").send("");
  }
  const body = await options.mediaStore.get(key, range ?? undefined);
  if (!body) return notFound();
  reply.type(info.contentType);
  if (range) {
    const end = Math.min(range.end, info.size - 1);
    reply.code(206).header("Content-Range", `bytes ${range.start}-${end}/${info.size}`);
    reply.header("Content-Length", String(end - range.start + 1));
  } else {
    reply.header("Content-Length", String(info.size));
  }
  return reply.send(body);
}

/** The media, when the token may read it: a check URL's (WeChat, the original only) or a session's media token. */
async function authorize(
  options: MediaDownloadRoutesOptions,
  mediaId: string,
  token: string,
  which: "original" | "thumb",
): Promise<MediaRecord | null> {
  if (MediaCheckUrls.isCheckToken(token)) {
    if (which !== "original" || !options.checkUrls?.verify(token, mediaId)) return null;
    return options.store.findMedia(mediaId);
  }
  const claims = await options.sessions.authenticateMedia(token);
  if (!claims) return null;
  const media = await options.store.findMedia(mediaId);
  return media && (await mayRead(options, claims.userId, media)) ? media : null;
}

/**
 * The uploader; a member of a conversation in which a message shows the media
 * (its `message_media` rows, written with the message); or anyone who can see
 * the user whose avatar it is (an avatar is always its user's own upload:
 * PATCH /v1/me allows no other).
 */
async function mayRead(options: MediaDownloadRoutesOptions, userId: string, media: MediaRecord): Promise<boolean> {
  if (media.uploaderId === userId) return true;
  if (await options.store.mediaSharedWith(media.id, userId)) return true;
  const [uploader] = await options.profiles.lookup(userId, [media.uploaderId]);
  return uploader?.avatarMediaId === media.id;
}

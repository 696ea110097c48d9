import {
  assertNever,
  type ClientBody,
  type MediaKind,
  REPLY_PREVIEW_CODE_POINTS,
  type ReplyTo,
} from "@mpchat/protocol";
import { badRequest, forbidden } from "../app-error";
import type { MediaRecord } from "../store/profile-records";
import type { Store } from "../store/store";

type BodyStore = Pick<Store, "findMedia" | "listMessages">;

/** True when the body needs store lookups before it can be stored (so plain texts skip them). */
export function bodyNeedsLookups(body: ClientBody): boolean {
  return body.kind !== "text" || body.replyTo !== undefined;
}

/**
 * The body as the server stores it (PROTOCOL.md "Message bodies", "Replies."):
 * a media body must name media the sender uploaded, of that kind (else
 * `forbidden`), and its width/height/durationMs/name/size are overwritten from the
 * media record; a `replyTo` must name a seq of this conversation (else
 * `bad_request`) and gets senderId/kind/preview from the stored original.
 * Run before the appender, so the group commit stays free of lookups.
 */
export async function resolveBody(
  store: BodyStore,
  senderId: string,
  conversationId: string,
  body: ClientBody,
): Promise<ClientBody> {
  const replyTo = body.replyTo === undefined ? undefined : await resolveReply(store, conversationId, body.replyTo);
  const reply = replyTo === undefined ? {} : { replyTo };
  switch (body.kind) {
    case "text":
      return { kind: "text", text: body.text, ...reply };
    case "image": {
      const media = await ownMedia(store, senderId, body.mediaId, "image");
      return { kind: "image", mediaId: media.id, width: media.width ?? 0, height: media.height ?? 0, ...reply };
    }
    case "voice": {
      const media = await ownMedia(store, senderId, body.mediaId, "voice");
      return { kind: "voice", mediaId: media.id, durationMs: media.durationMs ?? 0, ...reply };
    }
    case "file": {
      const media = await ownMedia(store, senderId, body.mediaId, "file");
      return { kind: "file", mediaId: media.id, name: media.name ?? "", size: media.size, ...reply };
    }
    default:
      return assertNever(body, "body kind");
  }
}

async function ownMedia(store: BodyStore, senderId: string, mediaId: string, kind: MediaKind): Promise<MediaRecord> {
  const media = await store.findMedia(mediaId);
  // One answer for unknown, someone else's and the wrong kind: no probing of others' ids.
  if (media?.uploaderId !== senderId || media.kind !== kind) {
    throw forbidden(`mediaId must name ${kind} media you uploaded`);
  }
  return media;
}

async function resolveReply(store: BodyStore, conversationId: string, reply: ReplyTo): Promise<ReplyTo> {
  const page =
    reply.seq < 1 ? undefined : await store.listMessages(conversationId, { afterSeq: reply.seq - 1, limit: 1 });
  const original = page?.messages[0];
  if (original?.seq !== reply.seq) throw badRequest("replyTo.seq: no such message in this conversation");
  const resolved: ReplyTo = { seq: original.seq, senderId: original.senderId, kind: original.body.kind };
  if (original.body.kind === "text") {
    resolved.preview = Array.from(original.body.text).slice(0, REPLY_PREVIEW_CODE_POINTS).join("");
  }
  return resolved;
}

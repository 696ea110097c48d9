import {
  assertNever,
  type Body,
  type ClientBody,
  type MediaKind,
  REPLY_PREVIEW_CODE_POINTS,
  type RecallBody,
  type ReplyTo,
  type TextBody,
} from "@mpchat/protocol";
import { badRequest, forbidden } from "../app-error";
import type { MediaRecord } from "../store/profile-records";
import type { Store } from "../store/store";
import type { Members } from "./membership-cache";
import { managesGroup } from "./recall";

type BodyStore = Pick<Store, "findMedia" | "listMessages">;

/** A body a client sent, but a recall (chat/recall.ts has its own rules). */
export type ContentBody = Exclude<ClientBody, RecallBody>;

/** True when the body needs store lookups before it can be stored (so plain texts skip them). */
export function bodyNeedsLookups(body: ContentBody): boolean {
  return body.kind !== "text" || body.replyTo !== undefined || body.mentions !== undefined;
}

/**
 * PROTOCOL.md "Details … Mentions.": `mentions` names members only (else
 * `bad_request`; at most 30, the schema's bound), `mentionAll` only from the
 * group's owner or an admin (else `forbidden`). Allowed in direct conversations
 * too (where nobody manages, so `mentionAll` is refused there).
 */
export async function checkMentions(
  store: Pick<Store, "getConversation">,
  conversation: Members,
  senderId: string,
  body: TextBody,
): Promise<void> {
  if (body.mentions !== undefined) {
    const outsiders = body.mentions.filter((userId) => !conversation.memberIds.includes(userId));
    if (outsiders.length > 0) {
      throw badRequest(`mentions: not members of this conversation: ${outsiders.slice(0, 5).join(", ")}`);
    }
  }
  if (body.mentionAll) {
    const roles = await store.getConversation(conversation.id);
    if (!roles || !managesGroup(roles, senderId)) throw forbidden("mentionAll: only the group's owner or an admin");
  }
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
  body: ContentBody,
): Promise<Body> {
  const replyTo = body.replyTo === undefined ? undefined : await resolveReply(store, conversationId, body.replyTo);
  const reply = replyTo === undefined ? {} : { replyTo };
  switch (body.kind) {
    case "text": {
      const text: TextBody = { kind: "text", text: body.text };
      if (body.mentions !== undefined) text.mentions = [...new Set(body.mentions)];
      if (body.mentionAll) text.mentionAll = true;
      return { ...text, ...reply };
    }
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

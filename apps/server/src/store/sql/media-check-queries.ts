import type { Message } from "@mpchat/protocol";
import { and, asc, eq } from "drizzle-orm";
import type { MediaCheckRecord } from "../media-check-records";
import { toMessage } from "../message-row";
import type { SqlScope } from "./sql-db";

/* The pending async media checks (media_check_async → wxa_media_check) in both dialects. */

export async function selectMediaCheck(q: SqlScope, traceId: string): Promise<MediaCheckRecord | null> {
  const { mediaChecks } = q.t;
  const [row] = await q.db.select().from(mediaChecks).where(eq(mediaChecks.traceId, traceId));
  return row ?? null;
}

/** Looked up first: a repeat keeps the first row in both dialects without a dialect's upsert. */
export async function insertMediaCheckOnce(q: SqlScope, check: MediaCheckRecord): Promise<void> {
  if (await selectMediaCheck(q, check.traceId)) return;
  await q.db.insert(q.t.mediaChecks).values(check);
}

export async function deleteMediaCheckRow(q: SqlScope, traceId: string): Promise<boolean> {
  if (!(await selectMediaCheck(q, traceId))) return false;
  const { mediaChecks } = q.t;
  await q.db.delete(mediaChecks).where(eq(mediaChecks.traceId, traceId));
  return true;
}

/** The sender's messages that show the media (an image, voice or file body not recalled), oldest first. */
export async function selectMessagesShowingMedia(q: SqlScope, senderId: string, mediaId: string): Promise<Message[]> {
  const { messages, messageMedia } = q.t;
  // message_media (written with each media message, dropped by a recall) finds them by media id.
  const rows = await q.db
    .select({ message: messages })
    .from(messageMedia)
    .innerJoin(
      messages,
      and(eq(messages.conversationId, messageMedia.conversationId), eq(messages.seq, messageMedia.seq)),
    )
    .where(and(eq(messageMedia.mediaId, mediaId), eq(messages.senderId, senderId)))
    .orderBy(asc(messages.createdAt), asc(messages.seq));
  return rows.map((row) => toMessage(row.message));
}

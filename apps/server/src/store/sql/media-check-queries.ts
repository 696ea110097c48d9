import type { Message } from "@mpchat/protocol";
import { asc, eq } from "drizzle-orm";
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

/**
 * The sender's messages whose body names the media. The (sender_id, client_msg_id)
 * index finds the sender's messages; the bodies are then read here, never matched
 * in SQL (a body is JSON).
 */
export async function selectMessagesShowingMedia(q: SqlScope, senderId: string, mediaId: string): Promise<Message[]> {
  const { messages } = q.t;
  const rows = await q.db
    .select()
    .from(messages)
    .where(eq(messages.senderId, senderId))
    .orderBy(asc(messages.createdAt), asc(messages.seq));
  return rows.map((row) => toMessage(row)).filter((message) => showsMedia(message, mediaId));
}

function showsMedia(message: Message, mediaId: string): boolean {
  const body = message.body;
  return (body.kind === "image" || body.kind === "voice" || body.kind === "file") && body.mediaId === mediaId;
}

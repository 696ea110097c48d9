import type { Body, Message, ReceivedBody } from "@mpchat/protocol";

/** A `messages` row as both dialects return it (body is JSON text). */
export interface MessageRow {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string;
  clientMsgId: string;
  body: string;
  createdAt: number;
}

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: Number(row.seq),
    senderId: row.senderId,
    clientMsgId: row.clientMsgId,
    // Stored by us from a parsed Body; JSON round-trips every string exactly.
    body: JSON.parse(row.body) as Body,
    createdAt: Number(row.createdAt),
  };
}

/** A row to insert: with the columns that follow from the body (quiet, recall_of). */
export function toMessageRow(message: Message): MessageRow & { quiet: boolean; recallOf: string | null } {
  return {
    ...message,
    body: JSON.stringify(message.body),
    quiet: isQuietBody(message.body),
    recallOf: recallTargetOf(message.body),
  };
}

/** Bodies that count toward no unread (PROTOCOL.md: system, recall and recalled messages). */
const QUIET_KINDS: ReadonlySet<string> = new Set(["system", "recall", "recalled"]);
export function isQuietBody(body: ReceivedBody): boolean {
  return QUIET_KINDS.has(body.kind);
}

/** The message a recall body recalls; null for every other body. */
export function recallTargetOf(body: ReceivedBody): string | null {
  return body.kind === "recall" ? body.messageId : null;
}

/** "<lower id>:<higher id>": user ids never contain ':' (protocol USER_ID_PATTERN). */
export function directKeyOf(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

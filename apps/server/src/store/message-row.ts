import type { Body, Message } from "@mpchat/protocol";

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

export function toMessageRow(message: Message): MessageRow {
  return { ...message, body: JSON.stringify(message.body) };
}

/** "<lower id>:<higher id>": user ids never contain ':' (protocol USER_ID_PATTERN). */
export function directKeyOf(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

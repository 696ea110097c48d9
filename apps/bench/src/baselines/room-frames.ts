/**
 * The minimal chat protocol both baselines speak, equivalent to mpchat's for the
 * work a server does per message: validate a `send` from a room member, answer
 * the sender with an `ack`, and push one `message` (serialized once) to every
 * member of the room, the sender included — as mpchat pushes to the sender's
 * own connections too. No persistence, no authentication beyond a user name.
 */
export interface SendRequest {
  room: string;
  clientMsgId: string;
  body: { kind: "text"; text: string };
}

export interface RoomMessage {
  id: string;
  room: string;
  seq: number;
  senderId: string;
  clientMsgId: string;
  body: { kind: "text"; text: string };
  createdAt: number;
}

const MAX_ID = 64;
const MAX_TEXT = 4000;

function isShortString(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_ID;
}

/** Checks the fields mpchat checks (types, id lengths, text length) so the baselines do comparable validation. */
export function readSendRequest(value: unknown): SendRequest | null {
  if (typeof value !== "object" || value === null) return null;
  const frame = value as Record<string, unknown>;
  const body = frame.body as Record<string, unknown> | undefined;
  if (!isShortString(frame.room) || !isShortString(frame.clientMsgId)) return null;
  if (typeof body !== "object" || body === null || body.kind !== "text") return null;
  if (typeof body.text !== "string" || body.text.length === 0 || body.text.length > MAX_TEXT) return null;
  return { room: frame.room, clientMsgId: frame.clientMsgId, body: { kind: "text", text: body.text } };
}

/** Per-room sequence numbers in memory: what mpchat keeps in its database. */
export class RoomSequencer {
  private readonly lastSeq = new Map<string, number>();
  private nextId = 1;

  stamp(senderId: string, request: SendRequest): RoomMessage {
    const seq = (this.lastSeq.get(request.room) ?? 0) + 1;
    this.lastSeq.set(request.room, seq);
    return {
      id: `m${this.nextId++}`,
      room: request.room,
      seq,
      senderId,
      clientMsgId: request.clientMsgId,
      body: request.body,
      createdAt: Date.now(),
    };
  }
}

/** Outgoing bytes a slow consumer may pile up before it is cut off (mpchat closes such sockets too). */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

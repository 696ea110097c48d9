import type { Conversation, Message, OutboxEntry } from "@mpchat/client";
import { strings } from "../../strings";
import type { AvatarView } from "../../view/avatar";
import { bodyText } from "../../view/body-text";
import { type Faces, idFaces } from "../../view/faces";
import { formatMessageTime, TIME_DIVIDER_GAP_MS } from "../../view/time";

/** `sent`: stored by the server. `pending`: in the outbox, being (re)tried. `failed`: refused for good. */
export type BubbleStatus = "sent" | "pending" | "failed";

/** One chat bubble, ready for the template. */
export interface BubbleItem {
  /** Stable across pending → sent (sender + clientMsgId), so the bubble updates in place. */
  key: string;
  /** Element id, the target of scroll-into-view. */
  domId: string;
  text: string;
  /** Own bubbles sit on the right. */
  mine: boolean;
  status: BubbleStatus;
  clientMsgId: string;
  /** 0 until the server stored it. */
  seq: number;
  /** Shown above other people's bubbles in groups; empty otherwise. */
  sender: string;
  /** A time divider shown before this bubble, or empty. */
  divider: string;
  /** The sender's avatar beside the bubble. */
  face: AvatarView;
  /** Under the last own stored message: "已读"/"未读" (direct) or "N人已读" (group); empty elsewhere. */
  readLabel: string;
}

/** What the items need to know about others' read cursors. */
export interface ReadState {
  /** Highest seq the user has read (0 when unknown). */
  readSeq(userId: string): number;
  /** Members other than me who have read up to seq. */
  readersOf(seq: number): number;
}

/**
 * The read state from members' cursors (the client's `readSeqsOf`, which starts from the server's
 * snapshot, so it is right also after a restart): `me` never counts as a reader.
 */
export function readStateOf(cursors: ReadonlyMap<string, number>, me: string): ReadState {
  return {
    readSeq: (userId) => cursors.get(userId) ?? 0,
    readersOf: (seq) => {
      let count = 0;
      for (const [userId, readSeq] of cursors) if (userId !== me && readSeq >= seq) count++;
      return count;
    },
  };
}

export interface BubbleInput {
  messages: readonly Message[];
  outbox: readonly OutboxEntry[];
  me: string;
  kind: Conversation["kind"];
  memberIds: readonly string[];
  read: ReadState;
  now?: number;
  /** Names and avatars (ids and letter tiles when left out). */
  faces?: Faces;
}

function readLabel(input: BubbleInput, seq: number): string {
  if (input.kind === "direct") {
    const peer = input.memberIds.find((id) => id !== input.me);
    return peer !== undefined && input.read.readSeq(peer) >= seq ? strings.chat.read : strings.chat.unread;
  }
  const readers = input.read.readersOf(seq);
  return readers > 0 ? strings.chat.readBy(readers) : "";
}

/** Stored messages (ascending seq) followed by the outbox entries not stored yet, oldest first. */
export function toBubbleItems(input: BubbleInput): BubbleItem[] {
  const now = input.now ?? Date.now();
  const faces = input.faces ?? idFaces;
  const items: BubbleItem[] = [];
  const storedOwnIds = new Set<string>();
  let previousAt = 0;
  const divider = (at: number): string => {
    const text = at - previousAt > TIME_DIVIDER_GAP_MS ? formatMessageTime(at, now) : "";
    previousAt = at;
    return text;
  };

  let lastOwnStored = -1;
  for (const message of input.messages) {
    const mine = message.senderId === input.me;
    if (mine) {
      storedOwnIds.add(message.clientMsgId);
      lastOwnStored = items.length;
    }
    items.push({
      key: `${message.senderId}:${message.clientMsgId}`,
      domId: `m-${message.seq}`,
      text: bodyText(message.body, message.senderId),
      mine,
      status: "sent",
      clientMsgId: message.clientMsgId,
      seq: message.seq,
      sender: input.kind === "group" && !mine ? faces.nameOf(message.senderId) : "",
      face: faces.avatarOf(message.senderId),
      divider: divider(message.createdAt),
      readLabel: "",
    });
  }
  const lastOwn = items[lastOwnStored];
  if (lastOwn) lastOwn.readLabel = readLabel(input, lastOwn.seq);

  for (const entry of input.outbox) {
    if (storedOwnIds.has(entry.clientMsgId)) continue;
    items.push({
      key: `${input.me}:${entry.clientMsgId}`,
      domId: `p-${entry.clientMsgId}`,
      text: bodyText(entry.body),
      mine: true,
      status: entry.status,
      clientMsgId: entry.clientMsgId,
      seq: 0,
      sender: "",
      face: faces.avatarOf(input.me),
      divider: divider(entry.createdAt),
      readLabel: "",
    });
  }
  return items;
}

import type { Conversation, Message, OutboxEntry } from "@mpchat/client";
import { strings } from "../../strings";
import type { AvatarView, MediaUrls } from "../../view/avatar";
import { type Faces, idFaces } from "../../view/faces";
import { formatMessageTime, TIME_DIVIDER_GAP_MS } from "../../view/time";
import { type BubbleContent, contentOf, pendingContentOf } from "./bubble-content";
import { mentionSegments, type QuoteView, quoteOf, recalledLine, type TextSegment } from "./message-extras";

/** `sent`: stored by the server. `pending`: in the outbox, being (re)tried. `failed`: refused for good. */
export type BubbleStatus = "sent" | "pending" | "failed";

/** One chat bubble, ready for the template: what it shows (text, image, voice, file) and its state. */
export interface BubbleItem extends BubbleContent {
  /** Stable across pending → sent (sender + clientMsgId), so the bubble updates in place. */
  key: string;
  /** Element id, the target of scroll-into-view. */
  domId: string;
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
  /** Upload progress of a pending media bubble, 0..100; -1 when nothing is uploading. */
  progress: number;
  /** Under the last own stored message: "已读"/"未读" (direct) or "N人已读" (group); empty elsewhere. */
  readLabel: string;
  /** A group change (“alice”邀请“bob”加入了群聊) or a recalled message: a centred grey line instead of a bubble. */
  system: boolean;
  senderId: string;
  /** The stored message's id ("" while in the outbox): what recall and delete-for-me name. */
  messageId: string;
  /** When it was sent (the recall window counts from it). */
  createdAt: number;
  /** A reply: the quoted original above the text; null otherwise. */
  quote: QuoteView | null;
  /** A text with mentions, cut into plain and "@name" pieces; empty: show `text`. */
  segments: TextSegment[];
  /** "你撤回了一条消息" of my own recent text: "重新编辑" puts the text back into the input. */
  reedit: boolean;
  /** A failed send the content check refused (`content_rejected`): no retry, "内容违规，未发送" under it. */
  rejected: boolean;
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
  /** Media addresses (none when left out: media bubbles without pictures). */
  media?: MediaUrls;
  /** Sizes of pictures picked on this phone, for pending image bubbles. */
  localImageSize?: (path: string) => { width: number; height: number } | undefined;
  /** Messages deleted on this phone only ("删除"): left out. */
  hidden?: ReadonlySet<string>;
  /** Whether my recalled message (by id) may still be edited again ("重新编辑"). */
  canReedit?: (messageId: string) => boolean;
}

const noMedia: MediaUrls = { thumb: () => "", full: () => "" };

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
  const media = input.media ?? noMedia;
  const items: BubbleItem[] = [];
  const storedOwnIds = new Set<string>();
  let previousAt = 0;
  const divider = (at: number): string => {
    const text = at - previousAt > TIME_DIVIDER_GAP_MS ? formatMessageTime(at, now) : "";
    previousAt = at;
    return text;
  };

  const bySeq = new Map(input.messages.map((message) => [message.seq, message]));
  const loaded = (seq: number) => bySeq.get(seq);
  const nameOf = (userId: string) => (userId === input.me ? strings.chat.you : faces.nameOf(userId));
  // Who recalled what (the recall messages loaded), to name the owner or admin who did it.
  const recallerOf = new Map<string, string>();
  for (const message of input.messages) {
    if (message.body.kind === "recall") recallerOf.set(message.body.messageId, message.senderId);
  }
  let lastOwnStored = -1;
  for (const message of input.messages) {
    // A recall shows as the tombstone of what it recalled (in place), not as a line of its own.
    if (message.body.kind === "recall" || input.hidden?.has(message.id)) continue;
    const recalled = message.body.kind === "recalled";
    const system = message.body.kind === "system" || recalled;
    const mine = message.senderId === input.me && !system;
    if (mine) {
      storedOwnIds.add(message.clientMsgId);
      lastOwnStored = items.length;
    }
    items.push({
      key: `${message.senderId}:${message.clientMsgId}`,
      domId: `m-${message.seq}`,
      ...contentOf(message.body, media, message.senderId, system ? nameOf : (userId) => faces.nameOf(userId)),
      mine,
      status: "sent",
      clientMsgId: message.clientMsgId,
      seq: message.seq,
      sender: input.kind === "group" && !mine ? faces.nameOf(message.senderId) : "",
      face: faces.avatarOf(message.senderId),
      divider: divider(message.createdAt),
      progress: -1,
      ...(message.body.kind === "recalled"
        ? { text: recalledLine(message.body.by, message.senderId, recallerOf.get(message.id), nameOf) }
        : {}),
      readLabel: "",
      system,
      senderId: message.senderId,
      messageId: message.id,
      createdAt: message.createdAt,
      quote: quoteOf(message.body, (userId) => faces.nameOf(userId), loaded),
      segments: mentionSegments(message.body, (userId) => faces.nameOf(userId)),
      reedit: recalled && message.senderId === input.me && (input.canReedit?.(message.id) ?? false),
      rejected: false,
    });
  }
  const lastOwn = items[lastOwnStored];
  if (lastOwn) lastOwn.readLabel = readLabel(input, lastOwn.seq);

  for (const entry of input.outbox) {
    if (storedOwnIds.has(entry.clientMsgId)) continue;
    items.push({
      key: `${input.me}:${entry.clientMsgId}`,
      domId: `p-${entry.clientMsgId}`,
      ...pendingContentOf(entry, media, input.localImageSize),
      mine: true,
      status: entry.status,
      clientMsgId: entry.clientMsgId,
      seq: 0,
      sender: "",
      face: faces.avatarOf(input.me),
      divider: divider(entry.createdAt),
      readLabel: "",
      system: false,
      senderId: input.me,
      messageId: "",
      createdAt: entry.createdAt,
      quote: quoteOf(entry.body, (userId) => faces.nameOf(userId), loaded),
      segments: mentionSegments(entry.body, (userId) => faces.nameOf(userId)),
      reedit: false,
      rejected: entry.status === "failed" && entry.error?.code === "content_rejected",
    });
  }
  return items;
}

import type { Conversation, Message, ReceivedBody } from "@mpchat/protocol";
import { Timeline } from "./timeline";

/** Kinds that count toward no unread (docs/protocol.md): system, recall and recalled messages. */
export function isQuiet(body: ReceivedBody): boolean {
  return body.kind === "system" || body.kind === "recall" || body.kind === "recalled";
}

/** True when the message's text mentions `me` by id or mentions all. */
export function mentions(message: Message, me: string | undefined): boolean {
  const { body } = message;
  if (body.kind !== "text") return false;
  return body.mentionAll === true || (me !== undefined && (body.mentions?.includes(me) ?? false));
}

/**
 * The conversations this client knows, with their timelines. The server's view
 * (list, `conversation` pushes) is merged with what arrived since, so a list
 * fetched a moment ago does not roll back a newer last message or read cursor.
 */
export class ConversationDirectory {
  private readonly conversations = new Map<string, Conversation>();
  private readonly timelines = new Map<string, Timeline>();

  /** @param initialHistory how many messages before the known last seq a new timeline starts with. */
  constructor(private readonly initialHistory: number) {}

  get(conversationId: string): Conversation | undefined {
    return this.conversations.get(conversationId);
  }

  /** Pinned ones first (the user's settings), then the most recent activity. */
  list(): Conversation[] {
    const pinned = (c: Conversation) => (c.settings?.pinned ? 1 : 0);
    return Array.from(this.conversations.values()).sort((a, b) => pinned(b) - pinned(a) || b.updatedAt - a.updatedAt);
  }

  ids(): string[] {
    return Array.from(this.conversations.keys());
  }

  /** The user was removed from it (or left): it and its timeline are forgotten. */
  remove(conversationId: string): Conversation | undefined {
    const known = this.conversations.get(conversationId);
    this.conversations.delete(conversationId);
    this.timelines.delete(conversationId);
    return known;
  }

  timeline(conversationId: string): Timeline | undefined {
    return this.timelines.get(conversationId);
  }

  /** The timeline, created on first sight so that it starts `initialHistory` messages before `lastSeq`. */
  ensureTimeline(conversationId: string, lastSeq: number): Timeline {
    let timeline = this.timelines.get(conversationId);
    if (!timeline) {
      timeline = new Timeline(Math.max(0, lastSeq - this.initialHistory));
      this.timelines.set(conversationId, timeline);
    }
    return timeline;
  }

  /**
   * Merge the server's view of a conversation; returns the merged one. Its
   * `memberReadSeqs` is not kept: receipts would leave that copy stale, so the
   * live cursors are in MemberReadCursors (`ChatClient.readSeqsOf`).
   */
  upsert(received: Conversation, me: string | undefined): Conversation {
    const { memberReadSeqs: _live, ...server } = received;
    const local = this.conversations.get(server.id);
    const timeline = this.ensureTimeline(server.id, server.lastSeq);
    let merged: Conversation = server;
    if (local) {
      const readSeq = Math.max(server.readSeq, local.readSeq);
      const newer = local.lastSeq > server.lastSeq;
      merged = {
        ...server,
        lastSeq: Math.max(server.lastSeq, local.lastSeq),
        readSeq,
        unread: Math.max(
          0,
          server.unread +
            countFromOthers(timeline, me, Math.max(server.lastSeq, readSeq), local.lastSeq) -
            countFromOthers(timeline, me, server.readSeq, readSeq),
        ),
        updatedAt: Math.max(server.updatedAt, local.updatedAt),
      };
      if (newer && local.lastMessage) merged.lastMessage = local.lastMessage;
      const lastMentionSeq = Math.max(server.lastMentionSeq ?? 0, local.lastMentionSeq ?? 0);
      if (lastMentionSeq > 0) merged.lastMentionSeq = lastMentionSeq;
    }
    this.conversations.set(server.id, merged);
    return merged;
  }

  /** A message was delivered in order; returns the changed conversation, if known. */
  noteMessage(message: Message, me: string | undefined): Conversation | undefined {
    const current = this.conversations.get(message.conversationId);
    if (!current || message.seq <= current.lastSeq) return undefined;
    const next: Conversation = {
      ...current,
      lastSeq: message.seq,
      lastMessage: message,
      updatedAt: Math.max(current.updatedAt, message.createdAt),
    };
    if (message.senderId === me) {
      // Sending moves the sender's own read cursor (docs/protocol.md).
      next.readSeq = Math.max(current.readSeq, message.seq);
      next.unread = 0;
    } else if (message.seq > current.readSeq && !isQuiet(message.body)) {
      next.unread = current.unread + 1;
    }
    if (mentions(message, me)) next.lastMentionSeq = message.seq;
    this.conversations.set(message.conversationId, next);
    return next;
  }

  /**
   * A message was recalled: it no longer counts as unread (when it did), and a
   * lastMessage that was it shows its tombstone. Returns the changed conversation.
   */
  noteRecalled(tombstone: Message, me: string | undefined): Conversation | undefined {
    const current = this.conversations.get(tombstone.conversationId);
    if (!current) return undefined;
    const next: Conversation = { ...current };
    if (tombstone.senderId !== me && tombstone.seq > current.readSeq) next.unread = Math.max(0, current.unread - 1);
    if (current.lastMessage?.id === tombstone.id) next.lastMessage = tombstone;
    this.conversations.set(tombstone.conversationId, next);
    return next;
  }

  /** This user's read cursor moved (here or on another device); returns the changed conversation. */
  noteOwnRead(conversationId: string, seq: number, me: string | undefined): Conversation | undefined {
    const current = this.conversations.get(conversationId);
    if (!current || seq <= current.readSeq) return undefined;
    const timeline = this.timelines.get(conversationId);
    const unread = timeline ? countFromOthers(timeline, me, seq, current.lastSeq) : 0;
    const next = { ...current, readSeq: seq, unread: Math.min(current.unread, unread) };
    this.conversations.set(conversationId, next);
    return next;
  }
}

/** Messages in (afterSeq, uptoSeq] that others sent, among those the timeline holds. */
function countFromOthers(timeline: Timeline, me: string | undefined, afterSeq: number, uptoSeq: number): number {
  if (uptoSeq <= afterSeq) return 0;
  let count = 0;
  for (const message of timeline.messages) {
    if (message.seq > afterSeq && message.seq <= uptoSeq && message.senderId !== me && !isQuiet(message.body)) {
      count += 1;
    }
  }
  return count;
}

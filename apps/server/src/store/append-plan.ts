import type { Message, RecalledBody } from "@mpchat/protocol";
import { recallTargetOf } from "./message-row";
import type { AppendInput, AppendResult } from "./store";

/**
 * What one group-commit batch writes, decided from what the transaction read:
 * the conversations' current `lastSeq` and the messages already stored under
 * the batch's `(senderId, clientMsgId)` keys. Pure, so both dialects share it.
 */
export interface AppendPlan {
  /** One per input, in input order. */
  results: AppendResult[];
  /** New messages, seqs already allocated (dense per conversation). */
  inserts: Message[];
  /** New counters per touched conversation (`mentionAllSeq` 0: no mention of all in this batch). */
  conversations: { id: string; lastSeq: number; updatedAt: number; mentionAllSeq: number }[];
  /** Each sender's read cursor moves to their newest message of the batch. */
  readCursors: { conversationId: string; userId: string; seq: number }[];
  /** Originals whose body becomes `recalled` (a recall stored in this batch names each). */
  recalls: { conversationId: string; messageId: string; body: RecalledBody }[];
  /** Members mentioned by id: their lastMentionSeq moves to `seq`. */
  mentions: { conversationId: string; userId: string; seq: number }[];
}

/**
 * The identity of a message from its sender's point of view (guarantee 2), as
 * one string: the length prefix keeps any pair of strings apart ("ab"+"c" vs
 * "a"+"bc") and is cheaper than JSON, which this runs twice per message.
 */
export function clientKey(senderId: string, clientMsgId: string): string {
  return `${senderId.length}:${senderId}${clientMsgId}`;
}

/**
 * `storedRecalls`: the recall messages already stored for the batch's recall
 * targets (by target id). A second recall of one message (stored before, or
 * earlier in the batch) is answered with the first one, as a duplicate.
 */
export function planAppend(
  batch: readonly AppendInput[],
  lastSeqOf: ReadonlyMap<string, number>,
  storedByKey: ReadonlyMap<string, Message>,
  storedRecalls: ReadonlyMap<string, Message> = new Map(),
): AppendPlan {
  const nextSeq = new Map<string, number>();
  const mentionAll = new Map<string, number>();
  const recalledBy = new Map<string, Message>(storedRecalls);
  const recalls: AppendPlan["recalls"] = [];
  // One entry per member: an UPDATE … FROM meets each row once, so the batch's newest mention is the one kept.
  const mentions = new Map<string, AppendPlan["mentions"][number]>();
  const updatedAt = new Map<string, number>();
  const cursors = new Map<string, { conversationId: string; userId: string; seq: number }>();
  const seen = new Map<string, Message>(storedByKey);
  const inserts: Message[] = [];
  const results: AppendResult[] = [];

  for (const input of batch) {
    const key = clientKey(input.senderId, input.clientMsgId);
    const earlier = seen.get(key);
    if (earlier) {
      results.push({ status: "duplicate", message: earlier });
      continue;
    }
    const lastSeq = nextSeq.get(input.conversationId) ?? lastSeqOf.get(input.conversationId);
    if (lastSeq === undefined) {
      results.push({ status: "not_found" });
      continue;
    }
    const target = recallTargetOf(input.body);
    const firstRecall = target === null ? undefined : recalledBy.get(target);
    if (firstRecall) {
      results.push({ status: "duplicate", message: firstRecall });
      continue;
    }
    const seq = lastSeq + 1;
    nextSeq.set(input.conversationId, seq);
    updatedAt.set(input.conversationId, Math.max(updatedAt.get(input.conversationId) ?? 0, input.createdAt));
    const message: Message = {
      id: input.id,
      conversationId: input.conversationId,
      seq,
      senderId: input.senderId,
      clientMsgId: input.clientMsgId,
      body: input.body,
      createdAt: input.createdAt,
    };
    seen.set(key, message);
    inserts.push(message);
    if (input.body.kind === "recall" && target !== null) {
      recalledBy.set(target, message);
      const by = input.body.by ?? "sender";
      recalls.push({ conversationId: input.conversationId, messageId: target, body: { kind: "recalled", by } });
    }
    if (input.body.kind === "text") {
      if (input.body.mentionAll) mentionAll.set(input.conversationId, seq);
      for (const userId of new Set(input.body.mentions ?? [])) {
        mentions.set(clientKey(input.conversationId, userId), { conversationId: input.conversationId, userId, seq });
      }
    }
    cursors.set(clientKey(input.conversationId, input.senderId), {
      conversationId: input.conversationId,
      userId: input.senderId,
      seq,
    });
    results.push({ status: "stored", message });
  }

  const conversations = [...nextSeq].map(([id, lastSeq]) => ({
    id,
    lastSeq,
    updatedAt: updatedAt.get(id) ?? 0,
    mentionAllSeq: mentionAll.get(id) ?? 0,
  }));
  return {
    results,
    inserts,
    conversations,
    readCursors: [...cursors.values()],
    recalls,
    mentions: [...mentions.values()],
  };
}

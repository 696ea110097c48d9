import type { Body } from "@mpchat/protocol";
import type { AppendInput, AppendResult, ConversationRecord, Store } from "../../src/store/store";

/* Helpers of the store contract suite (store-contract.ts and the parts it calls). */

/** What every part of the contract gets from storeContract: the store under test, once opened, and four users. */
export interface ContractContext {
  store(): Store;
  users: [string, string, string, string];
  /** A new group of these members. */
  group(memberIds: string[], title?: string): Promise<ConversationRecord>;
}

let counter = 0;
/** Ids unique within the run, so that tests sharing one database never collide. */
export function uid(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}_${Math.random().toString(36).slice(2, 8)}`;
}

export function text(t: string): Body {
  return { kind: "text", text: t };
}

export function input(conversationId: string, senderId: string, t: string, clientMsgId = uid("c")): AppendInput {
  return { id: uid("m"), conversationId, senderId, clientMsgId, body: text(t), createdAt: Date.now() };
}

export function stored(result: AppendResult | undefined) {
  if (result?.status !== "stored") throw new Error(`expected stored, got ${JSON.stringify(result)}`);
  return result.message;
}

/** Every message of a conversation, ascending, by paging with afterSeq. */
export async function allMessages(store: Store, conversationId: string) {
  const out = [];
  let afterSeq = 0;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await store.listMessages(conversationId, { afterSeq, limit: 200 });
    out.push(...page.messages);
    const last = page.messages.at(-1);
    if (!page.hasMore || !last) break;
    afterSeq = last.seq;
  }
  return out;
}

import type { Block } from "@mpchat/protocol";
import { badRequest, forbidden, notFound } from "../app-error";
import type { Store } from "../store/store";
import type { ChatDeps } from "./deps";

/**
 * Blocks (protocol 1.1, Safety): one user stops another. The blocked user can
 * no longer send into their direct conversation (`forbidden`), start one, or
 * add the blocker to a group; the blocker hears nothing more from them there
 * (no messages, no typing). Blocking is one way: the blocker may still write.
 * Every check asks the store (a primary-key lookup), so a block holds at once
 * on every instance.
 */
export class BlockService {
  constructor(private readonly deps: Pick<ChatDeps, "store" | "now">) {}

  async block(userId: string, targetId: string): Promise<{ block: Block; created: boolean }> {
    if (targetId === userId) throw badRequest("userId: you cannot block yourself");
    const [existing] = await this.deps.store.existingUserIds([targetId]);
    if (existing === undefined) throw notFound("unknown user");
    const { block, created } = await this.deps.store.addBlock({
      blockerId: userId,
      blockedId: targetId,
      createdAt: this.deps.now(),
    });
    return { block: { userId: block.blockedId, createdAt: block.createdAt }, created };
  }

  /** Idempotent: unblocking someone not blocked changes nothing. */
  async unblock(userId: string, targetId: string): Promise<void> {
    await this.deps.store.removeBlock(userId, targetId);
  }

  async list(userId: string): Promise<Block[]> {
    const blocks = await this.deps.store.listBlocks(userId);
    return blocks.map((block) => ({ userId: block.blockedId, createdAt: block.createdAt }));
  }
}

/** The other member of a direct conversation, if `userId` is one of its two. */
export function directPeerOf(conversation: { kind: string; memberIds: readonly string[] }, userId: string) {
  if (conversation.kind !== "direct") return undefined;
  return conversation.memberIds.find((member) => member !== userId);
}

/** True when `peerId` blocked `userId`. */
export async function isBlockedBy(store: Store, userId: string, peerId: string): Promise<boolean> {
  return (await store.blockersAmong(userId, [peerId])).length > 0;
}

/** Refuses (`forbidden`) when any of `others` blocked `userId`; `what` says what was refused. */
export async function requireNotBlockedBy(
  store: Store,
  userId: string,
  others: readonly string[],
  what: string,
): Promise<void> {
  const blockers = await store.blockersAmong(userId, others);
  if (blockers.length > 0) throw forbidden(`${what}: ${blockers.slice(0, 10).join(", ")} blocked you`);
}

import { and, eq, or } from "drizzle-orm";
import { clientKey } from "../append-plan";
import type { SqlScope } from "./sql-db";

/** Pairs per query at most: bounds the statement's parameters (2 per pair) on both dialects. */
const MAX_PAIRS_PER_QUERY = 500;

interface PendingLookup {
  blockedId: string;
  candidates: readonly string[];
  resolve: (blockers: string[]) => void;
  reject: (error: unknown) => void;
}

/**
 * Every send into a direct conversation asks whether the peer blocked the
 * sender, and must ask the store (a block holds at once, on every instance).
 * Asked one by one, that was a statement per message, the largest part of the
 * send path's CPU on both stores (a drizzle query built, sent and parsed for
 * each). Here the lookups asked in one turn of the event loop go out together
 * after it, as one query on the primary key for all their (blocker, blocked)
 * pairs, like the group committer's batches: the answer is as fresh as when the
 * query runs, and nothing waits longer than that turn.
 */
export class BlockLookups {
  private pending: PendingLookup[] | null = null;

  constructor(private readonly read: <T>(task: (q: SqlScope) => Promise<T>) => Promise<T>) {}

  /** The candidates who blocked `blockedId`. */
  blockersAmong(blockedId: string, candidates: readonly string[]): Promise<string[]> {
    return new Promise<string[]>((resolve, reject) => {
      if (this.pending === null) {
        this.pending = [];
        setImmediate(() => void this.flush());
      }
      this.pending.push({ blockedId, candidates, resolve, reject });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending ?? [];
    this.pending = null;
    const pairs = new Map<string, { blockerId: string; blockedId: string }>();
    for (const lookup of batch)
      for (const blockerId of lookup.candidates)
        pairs.set(clientKey(blockerId, lookup.blockedId), { blockerId, blockedId: lookup.blockedId });
    try {
      const found = new Set<string>();
      const all = [...pairs.values()];
      for (let i = 0; i < all.length; i += MAX_PAIRS_PER_QUERY) {
        const rows = await this.read((q) => selectBlockPairs(q, all.slice(i, i + MAX_PAIRS_PER_QUERY)));
        for (const row of rows) found.add(clientKey(row.blockerId, row.blockedId));
      }
      for (const lookup of batch)
        lookup.resolve(lookup.candidates.filter((blockerId) => found.has(clientKey(blockerId, lookup.blockedId))));
    } catch (error) {
      for (const lookup of batch) lookup.reject(error);
    }
  }
}

/** The stored blocks among `pairs` (each a primary-key point). */
async function selectBlockPairs(
  q: SqlScope,
  pairs: readonly { blockerId: string; blockedId: string }[],
): Promise<{ blockerId: string; blockedId: string }[]> {
  const { blocks } = q.t;
  return q.db
    .select({ blockerId: blocks.blockerId, blockedId: blocks.blockedId })
    .from(blocks)
    .where(or(...pairs.map((p) => and(eq(blocks.blockerId, p.blockerId), eq(blocks.blockedId, p.blockedId)))));
}

import type { Message } from "@mpchat/protocol";

/**
 * Records of blocks and reports (protocol 1.1, Safety), as the Store port
 * speaks them. Kept apart from store.ts so that each table's shape is in one place.
 */

/** `blockerId` blocked `blockedId` at `createdAt`. */
export interface BlockRecord {
  blockerId: string;
  blockedId: string;
  createdAt: number;
}

export type ReportStatus = "open" | "resolved";

/** A report, with a copy of the reported message as it was (a recall later keeps the evidence). */
export interface ReportRecord {
  id: string;
  reporterId: string;
  conversationId: string;
  messageId?: string;
  userId?: string;
  reason: string;
  /** The reported message when it was reported (absent without `messageId`). */
  message?: Message;
  status: ReportStatus;
  createdAt: number;
  resolvedAt?: number;
  note?: string;
}

/** Store methods for blocks and reports (part of the Store port). */
export interface SafetyStore {
  /** Stores the block once: a repeat (even concurrent) answers the first, with `created: false`. */
  addBlock(block: BlockRecord): Promise<{ block: BlockRecord; created: boolean }>;
  /** True when there was such a block. */
  removeBlock(blockerId: string, blockedId: string): Promise<boolean>;
  /** The blocks `blockerId` made, newest first. */
  listBlocks(blockerId: string): Promise<BlockRecord[]>;
  /** The users among `candidates` who blocked `blockedId` (any order; empty for no candidates). */
  blockersAmong(blockedId: string, candidates: readonly string[]): Promise<string[]>;
  createReport(report: ReportRecord): Promise<ReportRecord>;
  /** Reports with that status (all without), newest first, at most `limit`. */
  listReports(query: { status?: ReportStatus; limit: number }): Promise<ReportRecord[]>;
  /**
   * Marks an open report resolved at `resolvedAt` with the operator's `note`; an already
   * resolved one keeps its first resolution. Answers the report as it now is; null when unknown.
   */
  resolveReport(id: string, resolution: { resolvedAt: number; note?: string }): Promise<ReportRecord | null>;
  /** One message by its id, whatever its conversation; null when unknown. */
  findMessage(id: string): Promise<Message | null>;
}

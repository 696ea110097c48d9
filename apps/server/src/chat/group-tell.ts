import { publishQuietly } from "../bus/publish-quietly";
import type { GroupChangeResult } from "../store/store";
import type { ChatDeps } from "./deps";

/** Who stops receiving the conversation with a change, and why (`conversation_removed`). */
export interface Removal {
  userIds: string[];
  /** "dissolved": an operator dissolved the group (admin/conversations.ts); the group code's own are the others. */
  reason: "removed" | "left" | "dissolved";
}

/**
 * Tells a stored group change: the removed first (`members_removed`: their
 * `conversation_removed`, and every instance stops pushing them anything of it),
 * then the system messages to who are members after it (the removed are not told
 * of their own removal). The members' `conversation` views are the caller's to send.
 */
export async function tellGroupChange(
  deps: Pick<ChatDeps, "bus" | "members" | "log">,
  result: GroupChangeResult,
  removal: Removal | undefined,
): Promise<void> {
  const { after, messages } = result;
  // This instance's cache forgets at once; the others when they hear the events below.
  deps.members.forget(after.id);
  const first = messages[0];
  if (removal && first) {
    await publishQuietly(deps, {
      type: "members_removed",
      conversationId: after.id,
      userIds: removal.userIds,
      reason: removal.reason,
      seq: first.seq,
    });
  }
  for (const message of messages) {
    await publishQuietly(deps, { type: "message", recipients: after.memberIds, conversationId: after.id, message });
  }
}

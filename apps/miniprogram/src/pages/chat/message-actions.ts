import { strings } from "../../strings";
import type { GroupRole } from "../../view/roles";
import type { BubbleItem } from "./chat-items";

/** The server's default RECALL_WINDOW_MS (PROTOCOL.md): a sender may take a message back for 2 minutes. */
export const DEFAULT_RECALL_WINDOW_MS = 120_000;
/** WeChat offers "重新编辑" of an own recalled text for a while after the recall. */
export const REEDIT_WINDOW_MS = 5 * 60_000;

export type MessageAction = "copy" | "reply" | "recall" | "delete" | "report";

export interface ActionView {
  action: MessageAction;
  label: string;
}

export interface ActionContext {
  me: string;
  /** My role in the conversation (direct chats: member). */
  role: GroupRole;
  now: number;
  recallWindowMs: number;
  /** The conversation takes no more messages (left, removed, dissolved): no reply, no recall. */
  readOnly: boolean;
}

/**
 * The long-press menu of a bubble. Copy for texts; reply and delete-for-me for any stored
 * message; recall for my own message within the window, or any message for the group's owner
 * and admins; report for others' messages. Pending bubbles and grey lines have none.
 */
export function actionsFor(item: BubbleItem, context: ActionContext): ActionView[] {
  if (item.system || item.status !== "sent" || item.messageId === "") return [];
  const actions: MessageAction[] = [];
  if (item.kind === "text") actions.push("copy");
  if (!context.readOnly) actions.push("reply");
  const ownInTime = item.mine && context.now - item.createdAt <= context.recallWindowMs;
  const manager = context.role === "owner" || context.role === "admin";
  if (!context.readOnly && (ownInTime || manager)) actions.push("recall");
  actions.push("delete");
  if (!item.mine) actions.push("report");
  const labels = strings.chat.actions;
  const label: Record<MessageAction, string> = {
    copy: labels.copy,
    reply: labels.reply,
    recall: labels.recall,
    delete: labels.deleteForMe,
    report: labels.report,
  };
  return actions.map((action) => ({ action, label: label[action] }));
}

import type { ChatClient } from "@mpchat/client";
import { strings } from "../strings";
import { describeError } from "../view/describe-error";

/** "投诉" of a message: the user picks a reason, the server stores the report for the operator. */
export interface ReportTarget {
  conversationId: string;
  messageId: string;
  senderId: string;
}

/** Resolves to the reason tapped, or undefined when the user cancels the sheet. */
function askReason(): Promise<string | undefined> {
  const reasons = strings.chat.actions.reportReasons;
  return new Promise((resolve) => {
    wx.showActionSheet({
      itemList: [...reasons],
      success: (result) => resolve(reasons[result.tapIndex]),
      fail: () => resolve(undefined),
    });
  });
}

/** Asks a reason and sends the report; toasts 已提交 or the error. Resolves when done (or cancelled). */
export async function reportMessage(client: ChatClient, target: ReportTarget): Promise<void> {
  const reason = await askReason();
  if (reason === undefined) return;
  try {
    await client.report({
      conversationId: target.conversationId,
      messageId: target.messageId,
      userId: target.senderId,
      reason,
    });
    wx.showToast({ title: strings.chat.actions.reportSent, icon: "success" });
  } catch (error) {
    wx.showToast({ title: `${strings.chat.actions.reportFailed}（${describeError(error)}）`, icon: "none" });
  }
}

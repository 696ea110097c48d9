import { reportMessage } from "../../services/report";
import { strings } from "../../strings";
import { describeError } from "../../view/describe-error";
import { roleOf } from "../../view/roles";
import type { BubbleItem } from "./chat-items";
import { actionsFor, DEFAULT_RECALL_WINDOW_MS, type MessageAction, REEDIT_WINDOW_MS } from "./message-actions";
import { type ChatPageInstance, type PageState, stateOf, tappedItem } from "./page-state";

/** Most older pages loaded to find a quoted original before giving up. */
const MAX_PAGES_TO_QUOTE = 20;

function isReadOnly(state: PageState): boolean {
  const conversation = state.chat.client.conversation(state.conversationId);
  return state.removed || !conversation || conversation.dissolved === true;
}

function menuItem(page: ChatPageInstance): BubbleItem | undefined {
  const key = page.data.menu?.key;
  return key === undefined ? undefined : page.data.items.find((item) => item.key === key);
}

/** Long-press on a bubble, its menu, the quote of a reply, "重新编辑". */
export const actionMethods = {
  onLongPressBubble(this: ChatPageInstance, event: WechatMiniprogram.TouchEvent) {
    const state = stateOf(this);
    const item = tappedItem(this, event);
    if (!state || !item) return;
    const conversation = state.chat.client.conversation(state.conversationId);
    const actions = actionsFor(item, {
      me: state.chat.user.id,
      role: roleOf(conversation, state.chat.user.id),
      now: Date.now(),
      recallWindowMs: state.chat.client.recallWindowMs ?? DEFAULT_RECALL_WINDOW_MS,
      readOnly: isReadOnly(state),
    });
    if (actions.length === 0) return;
    // The bar floats above the finger, as WeChat's does; never off the top.
    const y = event.touches?.[0]?.clientY ?? event.changedTouches?.[0]?.clientY ?? 200;
    this.setData({ menu: { key: item.key, actions, top: Math.max(8, y - 64) } });
  },

  onCloseMenu(this: ChatPageInstance) {
    if (this.data.menu) this.setData({ menu: null });
  },

  onMenuAction(this: ChatPageInstance, event: WechatMiniprogram.BaseEvent) {
    const state = stateOf(this);
    const item = menuItem(this);
    const action = event.currentTarget.dataset.action as MessageAction | undefined;
    this.setData({ menu: null });
    if (!state || !item || action === undefined) return;
    const { client } = state.chat;
    switch (action) {
      case "copy":
        wx.setClipboardData({ data: item.text });
        return;
      case "reply":
        this.setData({
          replying: { seq: item.seq, text: strings.chat.replyQuote(item.sender || strings.chat.you, item.text) },
          focus: true,
        });
        return;
      case "recall":
        if (item.mine && item.kind === "text") state.reedits.set(item.messageId, { text: item.text, at: Date.now() });
        client.recall(state.conversationId, item.messageId).done.catch((error: unknown) => {
          state.reedits.delete(item.messageId);
          wx.showToast({ title: `${strings.chat.actions.recallFailed}（${describeError(error)}）`, icon: "none" });
        });
        this.render();
        return;
      case "delete":
        state.hidden.hide(state.conversationId, item.messageId);
        this.render();
        return;
      case "report":
        void reportMessage(client, {
          conversationId: state.conversationId,
          messageId: item.messageId,
          senderId: item.senderId,
        });
        return;
    }
  },

  onCancelReply(this: ChatPageInstance) {
    this.setData({ replying: null });
  },

  /** A tap on a reply's quote: scroll to the original, loading older pages until it is there. */
  async onTapQuote(this: ChatPageInstance, event: WechatMiniprogram.BaseEvent) {
    const state = stateOf(this);
    const seq = Number(event.currentTarget.dataset.seq);
    if (!state || !Number.isInteger(seq) || seq <= 0) return;
    const { client } = state.chat;
    const id = state.conversationId;
    const has = () => client.messages(id).some((message) => message.seq === seq);
    for (let page = 0; !has() && client.hasOlder(id) && page < MAX_PAGES_TO_QUOTE; page++) {
      try {
        await client.loadOlder(id);
      } catch {
        break;
      }
    }
    if (has()) state.scroll.prepending(`m-${seq}`);
    this.render();
    if (has()) this.setData({ scrollIntoView: `m-${seq}`, highlightSeq: seq });
  },

  /** "重新编辑": my recalled text back into the input. */
  onReedit(this: ChatPageInstance, event: WechatMiniprogram.BaseEvent) {
    const state = stateOf(this);
    const messageId = event.currentTarget.dataset.id;
    const kept = typeof messageId === "string" ? state?.reedits.get(messageId) : undefined;
    if (!kept) return;
    this.setData({ input: this.data.input + kept.text, focus: true, voiceMode: false });
  },
};

/** Whether "重新编辑" is still offered for my recalled message. */
export function canReedit(state: PageState, messageId: string, now: number = Date.now()): boolean {
  const kept = state.reedits.get(messageId);
  return kept !== undefined && now - kept.at <= REEDIT_WINDOW_MS;
}

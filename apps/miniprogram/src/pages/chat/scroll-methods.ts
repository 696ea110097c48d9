import { strings } from "../../strings";
import { describeError } from "../../view/describe-error";
import { type ChatPageInstance, stateOf } from "./page-state";

type ScrollPage = ChatPageInstance & { data: { loadingOlder: boolean } };

/** Scrolling: older history at the top, following new messages at the bottom. */
export const scrollMethods = {
  async onScrollToUpper(this: ScrollPage) {
    const state = stateOf(this);
    if (!state || this.data.loadingOlder || !state.chat.client.hasOlder(state.conversationId)) return;
    state.scroll.prepending(this.data.items[0]?.domId ?? "");
    this.setData({ loadingOlder: true, olderError: "" });
    try {
      // The client's default page (50) per scroll to the top.
      await state.chat.client.loadOlder(state.conversationId);
      this.setData({ loadingOlder: false });
    } catch (error) {
      state.scroll.prependFailed();
      this.setData({ loadingOlder: false, olderError: `${strings.chat.loadOlderFailed}（${describeError(error)}）` });
    }
    this.render();
  },

  onScrollToLower(this: ScrollPage) {
    stateOf(this)?.scroll.reachedBottom();
  },

  onScroll(this: ScrollPage, event: WechatMiniprogram.ScrollViewScroll) {
    stateOf(this)?.scroll.scrolled(event.detail.scrollTop, event.detail.scrollHeight);
  },
};

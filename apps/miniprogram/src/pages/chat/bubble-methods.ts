import { openFile, previewImage } from "./media-open";
import { type ChatPageInstance, stateOf, tappedItem } from "./page-state";

/** Taps on bubbles: play a voice, preview an image, open a file, retry a failed send. */
export const bubbleMethods = {
  onPlayVoice(this: ChatPageInstance, event: WechatMiniprogram.BaseEvent) {
    const item = tappedItem(this, event);
    if (item?.voice) stateOf(this)?.player.toggle(item.key, item.voice.src);
  },

  onOpenImage(this: ChatPageInstance, event: WechatMiniprogram.BaseEvent) {
    const item = tappedItem(this, event);
    if (item?.image && item.status === "sent") previewImage(this.data.items, item);
  },

  onOpenFile(this: ChatPageInstance, event: WechatMiniprogram.BaseEvent) {
    const item = tappedItem(this, event);
    if (item?.file && item.status === "sent") openFile(item.file);
  },

  onRetry(this: ChatPageInstance, event: WechatMiniprogram.BaseEvent) {
    const state = stateOf(this);
    const clientMsgId = event.currentTarget.dataset.id;
    if (!state || typeof clientMsgId !== "string") return;
    // The content check would refuse it again: nothing to retry.
    if (this.data.items.some((item) => item.clientMsgId === clientMsgId && item.rejected)) return;
    state.chat.client.retry(clientMsgId)?.done.catch(() => undefined);
    state.scroll.follow();
    this.render();
  },
};

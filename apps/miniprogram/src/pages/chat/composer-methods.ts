import { strings } from "../../strings";
import { closePanels, initialComposer, togglePanel, toggleVoice } from "./composer";
import { deleteLast } from "./emoji";
import { learnImageSize } from "./local-images";
import { chooseChatFile, chooseImages, isUserRefusal, type PickedFile } from "./media-pick";
import { sendPicked } from "./media-send";
import { type ChatPageInstance, stateOf } from "./page-state";

type Touch = WechatMiniprogram.TouchEvent;

const composerOf = (page: ChatPageInstance) => ({
  voiceMode: page.data.voiceMode,
  panel: page.data.panel,
  focus: page.data.focus,
});

/** The finger's height on the screen (clientY), from a touch event. */
function touchY(event: Touch): number {
  return event.touches[0]?.clientY ?? event.changedTouches[0]?.clientY ?? 0;
}

async function pickAndSend(page: ChatPageInstance, pick: () => Promise<PickedFile[]>): Promise<void> {
  const state = stateOf(page);
  if (!state) return;
  let files: PickedFile[];
  try {
    files = await pick();
  } catch (error) {
    if (!isUserRefusal(error)) wx.showToast({ title: strings.chat.pickFailed, icon: "none" });
    return;
  }
  page.setData(closePanels(composerOf(page)));
  for (const file of files) {
    // The outbox first; the picture's shape follows when WeChat has read it.
    sendPicked(state, file);
    if (file.kind === "image") learnImageSize(file.path, () => page.render());
  }
  state.scroll.follow();
  page.render();
}

/** The input bar: the voice/keyboard toggle, emoji and "+" panels, hold-to-talk. */
export const composerMethods = {
  onToggleVoice(this: ChatPageInstance) {
    this.setData(toggleVoice(composerOf(this)));
  },

  onToggleEmoji(this: ChatPageInstance) {
    this.setData(togglePanel(composerOf(this), "emoji"));
  },

  onTogglePlus(this: ChatPageInstance) {
    this.setData(togglePanel(composerOf(this), "plus"));
  },

  /** A tap on the messages closes the panels (and WeChat lowers the keyboard). */
  onTapMessages(this: ChatPageInstance) {
    if (this.data.panel !== "" || this.data.focus) this.setData(closePanels(composerOf(this)));
  },

  onInputFocus(this: ChatPageInstance) {
    if (this.data.panel !== "") this.setData(closePanels(composerOf(this), true));
  },

  onInputBlur(this: ChatPageInstance) {
    if (this.data.focus) this.setData({ focus: false });
  },

  onPickEmoji(this: ChatPageInstance, event: WechatMiniprogram.BaseEvent) {
    const emoji = event.currentTarget.dataset.emoji;
    if (typeof emoji === "string") this.setData({ input: this.data.input + emoji });
  },

  onDeleteEmoji(this: ChatPageInstance) {
    if (this.data.input !== "") this.setData({ input: deleteLast(this.data.input) });
  },

  onChooseAlbum(this: ChatPageInstance) {
    return pickAndSend(this, () => chooseImages("album"));
  },

  onChooseCamera(this: ChatPageInstance) {
    return pickAndSend(this, () => chooseImages("camera"));
  },

  onChooseFile(this: ChatPageInstance) {
    return pickAndSend(this, chooseChatFile);
  },

  onAgreePrivacy(this: ChatPageInstance, event: WechatMiniprogram.BaseEvent) {
    stateOf(this)?.privacy.agree(String(event.currentTarget?.id || "agree-privacy"));
  },

  onDeclinePrivacy(this: ChatPageInstance) {
    stateOf(this)?.privacy.decline();
    wx.showToast({ title: strings.privacy.chatDeclined, icon: "none" });
  },

  onOpenPrivacyContract() {
    wx.openPrivacyContract?.({});
  },

  onTalkStart(this: ChatPageInstance, event: Touch) {
    stateOf(this)?.talk.press(touchY(event));
  },

  onTalkMove(this: ChatPageInstance, event: Touch) {
    stateOf(this)?.talk.move(touchY(event));
  },

  onTalkEnd(this: ChatPageInstance) {
    stateOf(this)?.talk.release();
  },

  onTalkCancel(this: ChatPageInstance) {
    stateOf(this)?.talk.release(true);
  },
};

export const composerData = {
  ...initialComposer,
  recording: false,
  recordCancel: false,
};

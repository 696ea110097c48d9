import { appServices } from "../../services/app-context";
import type { ChatSession } from "../../services/chat-session";
import { needsProfile, nextPage, PAGES, PLACEHOLDER_NAME } from "../../services/landing";
import { uploadMedia } from "../../services/media-upload";
import { strings } from "../../strings";
import { describeError } from "../../view/describe-error";
import { facesOf } from "../../view/faces";
import { MAX_NAME_CODE_POINTS, PrivacyGate } from "./privacy-gate";

interface PageState {
  chat: ChatSession;
  privacy: PrivacyGate;
  unsubscribe: () => void;
}

const states = new WeakMap<object, PageState>();

/**
 * Name and avatar: right after a first WeChat login (`?setup=1`), and later from the list's "我".
 * The nickname comes from `<input type="nickname">`, read on form submit (WeChat may clear a
 * refused nickname on blur); the avatar from `<button open-type="chooseAvatar">`, uploaded and set
 * with PATCH /v1/me. Before chooseAvatar WeChat asks for consent to the privacy guide through our
 * own popup (PrivacyGate); without it the page still saves the name.
 */
Component({
  data: {
    t: strings.profile,
    p: strings.privacy,
    setup: false,
    /** The name as the server knows it (shown as the input's value). */
    name: "",
    face: { src: "", letter: "", color: "" },
    privacyShown: false,
    privacyDeclined: false,
    uploading: false,
    busy: false,
    error: "",
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const chat = appServices().chat;
      if (!chat) {
        wx.reLaunch({ url: PAGES.login });
        return;
      }
      const privacy = new PrivacyGate((shown) =>
        this.setData(shown ? { privacyShown: true } : { privacyShown: false }),
      );
      const unsubscribe = chat.people.onChange(() => this.render());
      states.set(this, { chat, privacy, unsubscribe });
      const setup = query.setup === "1";
      const me = chat.people.get(chat.user.id) ?? chat.user;
      this.setData({ setup, name: needsProfile(me) ? "" : me.name });
      wx.setNavigationBarTitle({ title: setup ? strings.profile.title : strings.profile.editTitle });
      this.render();
    },

    onUnload() {
      const state = states.get(this);
      state?.unsubscribe();
      states.delete(this);
    },

    render() {
      const state = states.get(this);
      if (!state) return;
      const { people, media, user } = state.chat;
      const face = facesOf(people, media).avatarOf(user.id);
      // The placeholder name is nobody's initial: the empty tile shows "?" until a name is set.
      if (people.nameOf(user.id) === PLACEHOLDER_NAME) face.letter = "?";
      this.setData({ face });
    },

    onAgreePrivacy(event: WechatMiniprogram.BaseEvent) {
      states.get(this)?.privacy.agree(String(event.currentTarget?.id || "agree-privacy"));
      this.setData({ privacyDeclined: false });
    },

    onDeclinePrivacy() {
      states.get(this)?.privacy.decline();
      this.setData({ privacyDeclined: true });
    },

    onOpenPrivacyContract() {
      wx.openPrivacyContract?.({});
    },

    /** chooseAvatar gave a temporary file: upload it, then make it the avatar. */
    async onChooseAvatar(event: { detail: { avatarUrl?: string } }) {
      const state = states.get(this);
      const path = event.detail.avatarUrl;
      if (!state || !path || this.data.uploading) return;
      this.setData({ uploading: true, error: "", privacyDeclined: false });
      try {
        const media = await uploadMedia(wx, appServices().server, state.chat.token(), {
          path,
          kind: "image",
          clientMediaId: `avatar-${Date.now().toString(36)}`,
        });
        await state.chat.client.updateProfile({ avatarMediaId: media.id });
        this.setData({ uploading: false });
      } catch (error) {
        console.warn("avatar failed", error);
        this.setData({ uploading: false, error: strings.profile.uploadFailed });
      }
      this.render();
    },

    async onSubmit(event: { detail: { value: Record<string, unknown> } }) {
      const state = states.get(this);
      if (!state || this.data.busy) return;
      const name = String(event.detail.value.nickname ?? "").trim();
      if (name === "") {
        this.setData({ error: strings.profile.nameRequired });
        return;
      }
      if (Array.from(name).length > MAX_NAME_CODE_POINTS) {
        this.setData({ error: strings.profile.nameTooLong });
        return;
      }
      this.setData({ busy: true, error: "" });
      try {
        const user = await state.chat.client.updateProfile({ name });
        this.setData({ busy: false, name: user.name });
        this.leave();
      } catch (error) {
        this.setData({ busy: false, error: `${strings.profile.saveFailed}：${describeError(error)}` });
      }
    },

    onSkip() {
      this.leave();
    },

    leave() {
      if (this.data.setup) {
        wx.reLaunch({ url: nextPage(appServices().pendingInvite) });
      } else {
        wx.showToast({ title: strings.profile.saved, icon: "success" });
        wx.navigateBack({ delta: 1 });
      }
    },

    async onLogout() {
      await appServices().logout();
      wx.reLaunch({ url: PAGES.login });
    },
  },
});

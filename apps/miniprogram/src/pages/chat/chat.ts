import { Limits } from "@mpchat/protocol";
import { appServices } from "../../services/app-context";
import { HiddenMessages } from "../../services/hidden-messages";
import { strings } from "../../strings";
import { connectionBanner } from "../../view/connection-banner";
import { facesOf } from "../../view/faces";
import { RenderScheduler } from "../../view/render-scheduler";
import { conversationTitle } from "../conversations/conversation-items";
import { PrivacyGate } from "../profile/privacy-gate";
import { actionMethods, canReedit } from "./action-methods";
import { bubbleMethods } from "./bubble-methods";
import { type BubbleItem, readStateOf, toBubbleItems } from "./chat-items";
import { chatTexts } from "./chat-texts";
import { composerData, composerMethods } from "./composer-methods";
import { EMOJI } from "./emoji";
import { HoldToTalk } from "./hold-to-talk";
import { localImageSize } from "./local-images";
import { sendVoice } from "./media-send";
import { type MentionCandidate, mentionMethods, mentionsIn, typedAt } from "./mention-methods";
import { type PageState, setState, stateOf } from "./page-state";
import { type PeerPanel, peerMethods } from "./peer-methods";
import { ScrollFollower } from "./scroll-follower";
import { scrollMethods } from "./scroll-methods";
import { shareMethods } from "./share-methods";
import { TypingIndicator } from "./typing-indicator";
import { VoicePlayer } from "./voice-player";
import { MuteEndTimer, writeNoticeOf } from "./write-notice";

/** Query values may arrive still URL-encoded; decoding an already-plain id changes nothing. */
function decodeQueryValue(value: string | undefined): string {
  if (value === undefined) return "";
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * One conversation: bubbles (own on the right), pending and failed-with-retry states, typing
 * indicator, read state, older history on scroll to the top, following new messages at the
 * bottom, and a banner while offline or reconnecting; image, voice and file bubbles, and the input
 * bar of WeChat (voice/keyboard, emoji, "+": composer-methods.ts; taps on bubbles: bubble-methods.ts).
 * State lives in the app's ChatClient; this page renders it and turns taps into client calls.
 */
Component({
  data: {
    t: chatTexts,
    p: strings.privacy,
    privacyShown: false,
    emoji: EMOJI,
    ...composerData,
    /** The voice bubble playing (its key), animated. */
    playingKey: "",
    conversationId: "",
    title: "",
    /** What the navigation bar shows (the title, and a group's member count). */
    barTitle: "",
    items: [] as BubbleItem[],
    input: "",
    banner: "",
    typingText: "",
    hasOlder: false,
    loadingOlder: false,
    olderError: "",
    scrollIntoView: "",
    /** The long-press menu of one bubble (its key), floating at `top` px; null when closed. */
    peer: null as PeerPanel | null,
    menu: null as { key: string; actions: { action: string; label: string }[]; top: number } | null,
    /** The message the next send replies to, shown above the input. */
    replying: null as { seq: number; text: string } | null,
    /** The original a tapped quote scrolled to, flashed. */
    highlightSeq: 0,
    mentionOpen: false,
    mentionCandidates: [] as MentionCandidate[],
    mentionAllowAll: false,
    isGroup: false,
    /** Why the input is gone (left, removed, dissolved); empty while one can write. */
    readOnlyNotice: "",
    /** Why the input is gone for now (全员禁言中, 你已被禁言); empty while one can write. */
    mutedNotice: "",
  },

  methods: {
    ...composerMethods,
    ...bubbleMethods,
    ...actionMethods,
    ...mentionMethods,
    ...peerMethods,
    ...shareMethods,
    ...scrollMethods,

    onLoad(query: Record<string, string | undefined>) {
      const chat = appServices().chat;
      if (!chat) {
        wx.reLaunch({ url: "/pages/login/login" });
        return;
      }
      const conversationId = decodeQueryValue(query.id);
      const { client } = chat;
      const scheduler = new RenderScheduler(() => this.render());
      const rerender = () => scheduler.schedule();
      const mine = (event: { conversationId: string }) => event.conversationId === conversationId;
      const state: PageState = {
        chat,
        conversationId,
        scheduler,
        unsubscribe: [],
        visible: false,
        scroll: new ScrollFollower(wx.getWindowInfo().windowHeight),
        typing: new TypingIndicator((userId) => this.showTyping(userId)),
        markedSeq: 0,
        privacy: new PrivacyGate((shown) => this.setData({ privacyShown: shown })),
        hidden: new HiddenMessages(wx, chat.user.id),
        reedits: new Map(),
        mentions: new Map(),
        removed: false,
        muteEnd: new MuteEndTimer(rerender),
        player: new VoicePlayer((playingKey) => this.setData({ playingKey })),
        talk: new HoldToTalk(wx.getRecorderManager(), {
          view: ({ recording, cancel }) => this.setData({ recording, recordCancel: cancel }),
          recorded: (clip) => {
            sendVoice(state, clip);
            this.render();
          },
          tooShort: () => wx.showToast({ title: strings.chat.voiceTooShort, icon: "none" }),
          failed: () => wx.showToast({ title: strings.chat.recordFailed, icon: "none" }),
        }),
      };
      setState(this, state);
      state.unsubscribe.push(
        client.on("message", (message) => {
          if (!mine(message)) return;
          state.typing.messageFrom(message.senderId);
          rerender();
        }),
        client.on("outbox", rerender),
        client.on("upload_progress", (progress) => mine(progress) && rerender()),
        client.on("sent", rerender),
        client.on("receipt", (receipt) => mine(receipt) && rerender()),
        client.on("conversation", (conversation) => conversation.id === conversationId && rerender()),
        client.on("recalled", (recalled) => mine(recalled) && rerender()),
        // Left or removed (also on another device): the chat stays open, read-only.
        client.on("conversationRemoved", (removed) => {
          if (!mine(removed)) return;
          state.removed = true;
          rerender();
        }),
        client.on("state", rerender),
        client.on("typing", (typing) => {
          if (mine(typing) && typing.userId !== chat.user.id) state.typing.typing(typing.userId);
        }),
        // A renamed member or a new avatar: names and faces change in place.
        chat.people.onChange(rerender),
      );
      this.setData({ conversationId });
      this.render();
    },

    onShow() {
      const state = stateOf(this);
      if (!state) return;
      state.visible = true;
      state.scheduler.schedule();
      // onShareAppMessage must answer at once: the code is made while the page shows.
      state.chat.invites.prepare(this.shareTarget()).catch(() => undefined);
      // The user may have changed their notice settings meanwhile; the send tap must decide at once.
      void state.chat.notices.prepare();
    },

    onHide() {
      const state = stateOf(this);
      if (!state) return;
      state.visible = false;
      // Going away mid-recording cancels it (WeChat stops the recorder in the background anyway).
      state.talk.release(true);
    },

    onUnload() {
      const state = stateOf(this);
      if (!state) return;
      state.scheduler.stop();
      state.typing.stop();
      state.muteEnd.stop();
      state.talk.release(true);
      state.player.destroy();
      for (const unsubscribe of state.unsubscribe) unsubscribe();
      setState(this, undefined);
    },

    render() {
      const state = stateOf(this);
      if (!state) return;
      const { client, user, people, media } = state.chat;
      const id = state.conversationId;
      const conversation = client.conversation(id);
      const messages = client.messages(id);
      people.want(conversation?.memberIds ?? []);
      const faces = facesOf(people, media);
      const now = Date.now();
      const notice = writeNoticeOf(conversation, user.id, state.removed, now);
      const items = toBubbleItems({
        messages,
        outbox: client.outbox(id),
        me: user.id,
        kind: conversation?.kind ?? "direct",
        memberIds: conversation?.memberIds ?? [],
        read: readStateOf(client.readSeqsOf(id), user.id),
        faces,
        media,
        localImageSize,
        hidden: state.hidden.of(id),
        canReedit: (messageId) => canReedit(state, messageId),
      });

      const patch: Record<string, unknown> = {
        items,
        banner: connectionBanner(client.state),
        hasOlder: client.hasOlder(id),
        isGroup: conversation?.kind === "group" || (state.removed && this.data.isGroup),
        readOnlyNotice: notice.readOnly,
        mutedNotice: notice.muted,
      };
      state.muteEnd.set(notice.until, now);
      const scrollTo = state.scroll.target(items[items.length - 1]?.domId);
      if (scrollTo !== undefined) patch.scrollIntoView = scrollTo;
      const title = conversation ? conversationTitle(conversation, user.id, faces) : "";
      if (title !== this.data.title) patch.title = title;
      // Groups show their size too ("周末爬山(4)"); a join changes it without changing the title.
      const barTitle =
        conversation?.kind === "group" ? strings.chat.groupTitle(title, conversation.memberIds.length) : title;
      if (barTitle !== this.data.barTitle) {
        patch.barTitle = barTitle;
        wx.setNavigationBarTitle({ title: barTitle || strings.appName });
      }
      this.setData(patch);

      const lastSeq = messages.length > 0 ? (messages[messages.length - 1]?.seq ?? 0) : 0;
      if (state.visible && lastSeq > state.markedSeq && lastSeq > (conversation?.readSeq ?? 0)) {
        state.markedSeq = lastSeq;
        client.markRead(id, lastSeq);
      }
    },

    /** Shows who is typing (called by the TypingIndicator); an empty id hides it. */
    showTyping(userId: string) {
      const state = stateOf(this);
      if (!state) return;
      const group = state.chat.client.conversation(state.conversationId)?.kind === "group";
      const name = state.chat.people.nameOf(userId);
      const text = userId === "" ? "" : group ? strings.chat.typingGroup(name) : strings.chat.typingDirect;
      this.setData({ typingText: text });
    },

    onInput(event: WechatMiniprogram.Input) {
      const state = stateOf(this);
      const before = this.data.input;
      this.setData({ input: event.detail.value });
      if (this.data.isGroup && typedAt(before, event.detail.value)) this.openMentions();
      if (state && event.detail.value !== "") state.chat.client.typing(state.conversationId);
    },

    onSend() {
      const state = stateOf(this);
      const text = this.data.input.trim();
      if (!state || text === "") return;
      if (Array.from(text).length > Limits.MAX_TEXT_CODE_POINTS) {
        wx.showToast({ title: strings.chat.tooLong(Limits.MAX_TEXT_CODE_POINTS), icon: "none" });
        return;
      }
      // A natural moment to ask for offline notices (a tap handler, as WeChat requires); once a session.
      void state.chat.notices.onTap();
      // The client writes it to the outbox before touching the network; a refusal shows as a
      // failed bubble through the outbox event, so the promise itself needs no handler here.
      const mentions = mentionsIn(text, state.mentions);
      const replying = this.data.replying;
      state.chat.client
        .send(state.conversationId, text, {
          ...(replying ? { replyTo: { seq: replying.seq } } : {}),
          ...(mentions.ids.length > 0 ? { mentions: mentions.ids } : {}),
          ...(mentions.all ? { mentionAll: true } : {}),
        })
        .done.catch(() => undefined);
      state.mentions.clear();
      state.scroll.follow();
      this.setData({ input: "", replying: null });
      this.render();
    },

    /** "···" of a group: its info page. */
    onOpenGroup() {
      const state = stateOf(this);
      if (!state || state.removed) return;
      wx.navigateTo({ url: `/pages/group/group?id=${encodeURIComponent(state.conversationId)}` });
    },
  },
});

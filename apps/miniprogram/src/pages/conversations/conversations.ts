import { appServices } from "../../services/app-context";
import type { ChatSession } from "../../services/chat-session";
import { strings } from "../../strings";
import { connectionBanner } from "../../view/connection-banner";
import { describeError } from "../../view/describe-error";
import { facesOf } from "../../view/faces";
import { RenderScheduler } from "../../view/render-scheduler";
import { type ConversationItem, parseMemberIds, toConversationItems } from "./conversation-items";

/** What one page instance holds outside `data` (it never goes to the view layer). */
interface PageState {
  chat: ChatSession;
  scheduler: RenderScheduler;
  unsubscribe: Array<() => void>;
}

const states = new WeakMap<object, PageState>();

function invitePath(code: string): string {
  return `/pages/invite/invite?code=${encodeURIComponent(code)}`;
}

function chatPageUrl(conversationId: string): string {
  return `/pages/chat/chat?id=${encodeURIComponent(conversationId)}`;
}

/**
 * The conversation list: most recent activity first, last message and time, unread badges; start a
 * direct chat by user id or create a group. Everything it shows comes from the app's ChatClient,
 * which keeps the list current (pushes, and a refetch after every reconnect).
 */
Component({
  data: {
    t: strings.conversations,
    me: "",
    items: [] as ConversationItem[],
    banner: "",
    /** Which form is open: "", "direct" or "group". */
    composer: "",
    peerId: "",
    groupTitle: "",
    groupMembers: "",
    busy: false,
    error: "",
    /** Typing a user id to start a chat is the developer's way: only while the server has dev login. */
    devTools: false,
    /** The user's own avatar, on the "我" entry. */
    meFace: { src: "", letter: "", color: "" },
  },

  methods: {
    onLoad() {
      const chat = appServices().chat;
      if (!chat) {
        wx.reLaunch({ url: "/pages/login/login" });
        return;
      }
      const scheduler = new RenderScheduler(() => this.render());
      const rerender = () => scheduler.schedule();
      const { client } = chat;
      states.set(this, {
        chat,
        scheduler,
        unsubscribe: [
          client.on("conversation", rerender),
          client.on("message", rerender),
          // Left or removed (here or on another device): the row goes.
          client.on("conversationRemoved", rerender),
          client.on("recalled", rerender),
          client.on("state", rerender),
          chat.people.onChange(rerender),
        ],
      });
      this.setData({ me: chat.user.id });
      appServices()
        .auth.devLoginAvailable()
        .then(
          (devTools) => this.setData({ devTools }),
          () => undefined,
        );
      this.render();
    },

    onShow() {
      const state = states.get(this);
      // Coming back from a chat: its unread count changed while this page was hidden.
      state?.scheduler.schedule();
      // The share card needs its code at once when the user shares: make it now.
      state?.chat.invites.prepare().catch(() => undefined);
    },

    /** "邀请好友聊天": a card that opens a direct chat with me (see the chat page for the promise fallback). */
    onShareAppMessage() {
      const state = states.get(this);
      const title = strings.invite.shareDirect(state ? state.chat.people.nameOf(state.chat.user.id) : "");
      const ready = state?.chat.invites.ready();
      if (ready) return { title, path: invitePath(ready.code) };
      const promise = state?.chat.invites.prepare().then((invite) => ({ title, path: invitePath(invite.code) }));
      return { title, path: "/pages/conversations/conversations", ...(promise ? { promise } : {}) };
    },

    onOpenProfile() {
      wx.navigateTo({ url: "/pages/profile/profile" });
    },

    onUnload() {
      const state = states.get(this);
      if (!state) return;
      state.scheduler.stop();
      for (const unsubscribe of state.unsubscribe) unsubscribe();
      states.delete(this);
    },

    onPullDownRefresh() {
      const state = states.get(this);
      if (!state) return;
      state.chat.client
        .listConversations()
        .then(() => this.render())
        .catch(() => undefined)
        .then(() => wx.stopPullDownRefresh());
    },

    render() {
      const state = states.get(this);
      if (!state) return;
      const { client, user, people, media } = state.chat;
      const conversations = client.conversations();
      for (const conversation of conversations) people.want(conversation.memberIds);
      const faces = facesOf(people, media);
      this.setData({
        items: toConversationItems(conversations, user.id, Date.now(), faces),
        banner: connectionBanner(client.state),
        meFace: faces.avatarOf(user.id),
      });
    },

    onOpen(event: WechatMiniprogram.BaseEvent) {
      const id = event.currentTarget.dataset.id;
      if (typeof id === "string") wx.navigateTo({ url: chatPageUrl(id) });
    },

    onComposeDirect() {
      this.setData({ composer: "direct", error: "" });
    },

    onComposeGroup() {
      this.setData({ composer: "group", error: "" });
    },

    onCancelCompose() {
      this.setData({ composer: "", error: "", peerId: "", groupTitle: "", groupMembers: "" });
    },

    onPeerIdInput(event: WechatMiniprogram.Input) {
      this.setData({ peerId: event.detail.value });
    },

    onGroupTitleInput(event: WechatMiniprogram.Input) {
      this.setData({ groupTitle: event.detail.value });
    },

    onGroupMembersInput(event: WechatMiniprogram.Input) {
      this.setData({ groupMembers: event.detail.value });
    },

    /** Opens the direct chat with a user id (the server creates it once; asking again finds it). */
    async onCreateDirect() {
      const peerId = this.data.peerId.trim();
      if (peerId === "") {
        this.setData({ error: strings.conversations.peerRequired });
        return;
      }
      await this.create((chat) => chat.client.createDirect(peerId));
    },

    async onCreateGroup() {
      const title = this.data.groupTitle.trim();
      if (title === "") {
        this.setData({ error: strings.conversations.groupTitleRequired });
        return;
      }
      const memberIds = parseMemberIds(this.data.groupMembers);
      await this.create((chat) => chat.client.createGroup(title, memberIds));
    },

    async create(request: (chat: ChatSession) => Promise<{ id: string }>) {
      const state = states.get(this);
      if (!state || this.data.busy) return;
      this.setData({ busy: true, error: "" });
      try {
        const conversation = await request(state.chat);
        this.setData({ busy: false, composer: "", peerId: "", groupTitle: "", groupMembers: "" });
        this.render();
        wx.navigateTo({ url: chatPageUrl(conversation.id) });
      } catch (error) {
        this.setData({ busy: false, error: `${strings.conversations.createFailed}：${describeError(error)}` });
      }
    },

    async onLogout() {
      await appServices().logout();
      wx.reLaunch({ url: "/pages/login/login" });
    },
  },
});

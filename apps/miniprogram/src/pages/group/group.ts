import { appServices } from "../../services/app-context";
import type { ChatSession } from "../../services/chat-session";
import { strings } from "../../strings";
import { describeError } from "../../view/describe-error";
import { chooseAction, confirmDialog, editDialog } from "../../view/dialogs";
import { facesOf } from "../../view/faces";
import { RenderScheduler } from "../../view/render-scheduler";
import { parseMemberIds } from "../conversations/conversation-items";
import { type GroupView, groupViewOf, type MemberCell, mayRemove } from "./group-view";

/** Mute-all has no end in WeChat; the protocol wants one: ten years from now. */
const MUTE_ALL_MS = 10 * 365 * 24 * 60 * 60 * 1000;

interface GroupPageState {
  chat: ChatSession;
  conversationId: string;
  scheduler: RenderScheduler;
  unsubscribe: Array<() => void>;
}

const states = new WeakMap<object, GroupPageState>();

function decode(value: string | undefined): string {
  try {
    return decodeURIComponent(value ?? "");
  } catch {
    return value ?? "";
  }
}

/**
 * A group's info page ("聊天信息", the "···" of its chat): members with their roles, adding and
 * removing people, title and announcement, mute all, pin and notifications, leaving, dissolving
 * and passing the group on. What is offered follows my role (group-view.ts); the server decides.
 */
Component({
  data: {
    t: strings.group,
    conversationId: "",
    view: null as GroupView | null,
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const chat = appServices().chat;
      if (!chat) {
        wx.reLaunch({ url: "/pages/login/login" });
        return;
      }
      const conversationId = decode(query.id);
      const scheduler = new RenderScheduler(() => this.render());
      const rerender = () => scheduler.schedule();
      const { client } = chat;
      states.set(this, {
        chat,
        conversationId,
        scheduler,
        unsubscribe: [
          client.on("conversation", (conversation) => conversation.id === conversationId && rerender()),
          client.on("conversationRemoved", (removed) => {
            if (removed.conversationId === conversationId) wx.navigateBack({ delta: 1 });
          }),
          chat.people.onChange(rerender),
        ],
      });
      this.setData({ conversationId });
      this.render();
    },

    onUnload() {
      const state = states.get(this);
      if (!state) return;
      state.scheduler.stop();
      for (const off of state.unsubscribe) off();
      states.delete(this);
    },

    render() {
      const state = states.get(this);
      if (!state) return;
      const { client, user, people, media } = state.chat;
      const conversation = client.conversation(state.conversationId);
      if (!conversation) return;
      people.want(conversation.memberIds);
      const view = groupViewOf(conversation, user.id, facesOf(people, media));
      this.setData({ view });
      wx.setNavigationBarTitle({ title: strings.group.title(view.members.length) });
    },

    /** Runs a call, shows its refusal, renders what it changed. */
    async act(call: (state: GroupPageState) => Promise<unknown>): Promise<boolean> {
      const state = states.get(this);
      if (!state || this.data.busy) return false;
      this.setData({ busy: true });
      try {
        await call(state);
        return true;
      } catch (error) {
        wx.showToast({ title: `${strings.group.failed}（${describeError(error)}）`, icon: "none" });
        return false;
      } finally {
        this.setData({ busy: false });
        this.render();
      }
    },

    async onAddMembers() {
      const typed = await editDialog(strings.group.add, "", strings.group.addPlaceholder);
      const ids = parseMemberIds(typed ?? "");
      if (ids.length === 0) return;
      await this.act((state) => state.chat.client.addMembers(state.conversationId, ids));
    },

    async onRemoveMembers() {
      const view = this.data.view;
      if (!view) return;
      const removable = view.members.filter((member) => mayRemove(view.role, member.role));
      const index = await chooseAction(removable.map((member) => member.name));
      const target = index === undefined ? undefined : removable[index];
      if (target) await this.removeMember(target);
    },

    async removeMember(target: MemberCell) {
      if (!(await confirmDialog(strings.group.remove, strings.group.removeConfirm(target.name)))) return;
      await this.act((state) => state.chat.client.removeMember(state.conversationId, target.id));
    },

    /** A tap on a member: what my role lets me do to them (owner: admin, transfer, remove; admin: remove). */
    async onTapMember(event: WechatMiniprogram.BaseEvent) {
      const view = this.data.view;
      const state = states.get(this);
      const target = view?.members.find((member) => member.id === event.currentTarget.dataset.id);
      if (!view || !state || !target || target.id === state.chat.user.id) return;
      const options: Array<{ label: string; run: () => Promise<unknown> }> = [];
      if (view.isOwner) {
        const admin = target.role === "admin";
        options.push({
          label: admin ? strings.group.unsetAdmin : strings.group.setAdmin,
          run: () => this.act((s) => s.chat.client.setAdmin(s.conversationId, target.id, !admin)),
        });
        options.push({ label: strings.group.transfer, run: () => this.transferTo(target) });
      }
      if (mayRemove(view.role, target.role))
        options.push({ label: strings.group.remove, run: () => this.removeMember(target) });
      if (options.length === 0) return;
      const index = await chooseAction(options.map((option) => option.label));
      if (index !== undefined) await options[index]?.run();
    },

    async transferTo(target: MemberCell) {
      if (!(await confirmDialog(strings.group.transfer, strings.group.transferConfirm(target.name)))) return;
      await this.act((state) => state.chat.client.transferOwner(state.conversationId, target.id));
    },

    async onTransfer() {
      const view = this.data.view;
      const state = states.get(this);
      if (!view || !state) return;
      const others = view.members.filter((member) => member.id !== state.chat.user.id);
      const index = await chooseAction(others.map((member) => member.name));
      const target = index === undefined ? undefined : others[index];
      if (target) await this.transferTo(target);
    },

    async onEditTitle() {
      const view = this.data.view;
      if (!view?.canEdit) return;
      const title = (await editDialog(strings.group.editName, view.title))?.trim();
      if (title === undefined || title === "" || title === view.title) return;
      await this.act((state) => state.chat.client.updateGroup(state.conversationId, { title }));
    },

    async onEditAnnouncement() {
      const view = this.data.view;
      if (!view?.canEdit) return;
      const announcement = await editDialog(strings.group.editAnnouncement, view.announcement);
      if (announcement === undefined || announcement === view.announcement) return;
      await this.act((state) => state.chat.client.updateGroup(state.conversationId, { announcement }));
    },

    async onTogglePin(event: WechatMiniprogram.SwitchChange) {
      const pinned = event.detail.value;
      await this.act((state) => state.chat.client.updateSettings(state.conversationId, { pinned }));
    },

    async onToggleMute(event: WechatMiniprogram.SwitchChange) {
      const muted = event.detail.value;
      await this.act((state) => state.chat.client.updateSettings(state.conversationId, { muted }));
    },

    async onToggleMuteAll(event: WechatMiniprogram.SwitchChange) {
      const until = event.detail.value ? Date.now() + MUTE_ALL_MS : 0;
      await this.act((state) => state.chat.client.mute(state.conversationId, until));
    },

    async onLeave() {
      if (!(await confirmDialog(strings.group.leave, strings.group.leaveConfirm))) return;
      const left = await this.act((state) => state.chat.client.leaveGroup(state.conversationId));
      if (left) wx.reLaunch({ url: "/pages/conversations/conversations" });
    },

    async onDissolve() {
      if (!(await confirmDialog(strings.group.dissolve, strings.group.dissolveConfirm))) return;
      const done = await this.act((state) => state.chat.client.dissolveGroup(state.conversationId));
      if (done) wx.navigateBack({ delta: 1 });
    },
  },
});

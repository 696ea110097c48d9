import { strings } from "../../strings";
import { type ChatPageInstance, stateOf } from "./page-state";

type SharePage = ChatPageInstance & { data: { title: string }; shareTarget(): string };

/** The share card a chat makes (转发 in WeChat's capsule menu): an invite into the group, or to a direct chat with me. */
export const shareMethods = {
  /** The invite a share card from this chat makes: into the group, or a direct chat with me. */
  shareTarget(this: SharePage): string {
    const state = stateOf(this);
    const conversation = state?.chat.client.conversation(state.conversationId);
    return conversation?.kind === "group" ? conversation.id : "";
  },

  /**
   * "邀请加入群聊" / "邀请好友聊天". The code is normally ready (made in onShow); if not, the
   * documented `promise` field (base library 2.12.0+) gives WeChat up to 3 s, after which it
   * shares the fields returned here, which open the conversation list.
   */
  onShareAppMessage(this: SharePage) {
    const state = stateOf(this);
    if (!state) return {};
    const target = this.shareTarget();
    const title =
      target === ""
        ? strings.invite.shareDirect(state.chat.people.nameOf(state.chat.user.id))
        : strings.invite.shareGroup(this.data.title);
    const toCard = (code: string) => ({ title, path: `/pages/invite/invite?code=${encodeURIComponent(code)}` });
    const ready = state.chat.invites.ready(target);
    if (ready) return toCard(ready.code);
    const promise = state.chat.invites.prepare(target).then((invite) => toCard(invite.code));
    return { title, path: "/pages/conversations/conversations", promise };
  },
};

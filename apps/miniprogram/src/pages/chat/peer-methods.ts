import { strings } from "../../strings";
import { describeError } from "../../view/describe-error";
import { confirmDialog } from "../../view/dialogs";
import { type ChatPageInstance, stateOf } from "./page-state";

/** The person of a direct chat, as its "···" panel shows them. */
export interface PeerPanel {
  id: string;
  name: string;
  /** 加入黑名单: they can no longer send to me, as `client.blocks()` says. */
  blocked: boolean;
}

type PeerPage = ChatPageInstance & { data: { peer: PeerPanel | null } };

function peerIdOf(page: PeerPage): string | undefined {
  const state = stateOf(page);
  if (!state) return undefined;
  const conversation = state.chat.client.conversation(state.conversationId);
  if (conversation?.kind !== "direct") return undefined;
  return conversation.memberIds.find((id) => id !== state.chat.user.id);
}

/** "···" of a direct chat: the other person and the 加入黑名单 switch. */
export const peerMethods = {
  async onOpenPeer(this: PeerPage) {
    const state = stateOf(this);
    const id = peerIdOf(this);
    if (!state || id === undefined) return;
    try {
      const blocks = await state.chat.client.blocks();
      const blocked = blocks.some((block) => block.userId === id);
      this.setData({ peer: { id, name: state.chat.people.nameOf(id), blocked } });
    } catch (error) {
      wx.showToast({ title: `${strings.chat.peer.loadFailed}（${describeError(error)}）`, icon: "none" });
    }
  },

  onClosePeer(this: PeerPage) {
    if (this.data.peer) this.setData({ peer: null });
  },

  /** The switch: blocking asks first (as WeChat does); a refusal or an error puts the switch back. */
  async onToggleBlock(this: PeerPage, event: WechatMiniprogram.SwitchChange) {
    const state = stateOf(this);
    const peer = this.data.peer;
    if (!state || !peer) return;
    const block = event.detail.value === true;
    if (block === peer.blocked) return;
    const putBack = () => this.setData({ "peer.blocked": peer.blocked });
    if (block && !(await confirmDialog(strings.chat.peer.block, strings.chat.peer.blockConfirm(peer.name)))) {
      putBack();
      return;
    }
    try {
      if (block) await state.chat.client.block(peer.id);
      else await state.chat.client.unblock(peer.id);
      if (this.data.peer?.id === peer.id) this.setData({ "peer.blocked": block });
    } catch (error) {
      putBack();
      wx.showToast({ title: `${strings.chat.peer.failed}（${describeError(error)}）`, icon: "none" });
    }
  },
};

import { strings } from "../../strings";
import type { AvatarView } from "../../view/avatar";
import { facesOf } from "../../view/faces";
import { manages, roleOf } from "../../view/roles";
import { type ChatPageInstance, type PageState, stateOf } from "./page-state";

/** One row of the @ picker. */
export interface MentionCandidate {
  id: string;
  name: string;
  face: AvatarView;
}

/** Members I can mention: everyone in the group but me. */
export function mentionCandidates(state: PageState): MentionCandidate[] {
  const conversation = state.chat.client.conversation(state.conversationId);
  if (conversation?.kind !== "group") return [];
  const faces = facesOf(state.chat.people, state.chat.media);
  return conversation.memberIds
    .filter((id) => id !== state.chat.user.id)
    .map((id) => ({ id, name: faces.nameOf(id), face: faces.avatarOf(id) }));
}

/** Typing "@" at the end of the text in a group opens the picker. */
export function typedAt(before: string, after: string): boolean {
  return after.length === before.length + 1 && after.endsWith("@") && after.startsWith(before);
}

/** The mentions of a text about to be sent: members picked whose "@name" is still in it. */
export function mentionsIn(text: string, picked: ReadonlyMap<string, string>): { ids: string[]; all: boolean } {
  const ids = new Set<string>();
  let all = false;
  for (const [name, id] of picked) {
    if (!text.includes(`@${name}`)) continue;
    if (id === "") all = true;
    else ids.add(id);
  }
  return { ids: [...ids], all };
}

/** The @ picker: open, pick a member (or all, for owner and admins), close. */
export const mentionMethods = {
  openMentions(this: ChatPageInstance) {
    const state = stateOf(this);
    if (!state) return;
    const candidates = mentionCandidates(state);
    if (candidates.length === 0) return;
    const role = roleOf(state.chat.client.conversation(state.conversationId), state.chat.user.id);
    this.setData({ mentionOpen: true, mentionCandidates: candidates, mentionAllowAll: manages(role) });
  },

  onPickMention(this: ChatPageInstance, event: WechatMiniprogram.BaseEvent) {
    const state = stateOf(this);
    const id = event.currentTarget.dataset.id;
    if (!state || typeof id !== "string") return;
    const name = id === "" ? strings.chat.mentionAll : state.chat.people.nameOf(id);
    state.mentions.set(name, id);
    // The "@" typed is already in the input; the name and a space follow it.
    this.setData({ input: `${this.data.input}${name} `, mentionOpen: false, focus: true });
  },

  onCloseMentions(this: ChatPageInstance) {
    this.setData({ mentionOpen: false, focus: true });
  },
};

import type { Conversation } from "@mpchat/client";
import { strings } from "../../strings";
import { type AvatarView, type GroupAvatarView, groupAvatarOf } from "../../view/avatar";
import { bodyText } from "../../view/body-text";
import { type Faces, idFaces } from "../../view/faces";
import { formatListTime } from "../../view/time";

/** One row of the conversation list, ready for the template. */
export interface ConversationItem {
  id: string;
  title: string;
  /** "群" for groups, empty for direct chats. */
  tag: string;
  /** One character for the avatar: "群", or the first character of the title. */
  avatar: string;
  /** Direct chats: the peer's avatar (image or letter tile). */
  face: AvatarView;
  /** Groups: up to 9 member avatars in a grid; null for direct chats. */
  grid: GroupAvatarView | null;
  preview: string;
  time: string;
  unread: number;
  /** The badge text: the count, or "99+". */
  unreadText: string;
  /** "[有人@我]" (red, before the preview) while a mention of me is unread; empty otherwise. */
  mention: string;
  /** Pinned to the top (grey row, first in the list). */
  pinned: boolean;
  /** Notifications muted: a dot instead of the count. */
  muted: boolean;
}

/** Someone mentioned me (or all) after my read cursor: WeChat's "[有人@我]" until I read it. */
export function mentionedUnread(conversation: Conversation): boolean {
  return (conversation.lastMentionSeq ?? 0) > conversation.readSeq;
}

const PREVIEW_LENGTH = 40;

/** The other member of a direct chat (me, in a chat with myself). */
export function peerOf(conversation: Conversation, me: string): string {
  return conversation.memberIds.find((id) => id !== me) ?? me;
}

/** What a conversation is called: its title, else (direct) the other member's name. */
export function conversationTitle(conversation: Conversation, me: string, faces: Faces = idFaces): string {
  if (conversation.title !== "") return conversation.title;
  if (conversation.kind === "direct") return faces.nameOf(peerOf(conversation, me));
  return conversation.memberIds.map((id) => faces.nameOf(id)).join("、");
}

/** When something last happened in a conversation: its last message, else its creation or change. */
export function lastActivity(conversation: Conversation): number {
  return Math.max(conversation.lastMessage?.createdAt ?? 0, conversation.updatedAt);
}

function preview(conversation: Conversation, me: string, faces: Faces): string {
  const last = conversation.lastMessage;
  if (!last) return strings.conversations.noMessages;
  // One line of the text; Array.from counts an emoji as one character, never cutting it in half.
  const nameOf = (userId: string) => (userId === me ? strings.chat.you : faces.nameOf(userId));
  const firstLine = bodyText(last.body, last.senderId, nameOf).split("\n")[0] ?? "";
  // A change of the group, a recall: a line of its own, never "alice: …".
  const quiet = last.body.kind === "system" || last.body.kind === "recall" || last.body.kind === "recalled";
  const chars = Array.from(firstLine);
  const text = chars.length > PREVIEW_LENGTH ? `${chars.slice(0, PREVIEW_LENGTH).join("")}…` : firstLine;
  return conversation.kind === "group" && last.senderId !== me && !quiet
    ? `${faces.nameOf(last.senderId)}: ${text}`
    : text;
}

/** The list rows: pinned ones first, then most recent activity first. */
export function toConversationItems(
  conversations: readonly Conversation[],
  me: string,
  now: number = Date.now(),
  faces: Faces = idFaces,
): ConversationItem[] {
  return conversations
    .slice()
    .sort((a, b) => pinRank(a) - pinRank(b) || lastActivity(b) - lastActivity(a))
    .map((conversation) => {
      const title = conversationTitle(conversation, me, faces);
      const group = conversation.kind === "group";
      const tag = group ? strings.conversations.groupTag : "";
      return {
        id: conversation.id,
        title,
        tag,
        avatar: tag || (Array.from(title)[0] ?? "").toUpperCase(),
        face: faces.avatarOf(peerOf(conversation, me)),
        grid: group ? groupAvatarOf(conversation.memberIds.map((id) => faces.avatarOf(id))) : null,
        preview: preview(conversation, me, faces),
        time: formatListTime(lastActivity(conversation), now),
        unread: conversation.unread,
        unreadText: conversation.unread > 99 ? strings.conversations.unreadOverflow : String(conversation.unread),
        mention: mentionedUnread(conversation) ? strings.conversations.mentioned : "",
        pinned: conversation.settings?.pinned === true,
        muted: conversation.settings?.muted === true,
      };
    });
}

function pinRank(conversation: Conversation): number {
  return conversation.settings?.pinned === true ? 0 : 1;
}

/** Member ids typed by the user: separated by commas (ASCII or Chinese), spaces or new lines. */
export function parseMemberIds(input: string): string[] {
  const ids = input.split(/[\s,，、]+/).filter((id) => id !== "");
  return ids.filter((id, index) => ids.indexOf(id) === index);
}

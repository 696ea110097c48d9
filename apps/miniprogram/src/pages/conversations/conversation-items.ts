import type { Conversation } from "@mpchat/client";
import { strings } from "../../strings";
import { bodyText } from "../../view/body-text";
import { formatListTime } from "../../view/time";

/** One row of the conversation list, ready for the template. */
export interface ConversationItem {
  id: string;
  title: string;
  /** "群" for groups, empty for direct chats. */
  tag: string;
  /** One character for the avatar: "群", or the first character of the title. */
  avatar: string;
  preview: string;
  time: string;
  unread: number;
  /** The badge text: the count, or "99+". */
  unreadText: string;
}

const PREVIEW_LENGTH = 40;

/** What a conversation is called: its title, else (direct) the other member's id. */
export function conversationTitle(conversation: Conversation, me: string): string {
  if (conversation.title !== "") return conversation.title;
  if (conversation.kind === "direct") return conversation.memberIds.find((id) => id !== me) ?? me;
  return conversation.memberIds.join("、");
}

/** When something last happened in a conversation: its last message, else its creation or change. */
export function lastActivity(conversation: Conversation): number {
  return Math.max(conversation.lastMessage?.createdAt ?? 0, conversation.updatedAt);
}

function preview(conversation: Conversation, me: string): string {
  const last = conversation.lastMessage;
  if (!last) return strings.conversations.noMessages;
  // One line of the text; Array.from counts an emoji as one character, never cutting it in half.
  const firstLine = bodyText(last.body).split("\n")[0] ?? "";
  const chars = Array.from(firstLine);
  const text = chars.length > PREVIEW_LENGTH ? `${chars.slice(0, PREVIEW_LENGTH).join("")}…` : firstLine;
  return conversation.kind === "group" && last.senderId !== me ? `${last.senderId}: ${text}` : text;
}

/** The list rows, most recent activity first. */
export function toConversationItems(
  conversations: readonly Conversation[],
  me: string,
  now: number = Date.now(),
): ConversationItem[] {
  return conversations
    .slice()
    .sort((a, b) => lastActivity(b) - lastActivity(a))
    .map((conversation) => {
      const title = conversationTitle(conversation, me);
      const tag = conversation.kind === "group" ? strings.conversations.groupTag : "";
      return {
        id: conversation.id,
        title,
        tag,
        avatar: tag || (Array.from(title)[0] ?? "").toUpperCase(),
        preview: preview(conversation, me),
        time: formatListTime(lastActivity(conversation), now),
        unread: conversation.unread,
        unreadText: conversation.unread > 99 ? strings.conversations.unreadOverflow : String(conversation.unread),
      };
    });
}

/** Member ids typed by the user: separated by commas (ASCII or Chinese), spaces or new lines. */
export function parseMemberIds(input: string): string[] {
  const ids = input.split(/[\s,，、]+/).filter((id) => id !== "");
  return ids.filter((id, index) => ids.indexOf(id) === index);
}

import type { ChatClient, Conversation, User } from "@mpchat/client";
import type { WebMedia } from "./media";
import type { Strings } from "./strings";

/** What the panes need from the page: the client, the words, who is who. */
export interface ChatContext {
  client: ChatClient;
  t: Strings;
  me: User;
  media: WebMedia;
  nameOf(userId: string): string;
  /** A group's title, or the other member's name in a direct chat. */
  titleOf(conversation: Conversation): string;
  /** The user a direct chat is with (undefined for groups). */
  peerOf(conversation: Conversation): string | undefined;
}

import type { Conversation } from "@mpchat/protocol";
import type { ClientParts } from "./client-parts";

/**
 * ChatClient's group management (protocol 1.1), a part of its API kept in a file
 * of its own. Each change is also a `system` message in the conversation's
 * timeline (arriving like any message) and a `conversation` push.
 */
export abstract class GroupCalls {
  constructor(protected readonly parts: ClientParts) {}

  /** Renames the group and/or sets its announcement ("" clears it); owner or admin. */
  async updateGroup(conversationId: string, patch: { title?: string; announcement?: string }): Promise<Conversation> {
    return this.parts.inbox.absorb(await this.parts.rest.updateGroup(conversationId, patch));
  }

  /** Removes a member (owner: anyone; admin: plain members). Removing yourself is `leaveGroup`. */
  async removeMember(conversationId: string, userId: string): Promise<Conversation> {
    return this.parts.inbox.absorb(await this.parts.rest.removeMember(conversationId, userId));
  }

  /**
   * Leaves the group: it leaves the directory at once (`conversationRemoved`, also on
   * the user's other devices through the server's `conversation_removed`).
   */
  async leaveGroup(conversationId: string): Promise<void> {
    const me = this.parts.userId() ?? (await this.parts.rest.me()).id;
    await this.parts.rest.leaveGroup(conversationId, me);
    this.parts.inbox.onConversationRemoved({ type: "conversation_removed", conversationId, reason: "left" });
  }

  /** Owner only: passes the group to another member. */
  async transferOwner(conversationId: string, userId: string): Promise<Conversation> {
    return this.parts.inbox.absorb(await this.parts.rest.transferOwner(conversationId, userId));
  }

  /** Owner only: makes a member an admin, or a plain member again. */
  async setAdmin(conversationId: string, userId: string, admin: boolean): Promise<Conversation> {
    return this.parts.inbox.absorb(await this.parts.rest.setAdmin(conversationId, userId, admin));
  }

  /** Mutes a member (`userId`), or everyone but owner and admins (no `userId`), until `untilMs`; 0 unmutes. */
  async mute(conversationId: string, untilMs: number, userId?: string): Promise<Conversation> {
    return this.parts.inbox.absorb(await this.parts.rest.mute(conversationId, untilMs, userId));
  }

  /** Owner only: dissolves the group; it stays listed with `dissolved: true`, sends are refused. */
  async dissolveGroup(conversationId: string): Promise<Conversation> {
    return this.parts.inbox.absorb(await this.parts.rest.dissolveGroup(conversationId));
  }
}

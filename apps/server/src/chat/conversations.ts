import type { Conversation } from "@mpchat/protocol";
import { AppError, badRequest, notFound } from "../app-error";
import type { MemberPart, SharedConversation } from "../bus/bus";
import { publishQuietly } from "../bus/publish-quietly";
import type { ConversationRecord } from "../store/store";
import { requireNotBlockedBy } from "./blocks";
import { requireAcceptableTitle } from "./content-rules";
import type { ChatDeps } from "./deps";
import { requireMember } from "./membership";
import { memberView, toConversation, toSharedConversation } from "./views";

/** Every member's view of a conversation, O(members) in all: the shared body once, each member's own part. */
interface Audience {
  conversation: SharedConversation;
  members: MemberPart[];
}

/**
 * Conversation rules: a direct conversation exists once per pair, groups are
 * created with their creator as a member, only members add members, a group
 * never passes MAX_GROUP_MEMBERS (409 conflict, nobody added), and every
 * affected member hears about it through a `conversation` event.
 */
export class ConversationService {
  constructor(private readonly deps: ChatDeps) {}

  async list(userId: string): Promise<Conversation[]> {
    const views = await this.deps.store.listConversations(userId);
    return views.map(toConversation);
  }

  async createDirect(userId: string, peerId: string): Promise<{ conversation: Conversation; created: boolean }> {
    if (peerId === userId) throw badRequest("peerId: a direct conversation needs another user");
    await this.requireUsers([peerId]);
    await requireNotBlockedBy(this.deps.store, userId, [peerId], "a direct conversation");
    const { conversation, created } = await this.deps.store.getOrCreateDirect({
      id: this.deps.newId(),
      a: userId,
      b: peerId,
      now: this.deps.now(),
    });
    if (created) return { conversation: await this.announce(conversation, userId), created };
    return { conversation: await this.viewOf(conversation.id, userId), created };
  }

  async createGroup(userId: string, title: string, memberIds: readonly string[]): Promise<Conversation> {
    const members = [...new Set([userId, ...memberIds])];
    const others = members.filter((member) => member !== userId);
    await this.requireUsers(others);
    await requireNotBlockedBy(this.deps.store, userId, others, "adding to a group");
    await requireAcceptableTitle(this.deps, userId, title);
    // A full group: the store's GroupFullError, answered as `conflict` (chat/errors.ts).
    const conversation = await this.deps.store.createGroup({
      id: this.deps.newId(),
      title,
      memberIds: members,
      now: this.deps.now(),
    });
    return this.announce(conversation, userId);
  }

  async addMembers(userId: string, conversationId: string, userIds: readonly string[]): Promise<Conversation> {
    const before = await requireMember(this.deps.store, conversationId, userId);
    if (before.kind !== "group") throw badRequest("members can only be added to a group");
    const newcomers = [...new Set(userIds)].filter((id) => !before.memberIds.includes(id));
    if (newcomers.length === 0) return this.viewOf(conversationId, userId);
    await this.requireUsers(newcomers);
    await requireNotBlockedBy(this.deps.store, userId, newcomers, "adding to a group");
    const after = await this.deps.store.addMembers(conversationId, newcomers, this.deps.now());
    if (!after) throw notFound("conversation not found");
    // Before the announcement: the next check reloads the members, so a newcomer who hears of it may send at once.
    this.deps.members.forget(conversationId);
    return this.announce(after, userId);
  }

  /**
   * Removes a member (the groups issue's management calls will build on this;
   * no HTTP route yet). Every instance's membership cache forgets the
   * conversation through the bus: the removed member's sends are refused and
   * pushes no longer name them, on every instance.
   */
  async removeMember(conversationId: string, userId: string): Promise<ConversationRecord> {
    const after = await this.deps.store.removeMember(conversationId, userId, this.deps.now());
    if (!after) throw notFound("conversation not found");
    this.deps.members.forget(conversationId);
    await publishQuietly(this.deps, { type: "members_removed", conversationId, userIds: [userId] });
    return after;
  }

  private async requireUsers(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const existing = new Set(await this.deps.store.existingUserIds(ids));
    const missing = ids.filter((id) => !existing.has(id));
    if (missing.length > 0) throw notFound(`unknown users: ${missing.slice(0, 10).join(", ")}`);
  }

  private async viewOf(conversationId: string, userId: string): Promise<Conversation> {
    const view = await this.deps.store.getConversationView(conversationId, userId);
    if (!view) throw new AppError("internal", "conversation vanished");
    return toConversation(view);
  }

  /** Sends every member their own view of the conversation (one bus event); returns the caller's view. */
  private async announce(conversation: ConversationRecord, callerId: string): Promise<Conversation> {
    const audience =
      conversation.lastSeq === 0 ? audienceOfUntouched(conversation) : await this.audienceOf(conversation);
    await publishQuietly(this.deps, { type: "conversation", ...audience });
    const own = audience.members.find((member) => member.userId === callerId);
    return own ? memberView(audience.conversation, own) : this.viewOf(conversation.id, callerId);
  }

  /** Every member's cursor and unread count from the store in one call (not one query per member). */
  private async audienceOf(conversation: ConversationRecord): Promise<Audience> {
    const snapshot = await this.deps.store.getConversationMembers(conversation.id);
    if (!snapshot) throw new AppError("internal", "conversation vanished");
    return { conversation: toSharedConversation(snapshot.conversation), members: snapshot.members };
  }
}

/**
 * Every member's view of a conversation nobody has written in yet (lastSeq 0):
 * nothing to read, every cursor at 0. What the store would answer for each
 * member, without asking it (a group of 1,000 took 1,000 queries).
 */
function audienceOfUntouched(conversation: ConversationRecord): Audience {
  const { id, kind, title, memberIds, updatedAt } = conversation;
  const memberReadSeqs = memberIds.map((userId) => ({ userId, readSeq: 0 }));
  return {
    conversation: { id, kind, title, memberIds, lastSeq: 0, updatedAt, memberReadSeqs },
    members: memberIds.map((userId) => ({ userId, readSeq: 0, unread: 0 })),
  };
}

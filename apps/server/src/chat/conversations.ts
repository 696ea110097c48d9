import type { Conversation } from "@mpchat/protocol";
import type { ConversationRecord } from "../store/store";
import type { ChatDeps } from "./deps";
import { badRequest, ChatError, notFound } from "./errors";
import { requireMember } from "./membership";
import { publishQuietly } from "./publish";
import { toConversation } from "./views";

/**
 * Conversation rules: a direct conversation exists once per pair, groups are
 * created with their creator as a member, only members add members, and every
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
    const { conversation, created } = await this.deps.store.getOrCreateDirect({
      id: this.deps.newId(),
      a: userId,
      b: peerId,
      now: this.deps.now(),
    });
    this.deps.members.learn(conversation);
    const views = created ? await this.announce(conversation) : undefined;
    return { conversation: views?.get(userId) ?? (await this.viewOf(conversation.id, userId)), created };
  }

  async createGroup(userId: string, title: string, memberIds: readonly string[]): Promise<Conversation> {
    const members = [...new Set([userId, ...memberIds])];
    await this.requireUsers(members.filter((member) => member !== userId));
    const conversation = await this.deps.store.createGroup({
      id: this.deps.newId(),
      title,
      memberIds: members,
      now: this.deps.now(),
    });
    this.deps.members.learn(conversation);
    const views = await this.announce(conversation);
    return views.get(userId) ?? (await this.viewOf(conversation.id, userId));
  }

  async addMembers(userId: string, conversationId: string, userIds: readonly string[]): Promise<Conversation> {
    const before = await requireMember(this.deps.store, conversationId, userId);
    if (before.kind !== "group") throw badRequest("members can only be added to a group");
    const newcomers = [...new Set(userIds)].filter((id) => !before.memberIds.includes(id));
    if (newcomers.length === 0) return this.viewOf(conversationId, userId);
    await this.requireUsers(newcomers);
    const after = await this.deps.store.addMembers(conversationId, newcomers, this.deps.now());
    if (!after) throw notFound("conversation not found");
    // Before the announcement: a newcomer who hears of the conversation may send at once.
    this.deps.members.learn(after);
    const views = await this.announce(after);
    return views.get(userId) ?? (await this.viewOf(conversationId, userId));
  }

  private async requireUsers(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const existing = new Set(await this.deps.store.existingUserIds(ids));
    const missing = ids.filter((id) => !existing.has(id));
    if (missing.length > 0) throw notFound(`unknown users: ${missing.slice(0, 10).join(", ")}`);
  }

  private async viewOf(conversationId: string, userId: string): Promise<Conversation> {
    const view = await this.deps.store.getConversationView(conversationId, userId);
    if (!view) throw new ChatError("internal", "conversation vanished");
    return toConversation(view);
  }

  /** Sends every member their own view of the conversation; returns the views by member. */
  private async announce(conversation: ConversationRecord): Promise<Map<string, Conversation>> {
    const views = conversation.lastSeq === 0 ? viewsOfUntouched(conversation) : await this.loadViews(conversation);
    await publishQuietly(this.deps, {
      type: "conversation",
      views: [...views].map(([memberId, view]) => ({ userId: memberId, conversation: view })),
    });
    return views;
  }

  /** Each member's view from the store, asked for all at once (a pool runs them side by side). */
  private async loadViews(conversation: ConversationRecord): Promise<Map<string, Conversation>> {
    const { id, memberIds } = conversation;
    const loaded = await Promise.all(memberIds.map((memberId) => this.deps.store.getConversationView(id, memberId)));
    const views = new Map<string, Conversation>();
    loaded.forEach((view, i) => {
      const memberId = memberIds[i];
      if (view && memberId !== undefined) views.set(memberId, toConversation(view));
    });
    return views;
  }
}

/**
 * Every member's view of a conversation nobody has written in yet (lastSeq 0):
 * nothing to read, every cursor at 0. What the store would answer for each
 * member, without asking it once per member (a group of 1,000 took 1,000 queries).
 */
function viewsOfUntouched(conversation: ConversationRecord): Map<string, Conversation> {
  const { id, kind, title, memberIds, updatedAt } = conversation;
  const memberReadSeqs = memberIds.map((userId) => ({ userId, readSeq: 0 }));
  const views = new Map<string, Conversation>();
  for (const memberId of memberIds) {
    views.set(memberId, { id, kind, title, memberIds, lastSeq: 0, readSeq: 0, unread: 0, updatedAt, memberReadSeqs });
  }
  return views;
}

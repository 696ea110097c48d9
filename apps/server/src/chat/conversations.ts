import type { Conversation } from "@mpchat/protocol";
import { AppError, badRequest, forbidden, notFound } from "../app-error";
import type { MemberPart, SharedConversation } from "../bus/bus";
import { publishQuietly } from "../bus/publish-quietly";
import { type ConversationRecord, DEFAULT_SETTINGS, type SettingsPatch } from "../store/store";
import { requireNotBlockedBy } from "./blocks";
import { requireAcceptableTitle } from "./content-rules";
import type { ChatDeps } from "./deps";
import { requireMember } from "./membership";
import { groupFields, memberView, mutedUntilOf, toConversation, toSharedConversation } from "./views";

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
    const now = this.deps.now();
    return views.map((view) => toConversation(view, userId, now));
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

  /**
   * Changes the caller's own settings of a conversation (direct or group; no system
   * message). Every connection of the caller gets the `conversation` (one bus event
   * whose only part is the caller's); the others' views are unchanged.
   */
  async updateSettings(userId: string, conversationId: string, patch: SettingsPatch): Promise<Conversation> {
    await requireMember(this.deps.store, conversationId, userId);
    const view = await this.deps.store.updateSettings(conversationId, userId, patch);
    if (!view) throw forbidden("not a member of this conversation");
    const now = this.deps.now();
    const { readSeq, unread, lastMentionSeq, settings } = view;
    const part: MemberPart = { userId, readSeq, unread, lastMentionSeq, settings };
    const mutedUntil = mutedUntilOf(view, userId, now);
    if (mutedUntil !== undefined) part.mutedUntil = mutedUntil;
    await publishQuietly(this.deps, {
      type: "conversation",
      conversation: toSharedConversation(view, now),
      members: [part],
    });
    return toConversation(view, userId, now);
  }

  /** Refuses (not_found) when any of `ids` is not a user. */
  async requireUsers(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const existing = new Set(await this.deps.store.existingUserIds(ids));
    const missing = ids.filter((id) => !existing.has(id));
    if (missing.length > 0) throw notFound(`unknown users: ${missing.slice(0, 10).join(", ")}`);
  }

  async viewOf(conversationId: string, userId: string): Promise<Conversation> {
    const view = await this.deps.store.getConversationView(conversationId, userId);
    if (!view) throw new AppError("internal", "conversation vanished");
    return toConversation(view, userId, this.deps.now());
  }

  /** Sends every member their own view of the conversation (one bus event); returns the caller's view. */
  async announce(conversation: ConversationRecord, callerId: string): Promise<Conversation> {
    const own = await this.announceTo(conversation, callerId);
    return own ?? this.viewOf(conversation.id, callerId);
  }

  /** Sends every member their own view (one bus event); returns the caller's, undefined when not a member. */
  async announceTo(conversation: ConversationRecord, callerId: string): Promise<Conversation | undefined> {
    const audience =
      conversation.lastSeq === 0
        ? audienceOfUntouched(conversation, this.deps.now())
        : await this.audienceOf(conversation);
    await publishQuietly(this.deps, { type: "conversation", ...audience });
    const own = audience.members.find((member) => member.userId === callerId);
    return own ? memberView(audience.conversation, own) : undefined;
  }

  /** Every member's cursor and unread count from the store in one call (not one query per member). */
  private async audienceOf(conversation: ConversationRecord): Promise<Audience> {
    const snapshot = await this.deps.store.getConversationMembers(conversation.id);
    if (!snapshot) throw new AppError("internal", "conversation vanished");
    const now = this.deps.now();
    const members = snapshot.members.map((member): MemberPart => {
      const mutedUntil = mutedUntilOf(snapshot.conversation, member.userId, now);
      return mutedUntil === undefined ? member : { ...member, mutedUntil };
    });
    return { conversation: toSharedConversation(snapshot.conversation, now), members };
  }
}

/**
 * Every member's view of a conversation nobody has written in yet (lastSeq 0):
 * nothing to read, every cursor at 0. What the store would answer for each
 * member, without asking it (a group of 1,000 took 1,000 queries).
 */
function audienceOfUntouched(conversation: ConversationRecord, now: number): Audience {
  const { id, kind, title, memberIds, updatedAt } = conversation;
  const memberReadSeqs = memberIds.map((userId) => ({ userId, readSeq: 0 }));
  return {
    conversation: {
      id,
      kind,
      title,
      memberIds,
      lastSeq: 0,
      updatedAt,
      memberReadSeqs,
      ...groupFields(conversation, now),
    },
    members: memberIds.map((userId) => ({
      userId,
      readSeq: 0,
      unread: 0,
      lastMentionSeq: 0,
      settings: DEFAULT_SETTINGS,
    })),
  };
}

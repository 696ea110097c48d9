import type {
  AdminConversation,
  AdminConversationMember,
  AdminConversationSummary,
  SystemBody,
} from "@mpchat/protocol";
import { badRequest, notFound } from "../app-error";
import type { ConversationService } from "../chat/conversations";
import type { ChatDeps } from "../chat/deps";
import { roleOf } from "../chat/group-permissions";
import { type Removal, tellGroupChange } from "../chat/group-tell";
import { MODERATION_SENDER } from "../chat/moderation-sender";
import { toUser } from "../chat/user-view";
import { mutedUntilOf } from "../chat/views";
import type { ConversationRecord, GroupMutation } from "../store/store";

/** One decided moderation: what to store, the system messages, and who it removes. */
interface Decision {
  mutations: GroupMutation[];
  events: SystemBody[];
  removal: Removal;
}

/**
 * The operators' view of conversations (PROTOCOL.md "Operators"). Lookups read the
 * store as it is. A removal and a dissolve are group changes like the members' own
 * (groups.ts): decided in the store's transaction, stored with their system
 * messages (sender `system`), then told the same way, so every instance sends the
 * removed their `conversation_removed` and pushes them nothing more of it. Unlike
 * an owner's dissolve, an operator's removes every member (reason `dissolved`): the
 * group leaves their lists, and nobody can send there any more.
 */
export class AdminConversations {
  constructor(
    private readonly deps: ChatDeps,
    private readonly conversations: Pick<ConversationService, "announceTo">,
  ) {}

  async lookup(conversationId: string): Promise<AdminConversation> {
    const snapshot = await this.deps.store.getConversationMembers(conversationId);
    const record = await this.deps.store.getConversation(conversationId);
    if (!snapshot || !record) throw notFound("no such conversation");
    const users = new Map((await this.deps.store.getUsers(record.memberIds)).map((u) => [u.id, u]));
    const now = this.deps.now();
    const members = record.memberIds.map((userId): AdminConversationMember => {
      const user = users.get(userId);
      const role = roleOf(record, userId);
      const member: AdminConversationMember = {
        user: user ? toUser(user) : { id: userId, name: userId },
        role: role === "none" ? "member" : role,
      };
      const mutedUntil = mutedUntilOf(record, userId, now);
      if (mutedUntil !== undefined) member.mutedUntil = mutedUntil;
      return member;
    });
    const lastActivityAt = snapshot.conversation.lastMessage?.createdAt ?? record.createdAt;
    return {
      ...summaryOf(record, lastActivityAt),
      createdAt: record.createdAt,
      ...(record.kind === "group" ? { adminIds: record.adminIds } : {}),
      ...(record.ownerId === undefined ? {} : { ownerId: record.ownerId }),
      ...(record.announcement === undefined ? {} : { announcement: record.announcement }),
      members,
    };
  }

  /** The user's conversations, most recent activity first; an unknown user is `404`. */
  async listOf(userId: string): Promise<AdminConversationSummary[]> {
    if (!(await this.deps.store.getUser(userId))) throw notFound("no such user");
    const views = await this.deps.store.listConversations(userId);
    return views.map((view) => summaryOf(view, view.lastMessage?.createdAt ?? view.createdAt));
  }

  /**
   * Removes one member of a group (whatever their role): `member_removed` by `system`.
   * The owner's removal passes the group on as their leaving would (`owner_changed`);
   * the last member's dissolves it.
   */
  async removeMember(conversationId: string, userId: string): Promise<AdminConversation> {
    await this.change(conversationId, (group) => {
      if (!group.memberIds.includes(userId)) throw notFound("that user is not a member of this conversation");
      const decision: Decision = {
        mutations: [{ kind: "remove_member", userId }],
        events: [{ kind: "system", event: "member_removed", userIds: [userId] }],
        removal: { userIds: [userId], reason: "removed" },
      };
      const rest = group.memberIds.filter((id) => id !== userId);
      if (rest.length === 0 && group.dissolvedAt === undefined) {
        decision.mutations.push({ kind: "dissolve" });
        decision.events.push({ kind: "system", event: "dissolved" });
      } else if (group.ownerId === userId) {
        const successor = group.adminIds.find((id) => id !== userId) ?? rest[0];
        if (successor !== undefined) {
          decision.mutations.push({ kind: "set_owner", userId: successor });
          decision.events.push({ kind: "system", event: "owner_changed", userIds: [successor] });
        }
      }
      return decision;
    });
    return this.lookup(conversationId);
  }

  /**
   * Dissolves a group and removes every member (`dissolved` by `system`; an already
   * dissolved group's remaining members go with one `member_removed`). A group
   * dissolved with nobody left is answered as it is: nothing is stored again.
   */
  async dissolve(conversationId: string): Promise<AdminConversation> {
    await this.change(conversationId, (group) => {
      const everyone = [...group.memberIds];
      const removals: GroupMutation[] = everyone.map((userId) => ({ kind: "remove_member", userId }));
      if (group.dissolvedAt === undefined) {
        return {
          mutations: [{ kind: "dissolve" }, ...removals],
          events: [{ kind: "system", event: "dissolved" }],
          removal: { userIds: everyone, reason: "dissolved" },
        };
      }
      if (everyone.length === 0) return undefined;
      return {
        mutations: removals,
        events: [{ kind: "system", event: "member_removed", userIds: everyone }],
        removal: { userIds: everyone, reason: "dissolved" },
      };
    });
    return this.lookup(conversationId);
  }

  /** Decides and stores one moderation in one transaction (undefined: nothing to do), then tells everyone. */
  private async change(
    conversationId: string,
    decide: (group: ConversationRecord) => Decision | undefined,
  ): Promise<void> {
    let removal: Removal | undefined;
    const now = this.deps.now();
    const result = await this.deps.store.changeGroup(
      conversationId,
      (group) => {
        if (group.kind !== "group") throw badRequest("only groups are moderated this way (this one is direct)");
        const decision = decide(group);
        removal = decision?.removal;
        return {
          mutations: decision?.mutations ?? [],
          messages: (decision?.events ?? []).map((body) => {
            const id = this.deps.newId();
            return { id, senderId: MODERATION_SENDER, clientMsgId: `system-${id}`, body, createdAt: now };
          }),
        };
      },
      now,
    );
    if (!result) throw notFound("no such conversation");
    if (result.messages.length === 0) return;
    await tellGroupChange(this.deps, result, removal);
    if (result.after.memberIds.length > 0) await this.conversations.announceTo(result.after, MODERATION_SENDER);
  }
}

function summaryOf(record: ConversationRecord, lastActivityAt: number): AdminConversationSummary {
  return {
    id: record.id,
    kind: record.kind,
    title: record.title,
    memberCount: record.memberIds.length,
    lastSeq: record.lastSeq,
    lastActivityAt,
    ...(record.dissolvedAt === undefined ? {} : { dissolved: true as const }),
  };
}

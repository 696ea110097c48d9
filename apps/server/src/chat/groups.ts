import type { Conversation, SystemBody } from "@mpchat/protocol";
import { AppError, badRequest, notFound } from "../app-error";
import type { ConversationRecord, GroupChange, GroupMutation } from "../store/store";
import { requireNotBlockedBy } from "./blocks";
import { requireAcceptableAnnouncement, requireAcceptableTitle } from "./content-rules";
import type { ConversationService } from "./conversations";
import type { ChatDeps } from "./deps";
import { type GroupAction, requireAllowed } from "./group-permissions";
import { type Removal, tellGroupChange } from "./group-tell";

/** One decided change: what to store, and who it removes. */
interface Decision {
  mutations: GroupMutation[];
  events: SystemBody[];
  removal?: Removal;
}

/**
 * Group management (PROTOCOL.md 1.1, "Groups people run"). Each call is decided
 * against the group as it is inside the store's transaction (group-permissions.ts
 * has who may), stored with its `system` message(s) at the next seqs, then told:
 * the removed first (`members_removed`: their `conversation_removed`, and every
 * instance stops pushing them anything of it), then the system messages to the
 * members after the change, then every member's `conversation` view. A call that
 * changes nothing stores and tells nothing.
 */
export class GroupService {
  constructor(
    private readonly deps: ChatDeps,
    private readonly conversations: ConversationService,
  ) {}

  /** Any member adds members (as in v1); nobody added past MAX_GROUP_MEMBERS (`conflict`). */
  async addMembers(actorId: string, conversationId: string, userIds: readonly string[]): Promise<Conversation> {
    return this.add(actorId, actorId, conversationId, userIds);
  }

  /** Joining by invite: allowed by the inviter's membership, recorded as `members_added` by the joiner. */
  async join(joinerId: string, inviterId: string, conversationId: string): Promise<Conversation> {
    return this.add(joinerId, inviterId, conversationId, [joinerId]);
  }

  /** Title and/or announcement (owner or admin); one system message per field that changed. */
  async update(
    actorId: string,
    conversationId: string,
    patch: { title?: string | undefined; announcement?: string | undefined },
  ): Promise<Conversation> {
    // The content check before the store is touched: a refused title or announcement stores nothing.
    await Promise.all([
      patch.title === undefined ? undefined : requireAcceptableTitle(this.deps, actorId, patch.title, conversationId),
      patch.announcement
        ? requireAcceptableAnnouncement(this.deps, actorId, conversationId, patch.announcement)
        : undefined,
    ]);
    const view = await this.change(actorId, conversationId, "update", undefined, (group) => {
      const decision: Decision = { mutations: [], events: [] };
      if (patch.title !== undefined && patch.title !== group.title) {
        decision.mutations.push({ kind: "set_title", title: patch.title });
        decision.events.push({ kind: "system", event: "title_changed", title: patch.title });
      }
      if (patch.announcement !== undefined && patch.announcement !== (group.announcement ?? "")) {
        const announcement = patch.announcement === "" ? null : patch.announcement;
        decision.mutations.push({ kind: "set_announcement", announcement });
        decision.events.push({ kind: "system", event: "announcement_changed", announcement: patch.announcement });
      }
      return decision;
    });
    return stillMember(view);
  }

  /** Removes a member (owner: anyone; admin: plain members); removing oneself is leaving. */
  async removeMember(actorId: string, conversationId: string, userId: string): Promise<Conversation | undefined> {
    if (userId === actorId) {
      await this.leave(actorId, conversationId);
      return undefined;
    }
    return this.change(actorId, conversationId, "remove_member", userId, () => ({
      mutations: [{ kind: "remove_member", userId }],
      events: [{ kind: "system", event: "member_removed", userIds: [userId] }],
      removal: { userIds: [userId], reason: "removed" },
    }));
  }

  /**
   * Leaves the group. An owner who leaves passes it to the longest-standing admin,
   * else the longest-standing member (`member_left`, then `owner_changed`); the
   * last member leaving dissolves it.
   */
  async leave(actorId: string, conversationId: string): Promise<void> {
    await this.change(actorId, conversationId, "leave", undefined, (group) => {
      const decision: Decision = {
        mutations: [{ kind: "remove_member", userId: actorId }],
        events: [{ kind: "system", event: "member_left", userIds: [actorId] }],
        removal: { userIds: [actorId], reason: "left" },
      };
      const rest = group.memberIds.filter((id) => id !== actorId);
      if (rest.length === 0) {
        if (group.dissolvedAt === undefined) {
          decision.mutations.push({ kind: "dissolve" });
          decision.events.push({ kind: "system", event: "dissolved" });
        }
      } else if (group.ownerId === actorId) {
        // adminIds and memberIds are in join order: the first is the longest-standing.
        const successor = group.adminIds[0] ?? rest[0];
        if (successor !== undefined) {
          decision.mutations.push({ kind: "set_owner", userId: successor });
          decision.events.push({ kind: "system", event: "owner_changed", userIds: [successor] });
        }
      }
      return decision;
    });
  }

  /** Owner only: the old owner becomes a plain member, the new one leaves the admins. */
  async transferOwner(actorId: string, conversationId: string, userId: string): Promise<Conversation> {
    const view = await this.change(actorId, conversationId, "transfer_owner", userId, () => ({
      mutations: [{ kind: "set_owner", userId }],
      events: [{ kind: "system", event: "owner_changed", userIds: [userId] }],
    }));
    return stillMember(view);
  }

  /** Owner only: makes a member an admin or a plain member again. */
  async setAdmin(actorId: string, conversationId: string, userId: string, admin: boolean): Promise<Conversation> {
    const view = await this.change(actorId, conversationId, "set_admin", userId, (group) =>
      group.adminIds.includes(userId) === admin
        ? { mutations: [], events: [] }
        : {
            mutations: [{ kind: "set_admin", userId, admin }],
            events: [{ kind: "system", event: "admins_changed", userIds: [userId], admin }],
          },
    );
    return stillMember(view);
  }

  /** One member (owner: anyone else; admin: plain members) or everyone but owner and admins; `untilMs` 0 unmutes. */
  async mute(
    actorId: string,
    conversationId: string,
    userId: string | undefined,
    untilMs: number,
  ): Promise<Conversation> {
    if (untilMs !== 0 && untilMs <= this.deps.now()) throw badRequest("untilMs must be in the future, or 0 to unmute");
    if (userId === undefined) {
      const view = await this.change(actorId, conversationId, "mute_all", undefined, () => ({
        mutations: [{ kind: "mute_all", untilMs }],
        events: [
          untilMs === 0 ? { kind: "system", event: "unmuted_all" } : { kind: "system", event: "muted_all", untilMs },
        ],
      }));
      return stillMember(view);
    }
    const view = await this.change(actorId, conversationId, "mute_member", userId, () => ({
      mutations: [{ kind: "mute_member", userId, untilMs }],
      events: [
        untilMs === 0
          ? { kind: "system", event: "unmuted", userIds: [userId] }
          : { kind: "system", event: "muted", userIds: [userId], untilMs },
      ],
    }));
    return stillMember(view);
  }

  /** Owner only: sends and typing are refused from then on; the group stays in its members' lists. */
  async dissolve(actorId: string, conversationId: string): Promise<Conversation> {
    const view = await this.change(actorId, conversationId, "dissolve", undefined, () => ({
      mutations: [{ kind: "dissolve" }],
      events: [{ kind: "system", event: "dissolved" }],
    }));
    return stillMember(view);
  }

  private async add(
    actorId: string,
    authorizedBy: string,
    conversationId: string,
    userIds: readonly string[],
  ): Promise<Conversation> {
    const wanted = [...new Set(userIds)];
    const known = await this.deps.store.getConversation(conversationId);
    if (!known) throw notFound("conversation not found");
    const newcomers = wanted.filter((id) => !known.memberIds.includes(id));
    // Before the transaction: unknown users are `not_found`, a blocker cannot be added by whom they
    // blocked (`forbidden`), and nothing is stored.
    await this.conversations.requireUsers(newcomers);
    await requireNotBlockedBy(this.deps.store, actorId, newcomers, "adding to a group");
    const view = await this.change(
      actorId,
      conversationId,
      "add_members",
      undefined,
      (group) => {
        const fresh = wanted.filter((id) => !group.memberIds.includes(id));
        if (fresh.length === 0) return { mutations: [], events: [] };
        return {
          mutations: [{ kind: "add_members", userIds: fresh }],
          events: [{ kind: "system", event: "members_added", userIds: fresh }],
        };
      },
      authorizedBy,
    );
    return stillMember(view);
  }

  /**
   * Decides and stores one call in one transaction, then tells everyone; answers
   * the actor's view (undefined when the actor is no longer a member).
   */
  private async change(
    actorId: string,
    conversationId: string,
    action: GroupAction,
    targetId: string | undefined,
    decide: (group: ConversationRecord) => Decision,
    authorizedBy = actorId,
  ): Promise<Conversation | undefined> {
    let removal: Removal | undefined;
    const now = this.deps.now();
    const result = await this.deps.store.changeGroup(
      conversationId,
      (group): GroupChange => {
        requireAllowed(group, authorizedBy, action, targetId);
        const decision = decide(group);
        removal = decision.removal;
        return {
          mutations: decision.mutations,
          messages: decision.events.map((body) => {
            const id = this.deps.newId();
            return { id, senderId: actorId, clientMsgId: `system-${id}`, body, createdAt: now };
          }),
        };
      },
      now,
    );
    if (!result) throw notFound("conversation not found");
    if (result.messages.length === 0) return this.conversations.viewOf(conversationId, actorId);
    await tellGroupChange(this.deps, result, removal);
    return this.conversations.announceTo(result.after, actorId);
  }
}

/** The actor's view after a call that keeps them a member. */
function stillMember(view: Conversation | undefined): Conversation {
  if (!view) throw new AppError("internal", "the caller left the group unexpectedly");
  return view;
}

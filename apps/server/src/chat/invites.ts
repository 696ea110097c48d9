import {
  type Conversation,
  INVITE_CODE_PATTERN,
  type Invite,
  type InviteDetails,
  InviteLimits,
} from "@mpchat/protocol";
import { AppError, badRequest, forbidden, notFound } from "../app-error";
import type { InviteRecord } from "../store/profile-records";
import type { ConversationService } from "./conversations";
import type { ChatDeps } from "./deps";
import type { GroupService } from "./groups";
import { newInviteCode } from "./invite-codes";
import { requireMember } from "./membership";
import { toUser } from "./user-view";
import { toConversation } from "./views";

const gone = () => notFound("invite not found or expired");

/**
 * Invite rules: a member makes a code for a group, anyone makes one for a
 * direct conversation with themselves. A code is multi-use until it expires
 * (7 days) or its creator revokes it; joining goes through the conversation
 * rules, so limits and `conversation` events hold as for any addition.
 */
export class InviteService {
  constructor(
    private readonly deps: Pick<ChatDeps, "store" | "now">,
    private readonly conversations: ConversationService,
    private readonly groups: GroupService,
  ) {}

  async create(userId: string, conversationId: string | undefined): Promise<Invite> {
    if (conversationId !== undefined) {
      const conversation = await requireMember(this.deps.store, conversationId, userId);
      if (conversation.kind !== "group") throw badRequest("conversationId: invites are into groups only");
    }
    const now = this.deps.now();
    const record: InviteRecord = {
      code: newInviteCode(),
      creatorId: userId,
      createdAt: now,
      expiresAt: now + InviteLimits.TTL_MS,
    };
    if (conversationId !== undefined) record.conversationId = conversationId;
    await this.deps.store.createInvite(record);
    return { code: record.code, expiresAt: record.expiresAt };
  }

  async details(code: string): Promise<InviteDetails> {
    const invite = await this.live(code);
    const inviter = await this.deps.store.getUser(invite.creatorId);
    if (!inviter) throw gone();
    const details: InviteDetails = { code: invite.code, expiresAt: invite.expiresAt, inviter: toUser(inviter) };
    if (invite.conversationId !== undefined) {
      const group = await this.deps.store.getConversation(invite.conversationId);
      if (!group) throw gone();
      details.conversation = { id: group.id, title: group.title, memberCount: group.memberIds.length };
    }
    return details;
  }

  async accept(userId: string, code: string): Promise<Conversation> {
    const invite = await this.live(code);
    if (invite.conversationId === undefined) {
      if (invite.creatorId === userId) throw badRequest("this is your own invite");
      return (await this.conversations.createDirect(userId, invite.creatorId)).conversation;
    }
    const groupId = invite.conversationId;
    if (!(await this.deps.store.isMember(groupId, userId))) {
      try {
        // Allowed by the inviter's membership (an invite is as good as that), recorded as joined by the joiner.
        await this.groups.join(userId, invite.creatorId, groupId);
      } catch (error) {
        if (error instanceof AppError && (error.code === "forbidden" || error.code === "not_found")) throw gone();
        throw error;
      }
    }
    const view = await this.deps.store.getConversationView(groupId, userId);
    if (!view) throw gone();
    return toConversation(view, userId, this.deps.now());
  }

  async revoke(userId: string, code: string): Promise<void> {
    const invite = await this.live(code);
    if (invite.creatorId !== userId) throw forbidden("only the invite's creator may revoke it");
    await this.deps.store.revokeInvite(invite.code, this.deps.now());
  }

  /** The invite, unless unknown (any text that is not a code is unknown), revoked or expired. */
  private async live(code: string): Promise<InviteRecord> {
    if (!INVITE_CODE_PATTERN.test(code)) throw gone();
    const invite = await this.deps.store.findInvite(code);
    if (!invite || invite.revokedAt !== undefined || this.deps.now() >= invite.expiresAt) throw gone();
    return invite;
  }
}

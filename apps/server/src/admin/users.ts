import type { AdminUserResponse, Ban, BanRequest } from "@mpchat/protocol";
import { notFound } from "../app-error";
import { banHolds } from "../auth/bans";
import type { Bus } from "../bus/bus";
import { publishQuietly } from "../bus/publish-quietly";
import type { ChatLogger } from "../chat/deps";
import { toUser } from "../chat/user-view";
import type { Store } from "../store/store";

export interface AdminUsersDeps {
  store: Store;
  bus: Bus;
  now: () => number;
  log: ChatLogger;
}

/**
 * The operators' view of users (PROTOCOL.md "Operators"): look one up, ban and
 * unban. A ban is stored first (it holds across restarts and on instances that
 * miss the bus event, once their ban cache entry is stale), then announced: every
 * instance refuses the user's logins and tokens and closes their sockets with 4403.
 */
export class AdminUsers {
  constructor(private readonly deps: AdminUsersDeps) {}

  async lookup(userId: string): Promise<AdminUserResponse> {
    const { store } = this.deps;
    const user = await store.getUser(userId);
    if (!user) throw notFound("no such user");
    const [conversations, ban] = await Promise.all([store.listConversations(userId), store.getBan(userId)]);
    return {
      user: toUser(user),
      conversationIds: conversations.map((c) => c.id),
      ...(banHolds(ban, this.deps.now()) ? { ban } : {}),
    };
  }

  async ban(userId: string, request: BanRequest): Promise<Ban> {
    if (!(await this.deps.store.getUser(userId))) throw notFound("no such user");
    const ban: Ban = {
      userId,
      reason: request.reason,
      createdAt: this.deps.now(),
      ...(request.untilMs === undefined ? {} : { untilMs: request.untilMs }),
    };
    await this.deps.store.putBan(ban);
    await publishQuietly(this.deps, { type: "user_banned", userId, ban });
    return ban;
  }

  /** Lifts the ban; unknown users and users without a ban are `404`. */
  async unban(userId: string): Promise<void> {
    if (!(await this.deps.store.deleteBan(userId))) throw notFound("the user is not banned");
    await publishQuietly(this.deps, { type: "user_unbanned", userId });
  }
}

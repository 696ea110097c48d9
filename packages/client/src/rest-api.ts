import {
  AcceptInviteResponseSchema,
  type AuthResponse,
  AuthResponseSchema,
  type Block,
  BlockResponseSchema,
  BlocksResponseSchema,
  type Conversation,
  ConversationResponseSchema,
  ConversationsResponseSchema,
  CreateInviteResponseSchema,
  type Invite,
  type InviteDetails,
  InviteDetailsResponseSchema,
  MeResponseSchema,
  type MessagesResponse,
  MessagesResponseSchema,
  type NoticeSubscription,
  NoticeSubscriptionResponseSchema,
  NoticeSubscriptionsResponseSchema,
  parseWith,
  type RefreshResponse,
  RefreshResponseSchema,
  type ReportRequest,
  type ReportResponse,
  ReportResponseSchema,
  type SettingsRequest,
  type UpdateProfileRequest,
  type User,
  UserResponseSchema,
  UsersResponseSchema,
} from "@mpchat/protocol";
import { JsonHttp } from "./json-http";
import type { HttpClient, HttpRequest } from "./ports/http";
import { systemTimers, type Timers } from "./ports/timers";

export interface RestApiOptions {
  /** Origin of the REST routes, e.g. `https://chat.example.com`. */
  httpBase: string;
  http: HttpClient;
  /** The bearer token for the routes that need one. */
  getToken?: () => string | Promise<string>;
  timers?: Timers;
  /** Default 10 000 ms. */
  timeoutMs?: number;
}

/** `afterSeq` pages forward; `beforeSeq` pages backward; neither gives the newest page. */
export interface HistoryQuery {
  afterSeq?: number;
  beforeSeq?: number;
  limit?: number;
}

/**
 * The `/v1` REST routes, typed and checked. Usable alone (login happens before a
 * ChatClient exists). Every failure rejects with a ChatError: the server's error
 * code and HTTP status, `timeout`, or `network`.
 */
export class RestApi {
  private readonly json: JsonHttp;

  constructor(options: RestApiOptions) {
    this.json = new JsonHttp({
      base: options.httpBase.replace(/\/+$/, ""),
      http: options.http,
      getToken: options.getToken,
      timers: options.timers ?? systemTimers,
      timeoutMs: options.timeoutMs ?? 10_000,
    });
  }

  /** Dev login (only when the server enables it). */
  devLogin(userId: string, name?: string): Promise<AuthResponse> {
    const body = name === undefined ? { userId } : { userId, name };
    return this.json.call("POST", "/v1/auth/dev", (json) => parseWith(AuthResponseSchema, json), body, false);
  }

  /** Exchange a `wx.login()` code for our own token. */
  wechatLogin(code: string): Promise<AuthResponse> {
    return this.json.call("POST", "/v1/auth/wechat", (json) => parseWith(AuthResponseSchema, json), { code }, false);
  }

  /** A new token of the same session, with a new expiry (protocol 1.1). */
  refresh(): Promise<RefreshResponse> {
    return this.json.call("POST", "/v1/auth/refresh", (json) => parseWith(RefreshResponseSchema, json), {});
  }

  /** Ends the session: its tokens are refused from then on, its sockets closed (4401) everywhere. */
  async logout(): Promise<void> {
    await this.json.call("POST", "/v1/auth/logout", () => ({ ok: true, value: undefined }), {});
  }

  async me(): Promise<User> {
    return (await this.json.call("GET", "/v1/me", (json) => parseWith(MeResponseSchema, json))).user;
  }

  /** The user's conversations, most recent activity first. */
  async listConversations(): Promise<Conversation[]> {
    return (await this.json.call("GET", "/v1/conversations", (json) => parseWith(ConversationsResponseSchema, json)))
      .conversations;
  }

  async createDirect(peerId: string): Promise<Conversation> {
    const body = { kind: "direct", peerId };
    return (
      await this.json.call("POST", "/v1/conversations", (json) => parseWith(ConversationResponseSchema, json), body)
    ).conversation;
  }

  async createGroup(title: string, memberIds: readonly string[]): Promise<Conversation> {
    const body = { kind: "group", title, memberIds };
    return (
      await this.json.call("POST", "/v1/conversations", (json) => parseWith(ConversationResponseSchema, json), body)
    ).conversation;
  }

  async addMembers(conversationId: string, userIds: readonly string[]): Promise<Conversation> {
    const path = `/v1/conversations/${encodeURIComponent(conversationId)}/members`;
    return (await this.json.call("POST", path, (json) => parseWith(ConversationResponseSchema, json), { userIds }))
      .conversation;
  }

  // Group management (protocol 1.1): each answers the caller's view after it (leaving answers nothing).

  /** Title and/or announcement (owner or admin). Sent as `POST`, the server's alias of `PATCH`: wx.request has no PATCH. */
  async updateGroup(conversationId: string, patch: { title?: string; announcement?: string }): Promise<Conversation> {
    return this.conversationCall("POST", conversationId, "", patch);
  }

  /** Removes a member (owner: anyone; admin: plain members). */
  async removeMember(conversationId: string, userId: string): Promise<Conversation> {
    return this.conversationCall("DELETE", conversationId, `/members/${encodeURIComponent(userId)}`);
  }

  /** Leaves the group (204); an owner passes it on, the last member dissolves it. */
  async leaveGroup(conversationId: string, me: string): Promise<void> {
    const path = `/v1/conversations/${encodeURIComponent(conversationId)}/members/${encodeURIComponent(me)}`;
    await this.json.call("DELETE", path, () => ({ ok: true, value: undefined }));
  }

  /** Owner only: makes another member the owner (the old one becomes a plain member). */
  async transferOwner(conversationId: string, userId: string): Promise<Conversation> {
    return this.conversationCall("POST", conversationId, "/owner", { userId });
  }

  /** Owner only: makes a member an admin, or a plain member again. */
  async setAdmin(conversationId: string, userId: string, admin: boolean): Promise<Conversation> {
    return this.conversationCall("POST", conversationId, "/admins", { userId, admin });
  }

  /** Mutes one member (`userId`) or everyone but the owner and admins until `untilMs` (epoch ms); 0 unmutes. */
  async mute(conversationId: string, untilMs: number, userId?: string): Promise<Conversation> {
    return this.conversationCall(
      "POST",
      conversationId,
      "/mute",
      userId === undefined ? { untilMs } : { userId, untilMs },
    );
  }

  /** Owner only: dissolves the group (it stays listed, read-only). */
  async dissolveGroup(conversationId: string): Promise<Conversation> {
    return this.conversationCall("DELETE", conversationId, "");
  }

  /**
   * Changes the caller's own settings of a conversation (pinned, muted, draft; `draft: ""`
   * clears it). Sent as `POST …/settings`, the server's alias of `PATCH`: wx.request has no PATCH.
   */
  async updateSettings(conversationId: string, patch: SettingsRequest): Promise<Conversation> {
    const path = `/v1/conversations/${encodeURIComponent(conversationId)}/settings`;
    return (await this.json.call("POST", path, (json) => parseWith(ConversationResponseSchema, json), patch))
      .conversation;
  }

  /** One page of history, ascending. */
  history(conversationId: string, query: HistoryQuery): Promise<MessagesResponse> {
    const params: string[] = [];
    if (query.afterSeq !== undefined) params.push(`afterSeq=${query.afterSeq}`);
    if (query.beforeSeq !== undefined) params.push(`beforeSeq=${query.beforeSeq}`);
    if (query.limit !== undefined) params.push(`limit=${query.limit}`);
    const search = params.length > 0 ? `?${params.join("&")}` : "";
    const path = `/v1/conversations/${encodeURIComponent(conversationId)}/messages${search}`;
    return this.json.call("GET", path, (json) => parseWith(MessagesResponseSchema, json));
  }

  /**
   * Changes the caller's name and/or avatar (`avatarMediaId: null` removes it).
   * Sent as `POST /v1/me`, the server's alias of `PATCH /v1/me`: wx.request has no PATCH.
   */
  async updateProfile(patch: UpdateProfileRequest): Promise<User> {
    return (await this.json.call("POST", "/v1/me", (json) => parseWith(UserResponseSchema, json), patch)).user;
  }

  /** Profiles of the caller and of users sharing a conversation with them (others are left out); ≤ 100 ids. */
  async getUsers(ids: readonly string[]): Promise<User[]> {
    const path = `/v1/users?ids=${ids.map(encodeURIComponent).join(",")}`;
    return (await this.json.call("GET", path, (json) => parseWith(UsersResponseSchema, json))).users;
  }

  /** An invite into a group (its id), or without one to a direct conversation with the caller. */
  async createInvite(conversationId?: string): Promise<Invite> {
    const body = conversationId === undefined ? {} : { conversationId };
    return (await this.json.call("POST", "/v1/invites", (json) => parseWith(CreateInviteResponseSchema, json), body))
      .invite;
  }

  /** Who invites to what; `not_found` when the code is unknown, expired or revoked. */
  async getInvite(code: string): Promise<InviteDetails> {
    const path = `/v1/invites/${encodeURIComponent(code)}`;
    return (await this.json.call("GET", path, (json) => parseWith(InviteDetailsResponseSchema, json))).invite;
  }

  /** Joins the group, or creates or finds the direct conversation with the inviter. */
  async acceptInvite(code: string): Promise<Conversation> {
    const path = `/v1/invites/${encodeURIComponent(code)}/accept`;
    return (await this.json.call("POST", path, (json) => parseWith(AcceptInviteResponseSchema, json), {})).conversation;
  }

  /** Revokes an invite the caller made (204). */
  async revokeInvite(code: string): Promise<void> {
    const path = `/v1/invites/${encodeURIComponent(code)}`;
    await this.json.call("DELETE", path, () => ({ ok: true, value: undefined }));
  }

  /** Blocks a user (idempotent): they can no longer write to the caller directly or add them to a group. */
  async block(userId: string): Promise<Block> {
    return (await this.json.call("POST", "/v1/blocks", (json) => parseWith(BlockResponseSchema, json), { userId }))
      .block;
  }

  /** Unblocks a user (204, also when they were not blocked). */
  async unblock(userId: string): Promise<void> {
    await this.json.call("DELETE", `/v1/blocks/${encodeURIComponent(userId)}`, () => ({ ok: true, value: undefined }));
  }

  /** The users the caller blocked, newest first. */
  async listBlocks(): Promise<Block[]> {
    return (await this.json.call("GET", "/v1/blocks", (json) => parseWith(BlocksResponseSchema, json))).blocks;
  }

  /** Reports a conversation, one of its messages or members to the operator (the caller must be a member). */
  async report(report: ReportRequest): Promise<ReportResponse["report"]> {
    return (await this.json.call("POST", "/v1/reports", (json) => parseWith(ReportResponseSchema, json), report))
      .report;
  }

  private async conversationCall(
    method: HttpRequest["method"],
    conversationId: string,
    suffix: string,
    body?: unknown,
  ): Promise<Conversation> {
    const path = `/v1/conversations/${encodeURIComponent(conversationId)}${suffix}`;
    return (await this.json.call(method, path, (json) => parseWith(ConversationResponseSchema, json), body))
      .conversation;
  }

  /** Reports how many one-time acceptances `wx.requestSubscribeMessage` gave for a notice template; the credits after. */
  async reportNoticeSubscription(templateId: string, accepted: number): Promise<NoticeSubscription> {
    const parse = (json: unknown) => parseWith(NoticeSubscriptionResponseSchema, json);
    return (await this.json.call("POST", "/v1/notifications/subscriptions", parse, { templateId, accepted }))
      .subscription;
  }

  /** The server's offline-notice templates with the caller's credits (empty: the server sends no notices). */
  async noticeSubscriptions(): Promise<NoticeSubscription[]> {
    const parse = (json: unknown) => parseWith(NoticeSubscriptionsResponseSchema, json);
    return (await this.json.call("GET", "/v1/notifications/subscriptions", parse)).subscriptions;
  }
}

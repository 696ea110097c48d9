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
  ErrorBodySchema,
  type Invite,
  type InviteDetails,
  InviteDetailsResponseSchema,
  MeResponseSchema,
  type MessagesResponse,
  MessagesResponseSchema,
  type ParseResult,
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
import { ChatError } from "./errors";
import type { HttpClient, HttpRequest, HttpResponse } from "./ports/http";
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
  private readonly base: string;
  private readonly timers: Timers;
  private readonly timeoutMs: number;

  constructor(private readonly options: RestApiOptions) {
    this.base = options.httpBase.replace(/\/+$/, "");
    this.timers = options.timers ?? systemTimers;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Dev login (only when the server enables it). */
  devLogin(userId: string, name?: string): Promise<AuthResponse> {
    const body = name === undefined ? { userId } : { userId, name };
    return this.call("POST", "/v1/auth/dev", (json) => parseWith(AuthResponseSchema, json), body, false);
  }

  /** Exchange a `wx.login()` code for our own token. */
  wechatLogin(code: string): Promise<AuthResponse> {
    return this.call("POST", "/v1/auth/wechat", (json) => parseWith(AuthResponseSchema, json), { code }, false);
  }

  /** A new token of the same session, with a new expiry (protocol 1.1). */
  refresh(): Promise<RefreshResponse> {
    return this.call("POST", "/v1/auth/refresh", (json) => parseWith(RefreshResponseSchema, json), {});
  }

  /** Ends the session: its tokens are refused from then on, its sockets closed (4401) everywhere. */
  async logout(): Promise<void> {
    await this.call("POST", "/v1/auth/logout", () => ({ ok: true, value: undefined }), {});
  }

  async me(): Promise<User> {
    return (await this.call("GET", "/v1/me", (json) => parseWith(MeResponseSchema, json))).user;
  }

  /** The user's conversations, most recent activity first. */
  async listConversations(): Promise<Conversation[]> {
    return (await this.call("GET", "/v1/conversations", (json) => parseWith(ConversationsResponseSchema, json)))
      .conversations;
  }

  async createDirect(peerId: string): Promise<Conversation> {
    const body = { kind: "direct", peerId };
    return (await this.call("POST", "/v1/conversations", (json) => parseWith(ConversationResponseSchema, json), body))
      .conversation;
  }

  async createGroup(title: string, memberIds: readonly string[]): Promise<Conversation> {
    const body = { kind: "group", title, memberIds };
    return (await this.call("POST", "/v1/conversations", (json) => parseWith(ConversationResponseSchema, json), body))
      .conversation;
  }

  async addMembers(conversationId: string, userIds: readonly string[]): Promise<Conversation> {
    const path = `/v1/conversations/${encodeURIComponent(conversationId)}/members`;
    return (await this.call("POST", path, (json) => parseWith(ConversationResponseSchema, json), { userIds }))
      .conversation;
  }

  /**
   * Changes the caller's own settings of a conversation (pinned, muted, draft; `draft: ""`
   * clears it). Sent as `POST …/settings`, the server's alias of `PATCH`: wx.request has no PATCH.
   */
  async updateSettings(conversationId: string, patch: SettingsRequest): Promise<Conversation> {
    const path = `/v1/conversations/${encodeURIComponent(conversationId)}/settings`;
    return (await this.call("POST", path, (json) => parseWith(ConversationResponseSchema, json), patch)).conversation;
  }

  /** One page of history, ascending. */
  history(conversationId: string, query: HistoryQuery): Promise<MessagesResponse> {
    const params: string[] = [];
    if (query.afterSeq !== undefined) params.push(`afterSeq=${query.afterSeq}`);
    if (query.beforeSeq !== undefined) params.push(`beforeSeq=${query.beforeSeq}`);
    if (query.limit !== undefined) params.push(`limit=${query.limit}`);
    const search = params.length > 0 ? `?${params.join("&")}` : "";
    const path = `/v1/conversations/${encodeURIComponent(conversationId)}/messages${search}`;
    return this.call("GET", path, (json) => parseWith(MessagesResponseSchema, json));
  }

  /**
   * Changes the caller's name and/or avatar (`avatarMediaId: null` removes it).
   * Sent as `POST /v1/me`, the server's alias of `PATCH /v1/me`: wx.request has no PATCH.
   */
  async updateProfile(patch: UpdateProfileRequest): Promise<User> {
    return (await this.call("POST", "/v1/me", (json) => parseWith(UserResponseSchema, json), patch)).user;
  }

  /** Profiles of the caller and of users sharing a conversation with them (others are left out); ≤ 100 ids. */
  async getUsers(ids: readonly string[]): Promise<User[]> {
    const path = `/v1/users?ids=${ids.map(encodeURIComponent).join(",")}`;
    return (await this.call("GET", path, (json) => parseWith(UsersResponseSchema, json))).users;
  }

  /** An invite into a group (its id), or without one to a direct conversation with the caller. */
  async createInvite(conversationId?: string): Promise<Invite> {
    const body = conversationId === undefined ? {} : { conversationId };
    return (await this.call("POST", "/v1/invites", (json) => parseWith(CreateInviteResponseSchema, json), body)).invite;
  }

  /** Who invites to what; `not_found` when the code is unknown, expired or revoked. */
  async getInvite(code: string): Promise<InviteDetails> {
    const path = `/v1/invites/${encodeURIComponent(code)}`;
    return (await this.call("GET", path, (json) => parseWith(InviteDetailsResponseSchema, json))).invite;
  }

  /** Joins the group, or creates or finds the direct conversation with the inviter. */
  async acceptInvite(code: string): Promise<Conversation> {
    const path = `/v1/invites/${encodeURIComponent(code)}/accept`;
    return (await this.call("POST", path, (json) => parseWith(AcceptInviteResponseSchema, json), {})).conversation;
  }

  /** Revokes an invite the caller made (204). */
  async revokeInvite(code: string): Promise<void> {
    const path = `/v1/invites/${encodeURIComponent(code)}`;
    await this.call("DELETE", path, () => ({ ok: true, value: undefined }));
  }

  /** Blocks a user (idempotent): they can no longer write to the caller directly or add them to a group. */
  async block(userId: string): Promise<Block> {
    return (await this.call("POST", "/v1/blocks", (json) => parseWith(BlockResponseSchema, json), { userId })).block;
  }

  /** Unblocks a user (204, also when they were not blocked). */
  async unblock(userId: string): Promise<void> {
    await this.call("DELETE", `/v1/blocks/${encodeURIComponent(userId)}`, () => ({ ok: true, value: undefined }));
  }

  /** The users the caller blocked, newest first. */
  async listBlocks(): Promise<Block[]> {
    return (await this.call("GET", "/v1/blocks", (json) => parseWith(BlocksResponseSchema, json))).blocks;
  }

  /** Reports a conversation, one of its messages or members to the operator (the caller must be a member). */
  async report(report: ReportRequest): Promise<ReportResponse["report"]> {
    return (await this.call("POST", "/v1/reports", (json) => parseWith(ReportResponseSchema, json), report)).report;
  }

  private async call<T>(
    method: HttpRequest["method"],
    path: string,
    parse: (json: unknown) => ParseResult<T>,
    body?: unknown,
    authenticated = true,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (authenticated && this.options.getToken) headers.authorization = `Bearer ${await this.options.getToken()}`;
    const request: HttpRequest = { method, url: this.base + path, headers, timeoutMs: this.timeoutMs };
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      request.body = JSON.stringify(body);
    }
    const response = await this.withTimeout(this.options.http.request(request));
    const json = parseJson(response.body);
    if (response.status >= 200 && response.status < 300) {
      const parsed = parse(json);
      if (parsed.ok) return parsed.value;
      throw new ChatError("internal", `unexpected response from ${path}: ${parsed.error.message}`, response.status);
    }
    throw errorOf(response, json);
  }

  /** The adapters may or may not enforce the timeout; this makes sure nothing hangs. */
  private withTimeout(request: Promise<HttpResponse>): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const timer = this.timers.setTimeout(
        () => reject(new ChatError("timeout", `no HTTP response within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      request.then(
        (response) => {
          this.timers.clearTimeout(timer);
          resolve(response);
        },
        (error: unknown) => {
          this.timers.clearTimeout(timer);
          reject(error instanceof ChatError ? error : new ChatError("network", describe(error)));
        },
      );
    });
  }
}

/** The body as JSON, or undefined when it is none (also used by the media uploader). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The ChatError of a non-2xx answer (also used by the media uploader). */
export function errorOf(response: HttpResponse, json: unknown): ChatError {
  const parsed = parseWith(ErrorBodySchema, json);
  if (parsed.ok) {
    const { code, message } = parsed.value.error;
    return new ChatError(code as ChatError["code"], message, response.status);
  }
  const code = response.status === 401 ? "unauthorized" : response.status >= 500 ? "unavailable" : "bad_request";
  return new ChatError(code, `HTTP ${response.status}`, response.status);
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "errMsg" in error) return String(error.errMsg);
  return String(error);
}

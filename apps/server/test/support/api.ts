import type {
  AuthResponse,
  Conversation,
  ConversationResponse,
  ConversationsResponse,
  MeResponse,
  MessagesResponse,
  User,
} from "@mpchat/protocol";

/** A non-2xx answer of the HTTP API. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}: ${JSON.stringify(body)}`);
  }
}

export interface RawAnswer {
  status: number;
  /** Parsed JSON, or the text when the body is not JSON. */
  body: unknown;
  headers: Headers;
}

export interface HistoryQuery {
  afterSeq?: number;
  beforeSeq?: number;
  limit?: number;
}

/** Sends any request; never throws on a status (for error-path tests). */
export async function rawRequest(
  server: { httpUrl: string },
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await fetch(`${server.httpUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // keep the text
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

async function expectOk<T>(answer: Promise<RawAnswer>): Promise<T> {
  const { status, body } = await answer;
  if (status < 200 || status > 299) throw new ApiError(status, body);
  return body as T;
}

/** POST /v1/auth/dev. */
export function devLogin(server: { httpUrl: string }, userId: string, name?: string): Promise<AuthResponse> {
  return expectOk(
    rawRequest(server, "POST", "/v1/auth/dev", { body: name === undefined ? { userId } : { userId, name } }),
  );
}

/** Typed calls of the 🔒 HTTP API as the token's user; a non-2xx answer throws ApiError. */
export function api(server: { httpUrl: string }, token: string) {
  const call = <T>(method: string, path: string, body?: unknown) =>
    expectOk<T>(rawRequest(server, method, path, { token, body }));
  return {
    raw: (method: string, path: string, body?: unknown) => rawRequest(server, method, path, { token, body }),
    me: async (): Promise<User> => (await call<MeResponse>("GET", "/v1/me")).user,
    conversations: async (): Promise<Conversation[]> =>
      (await call<ConversationsResponse>("GET", "/v1/conversations")).conversations,
    createDirect: async (peerId: string): Promise<Conversation> =>
      (await call<ConversationResponse>("POST", "/v1/conversations", { kind: "direct", peerId })).conversation,
    createGroup: async (title: string, memberIds: string[]): Promise<Conversation> =>
      (await call<ConversationResponse>("POST", "/v1/conversations", { kind: "group", title, memberIds })).conversation,
    addMembers: async (conversationId: string, userIds: string[]): Promise<Conversation> =>
      (await call<ConversationResponse>("POST", `/v1/conversations/${conversationId}/members`, { userIds }))
        .conversation,
    // Group management (protocol 1.1).
    updateGroup: async (conversationId: string, patch: { title?: string; announcement?: string }) =>
      (await call<ConversationResponse>("PATCH", `/v1/conversations/${conversationId}`, patch)).conversation,
    /** Removing oneself is leaving (answered 204: undefined). */
    removeMember: async (conversationId: string, userId: string): Promise<Conversation | undefined> =>
      (await call<ConversationResponse | undefined>("DELETE", `/v1/conversations/${conversationId}/members/${userId}`))
        ?.conversation,
    transferOwner: async (conversationId: string, userId: string) =>
      (await call<ConversationResponse>("POST", `/v1/conversations/${conversationId}/owner`, { userId })).conversation,
    setAdmin: async (conversationId: string, userId: string, admin: boolean) =>
      (await call<ConversationResponse>("POST", `/v1/conversations/${conversationId}/admins`, { userId, admin }))
        .conversation,
    mute: async (conversationId: string, untilMs: number, userId?: string) =>
      (
        await call<ConversationResponse>(
          "POST",
          `/v1/conversations/${conversationId}/mute`,
          userId === undefined ? { untilMs } : { userId, untilMs },
        )
      ).conversation,
    dissolve: async (conversationId: string) =>
      (await call<ConversationResponse>("DELETE", `/v1/conversations/${conversationId}`)).conversation,
    history: (conversationId: string, query: HistoryQuery = {}): Promise<MessagesResponse> => {
      const search = new URLSearchParams(
        Object.entries(query).map(([key, value]): [string, string] => [key, String(value)]),
      );
      const suffix = search.size > 0 ? `?${search}` : "";
      return call<MessagesResponse>("GET", `/v1/conversations/${conversationId}/messages${suffix}`);
    },
  };
}

export type Api = ReturnType<typeof api>;

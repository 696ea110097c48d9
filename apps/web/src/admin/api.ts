import type {
  AdminConversationResponse,
  AdminConversationsResponse,
  AdminReportResponse,
  AdminReportsResponse,
  AdminStatsResponse,
  AdminUserResponse,
  AuditResponse,
  BanResponse,
} from "@mpchat/protocol";

const TOKEN_KEY = "mpchat.admin.token";

/** The admin token lives in this tab's sessionStorage only: closing the tab forgets it. */
export function savedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}
export function saveToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}
export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** A refused admin call: its status and the server's message. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The console's calls of /v1/admin/* (same origin), with the token as a bearer. */
export class AdminApi {
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  stats(): Promise<AdminStatsResponse> {
    return this.call("GET", "/v1/admin/stats");
  }
  user(id: string): Promise<AdminUserResponse> {
    return this.call("GET", `/v1/admin/users/${encodeURIComponent(id)}`);
  }
  ban(id: string, reason: string, untilMs?: number): Promise<BanResponse> {
    return this.call("POST", `/v1/admin/users/${encodeURIComponent(id)}/ban`, {
      reason,
      ...(untilMs === undefined ? {} : { untilMs }),
    });
  }
  unban(id: string): Promise<void> {
    return this.call("DELETE", `/v1/admin/users/${encodeURIComponent(id)}/ban`);
  }
  reports(status: "open" | "resolved"): Promise<AdminReportsResponse> {
    return this.call("GET", `/v1/admin/reports?status=${status}`);
  }
  resolveReport(id: string, note?: string): Promise<AdminReportResponse> {
    return this.call("POST", `/v1/admin/reports/${encodeURIComponent(id)}/resolve`, note === undefined ? {} : { note });
  }
  conversation(id: string): Promise<AdminConversationResponse> {
    return this.call("GET", `/v1/admin/conversations/${encodeURIComponent(id)}`);
  }
  userConversations(userId: string): Promise<AdminConversationsResponse> {
    return this.call("GET", `/v1/admin/users/${encodeURIComponent(userId)}/conversations`);
  }
  removeMember(id: string, userId: string, reason: string): Promise<AdminConversationResponse> {
    const path = `/v1/admin/conversations/${encodeURIComponent(id)}/members/${encodeURIComponent(userId)}`;
    return this.call("DELETE", path, { reason });
  }
  dissolve(id: string, reason: string): Promise<AdminConversationResponse> {
    return this.call("POST", `/v1/admin/conversations/${encodeURIComponent(id)}/dissolve`, { reason });
  }
  /** The newest entries; `withReads` false leaves out the lookups, lists and stats (`only=changes`). */
  audit(limit = 100, withReads = false): Promise<AuditResponse> {
    return this.call("GET", `/v1/admin/audit?limit=${limit}${withReads ? "" : "&only=changes"}`);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 204) return undefined as T;
    const answer = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
    if (!response.ok) {
      if (response.status === 401) this.onUnauthorized();
      throw new AdminApiError(response.status, answer.error?.message ?? `HTTP ${response.status}`);
    }
    return answer as T;
  }
}

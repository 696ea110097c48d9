import { type AuthResponse, fetchHttp, RestApi } from "@mpchat/client";

/** The server this page came from: the web chat always talks to its own origin. */
export const server = {
  http: location.origin,
  ws: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/v1/ws`,
};

export const http = fetchHttp((url, init) => fetch(url, init as RequestInit));

/** Who is logged in in this tab: the login answer (token, user, media token). */
export type Session = Pick<AuthResponse, "token" | "user" | "mediaToken" | "expiresAt">;

// sessionStorage, not localStorage: each tab is its own login, so that two tabs can be two users.
// The outbox (per user) is in localStorage: it outlives the tab.
const SESSION_KEY = "mpchat:session";

export function loadSession(): Session | undefined {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return undefined;
  try {
    const session = JSON.parse(raw) as Session;
    if (typeof session.token !== "string" || typeof session.user?.id !== "string") return undefined;
    if (session.expiresAt !== undefined && session.expiresAt <= Date.now()) return undefined;
    return session;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function forgetSession(): void {
  sessionStorage.removeItem(SESSION_KEY);
}

/** `POST /v1/auth/dev` (the server decides whether dev login is on; a 404 says it is not). */
export async function devLogin(userId: string, name: string | undefined): Promise<Session> {
  const answer = await new RestApi({ httpBase: server.http, http }).devLogin(userId, name);
  const session: Session = { token: answer.token, user: answer.user };
  if (answer.mediaToken !== undefined) session.mediaToken = answer.mediaToken;
  if (answer.expiresAt !== undefined) session.expiresAt = answer.expiresAt;
  saveSession(session);
  return session;
}

import { randomBytes } from "node:crypto";
import type { Bus, BusEvent } from "../bus/bus";
import { publishQuietly } from "../bus/publish-quietly";
import type { ChatLogger } from "../chat/deps";
import type { Store } from "../store/store";
import type { BanList } from "./bans";
import type { MediaTokenClaims, MediaTokens } from "./media-tokens";
import type { SessionCache } from "./session-cache";
import type { IssuedToken, TokenClaims, TokenService } from "./tokens";

export interface SessionServiceDeps {
  store: Pick<Store, "createSession" | "endSession">;
  tokens: TokenService;
  cache: SessionCache;
  mediaTokens: MediaTokens;
  bus: Bus;
  now: () => number;
  log: ChatLogger;
  /** Banned users' logins and tokens are refused (403). */
  bans: BanList;
}

/** A token of a session and the session's media token (login and refresh answers). */
export type SessionToken = IssuedToken & { mediaToken: string };

/**
 * Login sessions (protocol 1.1): a login starts one, its tokens name it (`sid`),
 * refresh issues another token of it, logout ends it on every instance.
 */
export class SessionService {
  constructor(private readonly deps: SessionServiceDeps) {}

  /** A new session for the user and its first token. Its id is random: two logins never share one. */
  async start(userId: string): Promise<SessionToken> {
    await this.deps.bans.refuseBanned(userId);
    const sessionId = randomBytes(18).toString("base64url");
    await this.deps.store.createSession({ id: sessionId, userId, createdAt: this.deps.now() });
    return { ...(await this.deps.tokens.issue(userId, sessionId)), mediaToken: this.mediaToken(userId, sessionId) };
  }

  /** The session's media token (protocol 1.1): the same for the whole session. */
  mediaToken(userId: string, sessionId: string): string {
    return this.deps.mediaTokens.issue(userId, sessionId);
  }

  /** The claims of a media token whose session lives; null otherwise. Throws when the store cannot answer. */
  async authenticateMedia(token: string): Promise<MediaTokenClaims | null> {
    const claims = this.deps.mediaTokens.verify(token);
    if (!claims) return null;
    if (!(await this.deps.cache.isLive(claims.sessionId, claims.userId))) return null;
    return (await this.deps.bans.activeBan(claims.userId)) ? null : claims;
  }

  /**
   * The claims of a valid token whose session lives; null otherwise. Throws the
   * `403 forbidden` AppError while the user is banned, and when the store cannot answer.
   */
  async authenticate(token: string): Promise<TokenClaims | null> {
    const claims = await this.deps.tokens.verify(token);
    if (!claims) return null;
    if (!(await this.deps.cache.isLive(claims.sessionId, claims.userId))) return null;
    await this.deps.bans.refuseBanned(claims.userId);
    return claims;
  }

  /** Another token of the same session, with a full lifetime. */
  async refresh(claims: TokenClaims): Promise<SessionToken> {
    const issued = await this.deps.tokens.issue(claims.userId, claims.sessionId);
    return { ...issued, mediaToken: this.mediaToken(claims.userId, claims.sessionId) };
  }

  /**
   * Ends the session: stored first (so that it holds across restarts and on
   * instances that miss the bus event, once their cache entry is stale), then
   * refused here at once, then announced to every instance, whose gateways close
   * the session's sockets with 4401.
   */
  async end(claims: TokenClaims): Promise<void> {
    await this.deps.store.endSession(claims.sessionId, this.deps.now());
    this.deps.cache.ended(claims.sessionId);
    await publishQuietly(this.deps, { type: "session_ended", userId: claims.userId, sessionId: claims.sessionId });
  }

  /** Bus subscriber: a logout on any instance. */
  hear(event: BusEvent): void {
    if (event.type === "session_ended") this.deps.cache.ended(event.sessionId);
    this.deps.bans.hear(event);
  }
}

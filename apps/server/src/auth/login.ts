import { USER_ID_PATTERN, type User } from "@mpchat/protocol";
import { AppError } from "../app-error";
import type { ContentGuard } from "../chat/content-guard";
import { MODERATION_SENDER } from "../chat/moderation-sender";
import { toUser } from "../chat/user-view";
import type { Store } from "../store/store";
import type { SessionService } from "./sessions";
import { type WeChatApi, WeChatLoginError, WeChatUnavailableError } from "./wechat-api";

export interface LoginResult {
  token: string;
  /** Epoch ms when the token expires (an mpchat addition to the login answers). */
  expiresAt: number;
  /** The session's media token (protocol 1.1). */
  mediaToken: string;
  user: User;
}

/** Ids of WeChat users start with this; dev login never issues one (it could impersonate them). */
export const WECHAT_ID_PREFIX = "wx_";

/** The user id of a WeChat user: their openid for this mini program, prefixed. */
export function wechatUserId(openid: string): string {
  return `${WECHAT_ID_PREFIX}${openid}`;
}

/** Dev and WeChat login: find or create the user, then issue a token. */
export class LoginService {
  constructor(
    private readonly store: Store,
    private readonly sessions: SessionService,
    private readonly wechat: WeChatApi | undefined,
    /** Checks a new dev-login name (the word list: dev users have no openid); none in tests of login alone. */
    private readonly content?: ContentGuard,
  ) {}

  get wechatEnabled(): boolean {
    return this.wechat !== undefined;
  }

  /** Logs in as any user id, creating it. Only reachable while dev login is on. */
  async devLogin(userId: string, name: string | undefined): Promise<LoginResult> {
    if (userId.startsWith(WECHAT_ID_PREFIX)) {
      throw new AppError("bad_request", `user ids starting with ${WECHAT_ID_PREFIX} belong to WeChat users`);
    }
    // The sender of moderation's recalls: a person logged in under it would look like the operator.
    if (userId === MODERATION_SENDER) throw new AppError("bad_request", `the user id "${userId}" is reserved`);
    const existing = await this.store.getUser(userId);
    if (name !== undefined && name !== existing?.name)
      await this.content?.require({ kind: "name", text: name, userId });
    const user =
      existing && (name === undefined || existing.name === name)
        ? existing
        : await this.store.upsertUser({ id: userId, name: name ?? existing?.name ?? userId });
    return { ...(await this.sessions.start(user.id)), user: toUser(user) };
  }

  async wechatLogin(code: string): Promise<LoginResult> {
    if (!this.wechat) throw new AppError("not_found", "WeChat login is not configured");
    let openid: string;
    try {
      // The session key is dropped here: nothing in v1 needs it, and it must never leave the server.
      ({ openid } = await this.wechat.code2Session(code));
    } catch (error) {
      if (error instanceof WeChatLoginError) {
        throw new AppError("unauthorized", `WeChat refused the code: ${error.message}`, {
          details: { wechatErrcode: error.errcode },
        });
      }
      if (error instanceof WeChatUnavailableError) throw new AppError("unavailable", error.message);
      throw error;
    }
    const userId = wechatUserId(openid);
    if (!USER_ID_PATTERN.test(userId)) throw new AppError("unauthorized", "WeChat returned an unusable openid");
    const user =
      (await this.store.getUser(userId)) ?? (await this.store.upsertUser({ id: userId, name: "WeChat user" }));
    return { ...(await this.sessions.start(user.id)), user: toUser(user) };
  }
}

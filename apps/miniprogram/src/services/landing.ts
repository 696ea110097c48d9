import type { User } from "@mpchat/client";
import type { Platform } from "./platform";

/**
 * The name the server gives a user who logged in with WeChat and never set one
 * (apps/server/src/auth/login.ts): WeChat no longer tells us the real one, so we ask.
 */
export const PLACEHOLDER_NAME = "WeChat user";

export function needsProfile(user: User): boolean {
  return user.name === "" || user.name === PLACEHOLDER_NAME;
}

const PENDING_INVITE_KEY = "mpchat:pendingInvite";

/**
 * An invite card opened before login: remembered (in storage, so that a login that restarts the
 * app still finds it) and taken once logged in.
 */
export class PendingInvite {
  constructor(private readonly platform: Platform) {}

  save(code: string): void {
    this.platform.setStorageSync(PENDING_INVITE_KEY, code);
  }

  take(): string {
    const code: unknown = this.platform.getStorageSync(PENDING_INVITE_KEY);
    this.platform.removeStorageSync(PENDING_INVITE_KEY);
    return typeof code === "string" ? code : "";
  }
}

export const PAGES = {
  conversations: "/pages/conversations/conversations",
  login: "/pages/login/login",
  profileSetup: "/pages/profile/profile?setup=1",
  invite: (code: string) => `/pages/invite/invite?code=${encodeURIComponent(code)}`,
  chat: (id: string) => `/pages/chat/chat?id=${encodeURIComponent(id)}`,
};

/** Where to go once logged in (and once the profile is set up): a waiting invite, else the list. */
export function nextPage(pending: PendingInvite): string {
  const code = pending.take();
  return code === "" ? PAGES.conversations : PAGES.invite(code);
}

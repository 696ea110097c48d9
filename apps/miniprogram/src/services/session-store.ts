import type { User } from "@mpchat/client";
import type { Platform } from "./platform";

/** Who is logged in on this device: our own token (never WeChat's session key) and the user. */
export interface Session {
  token: string;
  user: User;
  /** For media URLs (`?t=`), from the login answer when the server sends one. */
  mediaToken?: string;
}

const SESSION_KEY = "mpchat:session";

/** Keeps the session in wx storage so that a restarted app is still logged in. */
export class SessionStore {
  constructor(private readonly platform: Platform) {}

  load(): Session | null {
    const raw: unknown = this.platform.getStorageSync(SESSION_KEY);
    if (typeof raw !== "string" || raw === "") return null;
    try {
      const value = JSON.parse(raw) as Partial<Session>;
      const user = value.user;
      if (typeof value.token === "string" && user && typeof user.id === "string" && typeof user.name === "string") {
        const avatar = typeof user.avatarMediaId === "string" ? { avatarMediaId: user.avatarMediaId } : {};
        const media = typeof value.mediaToken === "string" ? { mediaToken: value.mediaToken } : {};
        return { token: value.token, user: { id: user.id, name: user.name, ...avatar }, ...media };
      }
    } catch {
      // A damaged entry is the same as none: the user logs in again.
    }
    return null;
  }

  save(session: Session): void {
    this.platform.setStorageSync(SESSION_KEY, JSON.stringify(session));
  }

  clear(): void {
    this.platform.removeStorageSync(SESSION_KEY);
  }
}

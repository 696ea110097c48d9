import { wxRequestHttp } from "@mpchat/client";
import { type ServerAddress, serverAddress } from "../config";
import { AuthService } from "./auth-service";
import { type ChatSession, openChatSession } from "./chat-session";
import { PendingInvite } from "./landing";
import type { Platform } from "./platform";
import { type Session, SessionStore } from "./session-store";

/** What pages reach through `getApp().services`. */
export interface AppServices {
  readonly server: ServerAddress;
  readonly auth: AuthService;
  /** An invite card opened before login, to open after it. */
  readonly pendingInvite: PendingInvite;
  /** The logged-in user's chat, or null before login. */
  readonly chat: ChatSession | null;
  /** Remember the session and start the app's one ChatClient. */
  startSession(session: Session): ChatSession;
  /**
   * The user logs out: end the session on the server (the client closes its socket, then
   * POST /v1/auth/logout) and forget it here. Forgets it even when the server cannot be told
   * (offline): never rejects. The outbox stays in storage for the next login.
   */
  logout(): Promise<void>;
  /** App.onShow: reconnect at once and resync (WeChat may have dropped the socket meanwhile). */
  enterForeground(): void;
  /** App.onHide: close the socket before WeChat suspends the JS thread; keep all state. */
  enterBackground(): void;
}

export interface AppServicesOptions {
  server?: ServerAddress;
  /** The server refused the token (expired, or the secret changed): the session is gone, show the login page. */
  onSessionExpired?: () => void;
}

export function createAppServices(platform: Platform, options: AppServicesOptions = {}): AppServices {
  const server = options.server ?? serverAddress();
  const sessions = new SessionStore(platform);
  const auth = new AuthService(platform, wxRequestHttp(platform), server);
  let chat: ChatSession | null = null;
  // onLaunch is followed by onShow; until then the app counts as in the foreground.
  let foreground = true;

  const open = (session: Session): ChatSession => {
    const opened = openChatSession(platform, server, session);
    opened.client.on("unauthorized", () => {
      if (chat !== opened) return;
      // The server already refused the token: nothing to end there, only forget it here.
      forget()?.close();
      options.onSessionExpired?.();
    });
    // The client refreshes the token before it expires: keep the fresh one for the next launch.
    let saved = session;
    opened.client.on("token", ({ token }) => {
      saved = { ...saved, token };
      if (chat === opened) sessions.save(saved);
    });
    // A new name or avatar (here or on another device): the next launch starts with it.
    opened.client.on("user", (user) => {
      if (user.id !== saved.user.id) return;
      saved = { ...saved, user };
      if (chat === opened) sessions.save(saved);
    });
    return opened;
  };

  // When the network comes back, reconnect now instead of waiting out the backoff (in the
  // background the client stays suspended: onShow resumes it).
  platform.onNetworkStatusChange((status) => {
    if (foreground && status.isConnected && chat && chat.client.state !== "online") chat.client.resume();
  });

  /** Drops the current session from memory and storage; returns its client for the caller to stop. */
  const forget = () => {
    const client = chat?.client;
    chat = null;
    sessions.clear();
    return client;
  };

  const services: AppServices = {
    server,
    auth,
    pendingInvite: new PendingInvite(platform),
    get chat() {
      return chat;
    },
    startSession(session) {
      chat?.client.close();
      sessions.save(session);
      chat = open(session);
      return chat;
    },
    async logout() {
      const client = forget();
      // Offline or the server unreachable: the user is logged out here all the same.
      await client?.logout().catch(() => undefined);
    },
    enterForeground() {
      foreground = true;
      chat?.client.resume();
    },
    enterBackground() {
      foreground = false;
      chat?.client.suspend();
    },
  };

  const saved = sessions.load();
  if (saved) chat = open(saved);
  return services;
}

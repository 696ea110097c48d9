import { ChatClient, wxRequestHttp, wxSocketTransport, wxStorage } from "@mpchat/client";
import { type ServerAddress, webSocketUrl } from "../config";
import type { Platform } from "./platform";
import type { Session } from "./session-store";

/** Everything that exists while a user is logged in: the one ChatClient of the app and what hangs off it. */
export interface ChatSession {
  readonly user: Session["user"];
  readonly client: ChatClient;
}

export function openChatSession(platform: Platform, server: ServerAddress, session: Session): ChatSession {
  const client = new ChatClient({
    url: webSocketUrl(server),
    httpBase: server.http,
    token: session.token,
    transport: wxSocketTransport(platform),
    http: wxRequestHttp(platform),
    // The outbox lives in wx storage (written synchronously before each send), one per user.
    storage: wxStorage(platform),
    storageKey: `mpchat:outbox:${session.user.id}`,
  });
  client.connect();
  return { user: session.user, client };
}

import { ChatClient, RestApi, wxRequestHttp, wxSocketTransport, wxStorage, wxUploadFile } from "@mpchat/client";
import { type ServerAddress, webSocketUrl } from "../config";
import type { MediaUrls } from "../view/avatar";
import { InviteCache } from "./invite-cache";
import { mediaUrls } from "./media-urls";
import { NoticePrompt } from "./notice-prompt";
import { OutgoingCopies } from "./outgoing-copies";
import { People } from "./people";
import type { Platform } from "./platform";
import type { Session } from "./session-store";

/** Everything that exists while a user is logged in: the one ChatClient of the app and what hangs off it. */
export interface ChatSession {
  readonly user: Session["user"];
  readonly client: ChatClient;
  /** Names and avatars of everyone the user sees. */
  readonly people: People;
  /** Thumbnail addresses (with the media token) for `<image src>`. */
  readonly media: MediaUrls;
  /** Invite codes for share cards, created ahead (onShareAppMessage answers synchronously). */
  readonly invites: InviteCache;
  /** Asks for offline notices when the user sends (once a session). */
  readonly notices: NoticePrompt;
  /** The freshest token (the client refreshes it), for wx.uploadFile. */
  token(): string;
}

export function openChatSession(platform: Platform, server: ServerAddress, session: Session): ChatSession {
  let token = session.token;
  const client = new ChatClient({
    url: webSocketUrl(server),
    httpBase: server.http,
    token: session.token,
    transport: wxSocketTransport(platform),
    http: wxRequestHttp(platform),
    // Images, voice and files: wx.uploadFile to POST /v1/media, before the message is sent.
    upload: wxUploadFile(platform),
    // The outbox lives in wx storage (written synchronously before each send), one per user.
    storage: wxStorage(platform),
    storageKey: `mpchat:outbox:${session.user.id}`,
  });
  // Chat files copied under their names for the upload: deleted once their message leaves the outbox.
  const copies = new OutgoingCopies(platform);
  client.on("outbox", (entries) => copies.track(entries));
  client.on("token", (event) => {
    token = event.token;
  });
  // Invites are plain REST calls the ChatClient does not wrap; same server, same (fresh) token.
  const rest = new RestApi({ httpBase: server.http, http: wxRequestHttp(platform), getToken: () => token });
  const people = new People(client);
  client.users.learn(session.user);
  client.connect();
  const notices = new NoticePrompt(platform, rest);
  void notices.prepare();
  return {
    user: session.user,
    client,
    people,
    media: mediaUrls(server.http, () => session.mediaToken ?? ""),
    invites: new InviteCache(rest),
    notices,
    token: () => token,
  };
}

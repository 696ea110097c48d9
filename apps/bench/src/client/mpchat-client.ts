import type WebSocket from "ws";
import { loginCodeFor } from "../wechat-fake/fake-answers";
import { reportJsonFrames } from "./json-frames";
import { bufferedBytes, closeAll, mapLimit, nextFrame, openSocket } from "./sockets";
import { type FrameSink, type SystemClient, TEXT_BODY } from "./system-client";

/** How the simulated users log in: dev login, or WeChat login against the bench's fake WeChat. */
export type MpchatLogin = "dev" | "wechat";

/** The prefix mpchat gives the ids of WeChat users (apps/server/src/auth/login.ts). */
const WECHAT_ID_PREFIX = "wx_";

/**
 * Client of the real mpchat server through the real protocol: dev login over
 * HTTP, conversations created over HTTP, then `auth` and `send` frames on
 * `/v1/ws`, reading `ack` and `message` frames.
 */
export class MpchatClient implements SystemClient {
  readonly system = "mpchat" as const;
  private tokens: string[] = [];
  private sockets: WebSocket[] = [];
  private conversationIds: string[] = [];
  private keepAlive: NodeJS.Timeout | undefined;
  private closing = false;
  private readonly wsUrls: readonly string[];
  /** The JSON `body` of user `user`'s next send (a text by default; the image scenario sets its own). */
  messageBody: (user: number) => string = () => TEXT_BODY;
  /**
   * Users are named `<prefix><index>` so that several runs can share one database;
   * WeChat users (`login: "wechat"`) have that as their openid, so their id is `wx_<prefix><index>`.
   * Several `wsUrl`s (instances of a cluster): user i connects to wsUrl[i mod n].
   */
  constructor(
    private readonly httpUrl: string,
    wsUrl: string | readonly string[],
    private readonly userPrefix = "u",
    private readonly login: MpchatLogin = "dev",
  ) {
    this.wsUrls = typeof wsUrl === "string" ? [wsUrl] : wsUrl;
  }

  /** The user id mpchat knows user `user` by. */
  idOf(user: number): string {
    const name = `${this.userPrefix}${user}`;
    return this.login === "wechat" ? `${WECHAT_ID_PREFIX}${name}` : name;
  }

  /** The bearer token of a prepared user (for HTTP calls such as uploads). */
  tokenOf(user: number): string {
    const token = this.tokens[user];
    if (token === undefined) throw new Error(`user ${user} is not prepared`);
    return token;
  }

  private async post<T>(path: string, body: unknown, token?: string): Promise<T> {
    const response = await fetch(`${this.httpUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${path} → ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  async prepareUsers(count: number): Promise<void> {
    const indexes = Array.from({ length: count }, (_, i) => i);
    this.tokens = await mapLimit(indexes, 32, async (user) => {
      const name = `${this.userPrefix}${user}`;
      const answer =
        this.login === "wechat"
          ? await this.post<{ token: string }>("/v1/auth/wechat", { code: loginCodeFor(name) })
          : await this.post<{ token: string }>("/v1/auth/dev", { userId: name });
      return answer.token;
    });
  }

  async connect(sink: FrameSink): Promise<void> {
    let heartbeatMs = 25_000;
    this.sockets = await mapLimit(this.tokens, 64, async (token, user) => {
      const socket = await openSocket(`${this.wsUrls[user % this.wsUrls.length]}/v1/ws`);
      const ready = nextFrame(socket, (frame) => {
        const parsed = JSON.parse(frame.toString()) as { type?: string; heartbeatMs?: number; code?: string };
        if (parsed.type === "ready") return parsed;
        if (parsed.type === "error") throw new Error(`auth failed: ${parsed.code}`);
        return undefined;
      });
      socket.send(JSON.stringify({ type: "auth", id: "auth", token }));
      const readyFrame = await ready;
      if (readyFrame.heartbeatMs) heartbeatMs = readyFrame.heartbeatMs;
      reportJsonFrames(socket, user, sink); // ready, pong, conversation, presence, receipt: not measured
      socket.on("close", (code: number) => {
        if (!this.closing) sink.onUnexpectedClose(user, code);
      });
      return socket;
    });
    this.startKeepAlive(heartbeatMs);
  }

  /**
   * A WebSocket-level ping well within the heartbeat, so that long idle phases
   * are not cut by the server's timeout; cheaper for the server than a `ping` frame.
   */
  private startKeepAlive(heartbeatMs: number): void {
    this.keepAlive = setInterval(
      () => {
        for (const socket of this.sockets) if (socket.readyState === 1) socket.ping();
      },
      Math.max(1000, Math.floor(heartbeatMs * 0.4)),
    );
    this.keepAlive.unref();
  }

  async createRooms(rooms: readonly (readonly number[])[]): Promise<void> {
    const ids = await mapLimit(rooms, 8, async (members, index) => {
      const [creator, ...others] = members;
      if (creator === undefined) throw new Error("a room needs members");
      const token = this.tokens[creator];
      const body =
        others.length === 1 && members.length === 2
          ? { kind: "direct", peerId: this.idOf(others[0] as number) }
          : {
              kind: "group",
              title: `bench room ${index}`,
              memberIds: others.map((user) => this.idOf(user)),
            };
      const answer = await this.post<{ conversation: { id: string } }>("/v1/conversations", body, token);
      return answer.conversation.id;
    });
    this.conversationIds.push(...ids);
  }

  send(user: number, room: number, clientMsgId: string): void {
    this.sockets[user]?.send(
      `{"type":"send","id":"${clientMsgId}","conversationId":"${this.conversationIds[room]}","clientMsgId":"${clientMsgId}","body":${this.messageBody(user)}}`,
    );
  }

  bufferedBytes(): number {
    return bufferedBytes(this.sockets);
  }

  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.keepAlive);
    await closeAll(this.sockets);
  }
}

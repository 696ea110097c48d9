import {
  type AckFrame,
  type ClientFrame,
  decodeServerFrame,
  type ErrorFrame,
  type MessageFrame,
  type ServerFrame,
} from "@mpchat/protocol";
import WebSocket from "ws";
import { type Api, api, devLogin } from "./api";

export { ApiError, api, devLogin, rawRequest } from "./api";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A client frame whose `id` the client fills in when missing. */
export type RequestFrame = DistributiveOmit<ClientFrame, "id"> & { id?: string };
export interface CloseInfo {
  code: number;
  reason: string;
}

const DEFAULT_WAIT_MS = 20_000;
const ANSWER_TYPES = new Set(["ready", "ack", "batch", "ok", "pong", "error"]);

/**
 * A real `ws` client for tests. Every frame the server sends is parsed with the
 * protocol's schema and kept in `frames` (anything unparsable goes to
 * `invalidFrames`, which a correct server leaves empty).
 */
export class TestClient {
  readonly frames: ServerFrame[] = [];
  readonly invalidFrames: string[] = [];
  readonly closed: Promise<CloseInfo>;
  userId = "";
  token = "";
  private closeInfo: CloseInfo | undefined;
  private nextRequest = 0;
  private readonly listeners = new Set<() => void>();

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data, isBinary) => {
      const text = isBinary ? undefined : data.toString();
      const parsed = text === undefined ? undefined : decodeServerFrame(text);
      if (parsed?.ok) this.frames.push(parsed.value);
      else this.invalidFrames.push(text ?? "<binary frame>");
      this.notify();
    });
    this.closed = new Promise((resolve) => {
      socket.on("close", (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() };
        resolve(this.closeInfo);
        this.notify();
      });
    });
    socket.on("error", () => {}); // a refused or reset socket ends in "close" too
  }

  /** Logs in with dev login (creating the user), connects and authenticates. */
  static async connect(server: { httpUrl: string; wsUrl: string }, userId: string, name?: string): Promise<TestClient> {
    const { token } = await devLogin(server, userId, name);
    const client = await TestClient.open(server);
    const ready = await client.request({ type: "auth", token });
    if (ready.type !== "ready") throw new Error(`auth failed for ${userId}: ${JSON.stringify(ready)}`);
    client.userId = userId;
    client.token = token;
    return client;
  }

  /** An open socket that has not authenticated (for auth and bad-input tests). */
  static async open(server: { wsUrl: string }): Promise<TestClient> {
    const socket = new WebSocket(server.wsUrl);
    const client = new TestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return client;
  }

  /** The HTTP API as this client's user. */
  api(server: { httpUrl: string }): Api {
    return api(server, this.token);
  }

  /** Sends a frame with an id (assigned when missing) and resolves with the answer carrying it. */
  async request(frame: RequestFrame, timeoutMs = DEFAULT_WAIT_MS): Promise<ServerFrame> {
    const id = frame.id ?? `r${++this.nextRequest}`;
    const from = this.frames.length;
    this.socket.send(JSON.stringify({ ...frame, id }));
    return this.waitFor((f) => ANSWER_TYPES.has(f.type) && "id" in f && f.id === id, timeoutMs, { fromIndex: from });
  }

  /** Sends a text message; resolves with its `ack` or `error`. */
  async sendText(conversationId: string, text: string, clientMsgId?: string): Promise<AckFrame | ErrorFrame> {
    const answer = await this.request({
      type: "send",
      conversationId,
      clientMsgId: clientMsgId ?? `m${++this.nextRequest}-${Math.random().toString(36).slice(2)}`,
      body: { kind: "text", text },
    });
    if (answer.type !== "ack" && answer.type !== "error") throw new Error(`unexpected answer ${answer.type}`);
    return answer;
  }

  /**
   * The first frame (from `fromIndex`, default 0: frames already received count)
   * that matches. Rejects on timeout or when the socket closes first.
   */
  waitFor<T extends ServerFrame = ServerFrame>(
    predicate: ((frame: ServerFrame) => frame is T) | ((frame: ServerFrame) => boolean),
    timeoutMs = DEFAULT_WAIT_MS,
    options: { fromIndex?: number } = {},
  ): Promise<T> {
    let index = options.fromIndex ?? 0;
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        for (; index < this.frames.length; index++) {
          const frame = this.frames[index];
          if (frame && predicate(frame)) return finish(() => resolve(frame as T));
        }
        if (this.closeInfo) finish(() => reject(new Error(`socket closed (${this.closeInfo?.code}) while waiting`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`timed out; last frames: ${JSON.stringify(this.frames.slice(-3))}`))),
        timeoutMs,
      );
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** `message` frames received for a conversation, in arrival order. */
  messagesIn(conversationId: string): MessageFrame[] {
    return this.frames.filter(
      (frame): frame is MessageFrame => frame.type === "message" && frame.conversationId === conversationId,
    );
  }

  /** Sends anything, as text or (with `binary: true`) as a binary frame. */
  sendRaw(data: string | Buffer, options: { binary?: boolean } = {}): void {
    this.socket.send(data, { binary: options.binary ?? false });
  }

  /** Closes (if still open) and resolves with the close code and reason. */
  async close(code = 1000): Promise<CloseInfo> {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) {
      this.socket.close(code);
    }
    return this.closed;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

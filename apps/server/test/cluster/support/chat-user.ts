// The real SDK, as apps use it.
import {
  ChatClient,
  type ChatClientOptions,
  type ConnectionState,
  fetchHttp,
  memoryStorage,
  type WebSocketConstructor,
  webSocketTransport,
} from "@mpchat/client";
import type { Message } from "@mpchat/protocol";
import WebSocket from "ws";

const transport = webSocketTransport(WebSocket as unknown as WebSocketConstructor);
const http = fetchHttp(fetch as unknown as Parameters<typeof fetchHttp>[0]);

/**
 * A user of the real ChatClient (reconnect, resume, outbox, gap repair) behind
 * an endpoint, with every `message` event it emitted, in order.
 */
export class ChatUser {
  readonly client: ChatClient;
  /** Every `message` event, in emission order: the client's promise is each (conversation, seq) once, in order. */
  readonly received: Message[] = [];
  /** Messages that sync (not a push) delivered: after a reconnect, or to fill a gap. */
  recoveredMessages = 0;
  /** Every connection state it went through, in order. */
  readonly states: ConnectionState[] = [];

  constructor(
    readonly userId: string,
    endpoint: { httpUrl: string; wsUrl: string },
    token: string,
    options: Partial<ChatClientOptions> = {},
  ) {
    this.client = new ChatClient({
      url: endpoint.wsUrl,
      httpBase: endpoint.httpUrl,
      token,
      transport,
      http,
      storage: memoryStorage(),
      initialHistory: Number.POSITIVE_INFINITY,
      // Quick reconnects: a test should not wait out production backoff.
      backoff: { baseMs: 200, maxMs: 2000 },
      ...options,
    });
    this.client.on("message", (message) => this.received.push(message));
    this.client.on("state", (event) => this.states.push(event.state));
    this.client.on("recovered", (event) => {
      this.recoveredMessages += event.count;
    });
  }

  /** Connects and resolves once authenticated. */
  async connect(timeoutMs: number): Promise<void> {
    this.client.connect();
    await this.until(() => this.client.state === "online", "online", timeoutMs);
  }

  /** The seqs of the conversation's `message` events, in the order they were emitted. */
  seqsIn(conversationId: string): number[] {
    return this.received.filter((m) => m.conversationId === conversationId).map((m) => m.seq);
  }

  /** Resolves when `predicate` holds, re-checked after each event of the client. */
  until(predicate: () => boolean, what: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (predicate()) return resolve();
      const offs: Array<() => void> = [];
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        for (const off of offs) off();
        settle();
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`${this.userId}: timed out waiting for ${what}`))),
        timeoutMs,
      );
      const check = () => {
        if (predicate()) finish(resolve);
      };
      for (const event of ["message", "state", "recovered", "outbox", "conversation", "sent", "presence"] as const) {
        offs.push(this.client.on(event, check));
      }
    });
  }
}

import {
  type ClientFrame,
  type Conversation,
  decodeClientFrame,
  type Message,
  type ServerFrame,
} from "@mpchat/protocol";
import type { HttpClient, HttpRequest, HttpResponse } from "../../src/ports/http";
import type { SocketCloseInfo, SocketHandlers, Transport, TransportConnection } from "../../src/ports/transport";

interface StoredConversation {
  id: string;
  kind: "direct" | "group";
  title: string;
  memberIds: string[];
  messages: Message[];
  reads: Map<string, number>;
}

/** What the server does with a frame: answer normally, or something a test chose. */
export type FrameFilter = (socket: FakeSocket, frame: ClientFrame) => "default" | "drop";
/** Whether a push to this socket is delivered. */
export type PushFilter = (socket: FakeSocket, frame: ServerFrame) => boolean;

/**
 * An in-memory mpchat server for unit tests: the protocol's rules (dense seq,
 * idempotent clientMsgId, membership) in a few lines, with knobs to drop
 * frames, refuse sends and go silent. Tokens are `t-<userId>`.
 */
export class FakeServer {
  readonly sockets: FakeSocket[] = [];
  readonly conversations = new Map<string, StoredConversation>();
  heartbeatMs = 10_000;
  /** When false, sockets stay "connecting" until a test calls `socket.accept()`. */
  autoOpen = true;
  frameFilter: FrameFilter = () => "default";
  pushFilter: PushFilter = () => true;
  /** Error code to answer the next sends with, and how many times. */
  sendErrors: { code: string; times: number } | null = null;
  httpRequests: HttpRequest[] = [];
  httpDown = false;
  /** When false, views leave out `memberReadSeqs`, as a server from before that field did. */
  sendsMemberReadSeqs = true;
  /** When true every HTTP route answers 401 (an expired token the socket did not catch). */
  httpUnauthorized = false;
  private nextId = 1;

  transport(): Transport {
    return {
      open: (url: string, handlers: SocketHandlers): TransportConnection => {
        const socket = new FakeSocket(this, url, handlers);
        this.sockets.push(socket);
        if (this.autoOpen) void Promise.resolve().then(() => socket.accept());
        return socket;
      },
    };
  }

  http(): HttpClient {
    return { request: (request) => this.handleHttp(request) };
  }

  /** The last socket opened. */
  get socket(): FakeSocket {
    const socket = this.sockets[this.sockets.length - 1];
    if (!socket) throw new Error("no socket opened yet");
    return socket;
  }

  openSockets(): FakeSocket[] {
    return this.sockets.filter((socket) => socket.state === "open");
  }

  createGroup(memberIds: string[], title = "group"): Conversation {
    const id = `c${this.nextId++}`;
    this.conversations.set(id, { id, kind: "group", title, memberIds, messages: [], reads: new Map() });
    return this.view(id, memberIds[0] ?? "");
  }

  /** Store a message as if `senderId` sent it (idempotent by clientMsgId) and push it to every member's socket. */
  store(conversationId: string, senderId: string, text: string, clientMsgId?: string): Message {
    const conversation = this.mustGet(conversationId);
    const id = clientMsgId ?? `srv-${this.nextId++}`;
    const existing = conversation.messages.find((m) => m.senderId === senderId && m.clientMsgId === id);
    if (existing) return existing;
    const message: Message = {
      id: `m${this.nextId++}`,
      conversationId,
      seq: conversation.messages.length + 1,
      senderId,
      clientMsgId: id,
      body: { kind: "text", text },
      createdAt: 1_000 + conversation.messages.length,
    };
    conversation.messages.push(message);
    conversation.reads.set(senderId, message.seq);
    for (const socket of this.openSockets()) {
      if (socket.userId && conversation.memberIds.includes(socket.userId)) {
        socket.push({ type: "message", conversationId, message });
      }
    }
    return message;
  }

  /** Move `userId`'s read cursor (forward only) and push a receipt to every member's socket. */
  markRead(conversationId: string, userId: string, seq: number): number {
    const c = this.mustGet(conversationId);
    const cursor = Math.max(c.reads.get(userId) ?? 0, Math.min(seq, c.messages.length));
    c.reads.set(userId, cursor);
    for (const socket of this.openSockets()) {
      if (socket.userId && c.memberIds.includes(socket.userId)) {
        socket.push({ type: "receipt", conversationId, userId, seq: cursor });
      }
    }
    return cursor;
  }

  messages(conversationId: string): Message[] {
    return this.mustGet(conversationId).messages;
  }

  view(conversationId: string, userId: string): Conversation {
    const c = this.mustGet(conversationId);
    const readSeq = c.reads.get(userId) ?? 0;
    const last = c.messages[c.messages.length - 1];
    const conversation: Conversation = {
      id: c.id,
      kind: c.kind,
      title: c.title,
      memberIds: c.memberIds.slice(),
      lastSeq: c.messages.length,
      readSeq,
      unread: c.messages.filter((m) => m.seq > readSeq && m.senderId !== userId).length,
      updatedAt: last ? last.createdAt : 0,
    };
    if (last) conversation.lastMessage = last;
    if (this.sendsMemberReadSeqs) {
      conversation.memberReadSeqs = c.memberIds.map((memberId) => ({
        userId: memberId,
        readSeq: c.reads.get(memberId) ?? 0,
      }));
    }
    return conversation;
  }

  handleFrame(socket: FakeSocket, text: string): void {
    const parsed = decodeClientFrame(text);
    if (!parsed.ok) {
      socket.push({ type: "error", code: parsed.error.code, message: parsed.error.message });
      return;
    }
    const frame = parsed.value;
    socket.received.push(frame);
    if (this.frameFilter(socket, frame) === "drop") return;
    if (!socket.userId) {
      if (frame.type !== "auth" || !frame.token.startsWith("t-")) {
        socket.serverClose(4401, frame.type === "auth" ? "bad token" : "auth first");
        return;
      }
      socket.userId = frame.token.slice(2);
      socket.push({ type: "ready", id: frame.id, userId: socket.userId, heartbeatMs: this.heartbeatMs, serverTime: 0 });
      return;
    }
    const userId = socket.userId;
    switch (frame.type) {
      case "ping":
        socket.push(
          frame.id === undefined ? { type: "pong", serverTime: 0 } : { type: "pong", id: frame.id, serverTime: 0 },
        );
        return;
      case "send": {
        if (this.sendErrors && this.sendErrors.times > 0) {
          this.sendErrors.times -= 1;
          socket.push({ type: "error", id: frame.id, code: this.sendErrors.code as "unavailable", message: "test" });
          return;
        }
        const c = this.conversations.get(frame.conversationId);
        if (!c?.memberIds.includes(userId)) {
          socket.push({ type: "error", id: frame.id, code: "forbidden", message: "not a member" });
          return;
        }
        const message = this.store(frame.conversationId, userId, frame.body.text, frame.clientMsgId);
        socket.push({
          type: "ack",
          id: frame.id,
          conversationId: frame.conversationId,
          clientMsgId: frame.clientMsgId,
          messageId: message.id,
          seq: message.seq,
          createdAt: message.createdAt,
        });
        return;
      }
      case "sync": {
        const c = this.conversations.get(frame.conversationId);
        if (!c?.memberIds.includes(userId)) {
          socket.push({ type: "error", id: frame.id, code: "forbidden", message: "not a member" });
          return;
        }
        const limit = frame.limit ?? 100;
        const after = c.messages.filter((m) => m.seq > frame.afterSeq);
        socket.push({
          type: "batch",
          id: frame.id,
          conversationId: c.id,
          messages: after.slice(0, limit),
          hasMore: after.length > limit,
        });
        return;
      }
      case "read": {
        const c = this.mustGet(frame.conversationId);
        this.markRead(c.id, userId, frame.seq);
        if (frame.id !== undefined) socket.push({ type: "ok", id: frame.id });
        return;
      }
      default:
        return;
    }
  }

  private async handleHttp(request: HttpRequest): Promise<HttpResponse> {
    this.httpRequests.push(request);
    await Promise.resolve();
    if (this.httpDown) throw new Error("connection refused");
    if (this.httpUnauthorized) return json(401, { error: { code: "unauthorized", message: "token expired" } });
    const userId = (request.headers.authorization ?? "").replace("Bearer t-", "");
    const path = new URL(request.url).pathname;
    const query = new URL(request.url).searchParams;
    if (request.method === "GET" && path === "/v1/conversations") {
      const list = Array.from(this.conversations.values())
        .filter((c) => c.memberIds.includes(userId))
        .map((c) => this.view(c.id, userId));
      return json(200, { conversations: list });
    }
    const history = /^\/v1\/conversations\/([^/]+)\/messages$/.exec(path);
    if (request.method === "GET" && history?.[1]) {
      const all = this.mustGet(history[1]).messages;
      const limit = Number(query.get("limit") ?? 50);
      const before = query.get("beforeSeq");
      if (before !== null) {
        const older = all.filter((m) => m.seq < Number(before));
        return json(200, { messages: older.slice(-limit), hasMore: older.length > limit });
      }
      const after = all.filter((m) => m.seq > Number(query.get("afterSeq") ?? 0));
      return json(200, { messages: after.slice(0, limit), hasMore: after.length > limit });
    }
    return json(404, { error: { code: "not_found", message: path } });
  }

  private mustGet(conversationId: string): StoredConversation {
    const c = this.conversations.get(conversationId);
    if (!c) throw new Error(`no conversation ${conversationId}`);
    return c;
  }
}

function json(status: number, body: unknown): HttpResponse {
  return { status, body: JSON.stringify(body) };
}

/** One socket of the fake server, seen from the server side. */
export class FakeSocket implements TransportConnection {
  state: "connecting" | "open" | "closed" = "connecting";
  userId: string | undefined;
  /** Frames the client sent, parsed. */
  readonly received: ClientFrame[] = [];
  closedWith: SocketCloseInfo | undefined;
  /** When true the server reads nothing and answers nothing (a dead link that looks open). */
  silent = false;

  constructor(
    private readonly server: FakeServer,
    readonly url: string,
    private readonly handlers: SocketHandlers,
  ) {}

  accept(): void {
    if (this.state !== "connecting") return;
    this.state = "open";
    this.handlers.onOpen();
  }

  /** Server → client. */
  push(frame: ServerFrame): void {
    if (this.state !== "open" || this.silent) return;
    if (frame.type !== "ready" && !("id" in frame && frame.id !== undefined) && !this.server.pushFilter(this, frame)) {
      return;
    }
    const text = JSON.stringify(frame);
    // Asynchronous like a real socket, in order (microtasks run first in, first out).
    void Promise.resolve().then(() => {
      if (this.state === "open") this.handlers.onMessage(text);
    });
  }

  /** Deliver raw text to the client (e.g. after the socket was abandoned, to test stale callbacks). */
  rawToClient(text: string): void {
    this.handlers.onMessage(text);
  }

  serverClose(code: number, reason: string): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.closedWith = { code, reason };
    void Promise.resolve().then(() => this.handlers.onClose({ code, reason }));
  }

  // TransportConnection: client → server.
  send(text: string): void {
    if (this.state !== "open" || this.silent) return;
    void Promise.resolve().then(() => {
      if (this.state === "open" && !this.silent) this.server.handleFrame(this, text);
    });
  }

  close(code: number, reason: string): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.closedWith = { code, reason };
    this.handlers.onClose({ code, reason });
  }

  sentOfType<T extends ClientFrame["type"]>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.received.filter((frame): frame is Extract<ClientFrame, { type: T }> => frame.type === type);
  }
}

import type { Body, ClientFrame, Conversation, Message, ServerFrame } from "@mpchat/protocol";
import type { HttpClient, HttpRequest, HttpResponse } from "../../src/ports/http";
import type { SocketHandlers, Transport, TransportConnection } from "../../src/ports/transport";
import { answerClientFrame } from "./fake-frames";
import { answerHttp } from "./fake-http";
import { FakeSocket } from "./fake-socket";

export { FakeSocket } from "./fake-socket";

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
  sendErrors: { code: string; times: number; retryAfterMs?: number } | null = null;
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

  /** Store a message (a text, or any body) as if `senderId` sent it (idempotent by clientMsgId) and push it to every member's socket. */
  store(conversationId: string, senderId: string, text: string | Body, clientMsgId?: string): Message {
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
      body: typeof text === "string" ? { kind: "text", text } : text,
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
    answerClientFrame(this, socket, text);
  }

  private handleHttp(request: HttpRequest): Promise<HttpResponse> {
    return answerHttp(this, request);
  }

  private mustGet(conversationId: string): StoredConversation {
    const c = this.conversations.get(conversationId);
    if (!c) throw new Error(`no conversation ${conversationId}`);
    return c;
  }
}

import { decodeClientFrame } from "@mpchat/protocol";
import type { FakeServer } from "./fake-server";
import type { FakeSocket } from "./fake-socket";

/** The fake server's answer to one client frame (FakeServer.handleFrame): auth first, then the protocol's rules. */
export function answerClientFrame(server: FakeServer, socket: FakeSocket, text: string): void {
  const parsed = decodeClientFrame(text);
  if (!parsed.ok) {
    socket.push({ type: "error", code: parsed.error.code, message: parsed.error.message });
    return;
  }
  const frame = parsed.value;
  socket.received.push(frame);
  if (server.frameFilter(socket, frame) === "drop") return;
  if (!socket.userId) {
    if (frame.type !== "auth" || !frame.token.startsWith("t-")) {
      socket.serverClose(4401, frame.type === "auth" ? "bad token" : "auth first");
      return;
    }
    socket.userId = frame.token.slice(2);
    socket.push({ type: "ready", id: frame.id, userId: socket.userId, heartbeatMs: server.heartbeatMs, serverTime: 0 });
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
      if (server.sendErrors && server.sendErrors.times > 0) {
        server.sendErrors.times -= 1;
        const { code, retryAfterMs } = server.sendErrors;
        const error = { type: "error", id: frame.id, code: code as "unavailable", message: "test" } as const;
        socket.push(retryAfterMs === undefined ? error : { ...error, retryAfterMs });
        return;
      }
      const c = server.conversations.get(frame.conversationId);
      if (!c?.memberIds.includes(userId)) {
        socket.push({ type: "error", id: frame.id, code: "forbidden", message: "not a member" });
        return;
      }
      const message = server.store(frame.conversationId, userId, frame.body, frame.clientMsgId);
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
      const c = server.conversations.get(frame.conversationId);
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
      // markRead throws on an unknown conversation, as the lookup before it did.
      server.markRead(frame.conversationId, userId, frame.seq);
      if (frame.id !== undefined) socket.push({ type: "ok", id: frame.id });
      return;
    }
    default:
      return;
  }
}

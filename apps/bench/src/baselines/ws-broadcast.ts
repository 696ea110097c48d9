import { createServer } from "node:http";
import { type WebSocket, WebSocketServer } from "ws";
import { MAX_BUFFERED_BYTES, RoomSequencer, readSendRequest } from "./room-frames";

/**
 * Baseline 1: a bare `ws` room broadcast server, no persistence. The practical
 * ceiling for a Node WebSocket fan-out on this machine. Frames:
 *   → {"type":"join","id","room"}                     ← {"type":"ok","id"}
 *   → {"type":"send","id","room","clientMsgId","body"} ← {"type":"ack",...} to the sender,
 *                                                       {"type":"message","room","message"} to every member.
 * The user name comes from the upgrade URL (`/ws?user=u1`).
 */

const rooms = new Map<string, Set<WebSocket>>();
const sequencer = new RoomSequencer();

const http = createServer((request, response) => {
  response.statusCode = request.url === "/healthz" ? 200 : 404;
  response.end();
});
const wss = new WebSocketServer({ server: http, path: "/ws", perMessageDeflate: false, maxPayload: 64 * 1024 });

function sendText(socket: WebSocket, data: string | Buffer): void {
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.terminate();
    return;
  }
  socket.send(data, { binary: false });
}

function error(socket: WebSocket, id: unknown, code: string): void {
  sendText(socket, JSON.stringify({ type: "error", id: typeof id === "string" ? id : undefined, code }));
}

wss.on("connection", (socket, request) => {
  const user = new URL(request.url ?? "/", "http://localhost").searchParams.get("user") ?? "anonymous";
  const joined = new Set<string>();

  socket.on("message", (data, isBinary) => {
    if (isBinary) return error(socket, undefined, "bad_request");
    let frame: { type?: unknown; id?: unknown; room?: unknown };
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return error(socket, undefined, "bad_request");
    }
    if (frame.type === "join" && typeof frame.room === "string") {
      const members = rooms.get(frame.room) ?? new Set<WebSocket>();
      rooms.set(frame.room, members);
      members.add(socket);
      joined.add(frame.room);
      return sendText(socket, JSON.stringify({ type: "ok", id: frame.id }));
    }
    if (frame.type !== "send") return error(socket, frame.id, "bad_request");
    const sendRequest = readSendRequest(frame);
    if (!sendRequest) return error(socket, frame.id, "bad_request");
    if (!joined.has(sendRequest.room)) return error(socket, frame.id, "forbidden");
    const message = sequencer.stamp(user, sendRequest);
    sendText(
      socket,
      JSON.stringify({
        type: "ack",
        id: frame.id,
        room: message.room,
        clientMsgId: message.clientMsgId,
        messageId: message.id,
        seq: message.seq,
        createdAt: message.createdAt,
      }),
    );
    // Serialized once, the same buffer written to every member.
    const push = Buffer.from(JSON.stringify({ type: "message", room: message.room, message }));
    for (const member of rooms.get(message.room) ?? []) sendText(member, push);
  });

  socket.on("close", () => {
    for (const room of joined) rooms.get(room)?.delete(socket);
  });
});

const port = Number(process.env.PORT ?? 0);
http.listen(port, process.env.HOST ?? "127.0.0.1");

process.on("SIGTERM", () => {
  for (const socket of wss.clients) socket.terminate();
  http.close(() => process.exit(0));
});

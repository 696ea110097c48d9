import { createServer } from "node:http";
import { Server } from "socket.io";
import { RoomSequencer, readSendRequest } from "./room-frames";

/**
 * Baseline 2: Socket.IO 4 with rooms, what a Node developer would pick instead.
 * WebSocket transport only (no long-polling), no compression, no persistence.
 * Events: `join(room, ack)`; `send({room, clientMsgId, body}, ack)` acks the sender
 * and emits `message` {room, message} to the room (the sender included).
 * The user name comes from the handshake query (`?user=u1`).
 */

const sequencer = new RoomSequencer();

const http = createServer((request, response) => {
  // Socket.IO answers its own path; everything else lands here.
  response.statusCode = request.url === "/healthz" ? 200 : 404;
  response.end();
});
const io = new Server(http, {
  transports: ["websocket"],
  perMessageDeflate: false,
  serveClient: false,
  maxHttpBufferSize: 64 * 1024,
});

io.on("connection", (socket) => {
  const userParam = socket.handshake.query.user;
  const user = typeof userParam === "string" ? userParam : "anonymous";

  socket.on("join", (room: unknown, ack: unknown) => {
    if (typeof room !== "string") return;
    void socket.join(room);
    if (typeof ack === "function") ack("ok");
  });

  socket.on("send", (frame: unknown, ack: unknown) => {
    const reply = typeof ack === "function" ? (ack as (answer: unknown) => void) : () => {};
    const request = readSendRequest(frame);
    if (!request) return reply({ type: "error", code: "bad_request" });
    if (!socket.rooms.has(request.room)) return reply({ type: "error", code: "forbidden" });
    const message = sequencer.stamp(user, request);
    reply({
      type: "ack",
      room: message.room,
      clientMsgId: message.clientMsgId,
      messageId: message.id,
      seq: message.seq,
      createdAt: message.createdAt,
    });
    io.to(message.room).emit("message", { room: message.room, message });
  });
});

const port = Number(process.env.PORT ?? 0);
http.listen(port, process.env.HOST ?? "127.0.0.1");

process.on("SIGTERM", () => {
  io.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});

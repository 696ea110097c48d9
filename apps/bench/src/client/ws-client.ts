import type WebSocket from "ws";
import { parseMarker, readMarker } from "./marker";
import { bufferedBytes, closeAll, mapLimit, nextFrame, openSocket } from "./sockets";
import { type FrameSink, MESSAGE_TEXT, type SystemClient } from "./system-client";

const TYPE_MESSAGE = Buffer.from('"type":"message"');
const TYPE_ACK = Buffer.from('"type":"ack"');
const TYPE_ERROR = Buffer.from('"type":"error"');
const TEXT_BODY = JSON.stringify({ kind: "text", text: MESSAGE_TEXT });

/** Client of the bare `ws` baseline (see baselines/ws-broadcast.ts for its frames). */
export class WsBroadcastClient implements SystemClient {
  readonly system = "ws" as const;
  private users = 0;
  private sockets: WebSocket[] = [];
  private roomIds: string[] = [];

  constructor(private readonly wsUrl: string) {}

  async prepareUsers(count: number): Promise<void> {
    this.users = count;
  }

  async connect(sink: FrameSink): Promise<void> {
    const indexes = Array.from({ length: this.users }, (_, i) => i);
    this.sockets = await mapLimit(indexes, 64, async (user) => {
      const socket = await openSocket(`${this.wsUrl}/ws?user=u${user}`);
      socket.on("message", (data: Buffer) => {
        if (data.indexOf(TYPE_MESSAGE) >= 0) {
          const marker = readMarker(data);
          if (marker) sink.onPush(user, marker);
        } else if (data.indexOf(TYPE_ACK) >= 0) {
          const marker = readMarker(data);
          if (marker) sink.onAck(user, marker);
        } else if (data.indexOf(TYPE_ERROR) >= 0) {
          const frame = JSON.parse(data.toString()) as { id?: string; code?: string };
          sink.onError(user, frame.code ?? "unknown", frame.id ? parseMarker(frame.id) : null);
        }
      });
      socket.on("close", (code: number) => {
        if (!this.closing) sink.onUnexpectedClose(user, code);
      });
      return socket;
    });
  }

  private closing = false;

  async createRooms(rooms: readonly (readonly number[])[]): Promise<void> {
    const base = this.roomIds.length;
    const joins: Array<{ user: number; room: string }> = [];
    rooms.forEach((members, index) => {
      const room = `r${base + index}`;
      this.roomIds.push(room);
      for (const user of members) joins.push({ user, room });
    });
    await mapLimit(joins, 256, async ({ user, room }, index) => {
      const socket = this.sockets[user];
      if (!socket) throw new Error(`user ${user} is not connected`);
      const id = `j${index}`;
      const ok = nextFrame(socket, (frame) => (frame.toString().includes(`"id":"${id}"`) ? true : undefined));
      socket.send(JSON.stringify({ type: "join", id, room }));
      await ok;
    });
  }

  send(user: number, room: number, clientMsgId: string): void {
    this.sockets[user]?.send(
      `{"type":"send","room":"${this.roomIds[room]}","id":"${clientMsgId}","clientMsgId":"${clientMsgId}","body":${TEXT_BODY}}`,
    );
  }

  bufferedBytes(): number {
    return bufferedBytes(this.sockets);
  }

  async close(): Promise<void> {
    this.closing = true;
    await closeAll(this.sockets);
  }
}

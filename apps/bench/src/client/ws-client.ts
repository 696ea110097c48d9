import type WebSocket from "ws";
import { reportJsonFrames } from "./json-frames";
import { nameRooms } from "./room-joins";
import { bufferedBytes, closeAll, mapLimit, nextFrame, openSocket } from "./sockets";
import { type FrameSink, type SystemClient, TEXT_BODY } from "./system-client";

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
      reportJsonFrames(socket, user, sink);
      socket.on("close", (code: number) => {
        if (!this.closing) sink.onUnexpectedClose(user, code);
      });
      return socket;
    });
  }

  private closing = false;

  async createRooms(rooms: readonly (readonly number[])[]): Promise<void> {
    await mapLimit(nameRooms(this.roomIds, rooms), 256, async ({ user, room }, index) => {
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

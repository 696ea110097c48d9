import type WebSocket from "ws";
import { readMarker } from "./marker";
import { nameRooms } from "./room-joins";
import { bufferedBytes, closeAll, mapLimit, nextFrame, openSocket } from "./sockets";
import { type FrameSink, type SystemClient, TEXT_BODY } from "./system-client";

/**
 * Client of the Socket.IO baseline, speaking the Engine.IO 4 / Socket.IO 5 wire
 * format directly over `ws` ("0" open, "40" connect, "2"/"3" ping/pong,
 * `42<ack>[event,...]` events, `43<ack>[...]` acks). The server does exactly the
 * work it does for socket.io-client; the generator is spared that library's cost,
 * so all three systems are driven by the same lean client.
 */

const PUSH_PREFIX = Buffer.from('42["message"');
const CHAR_4 = 0x34;
const CHAR_3 = 0x33;
const CHAR_2 = 0x32;

export class SocketIoClient implements SystemClient {
  readonly system = "socketio" as const;
  private users = 0;
  private sockets: WebSocket[] = [];
  private roomIds: string[] = [];
  private nextAckId: number[] = [];
  private closing = false;

  constructor(private readonly wsUrl: string) {}

  async prepareUsers(count: number): Promise<void> {
    this.users = count;
  }

  async connect(sink: FrameSink): Promise<void> {
    const indexes = Array.from({ length: this.users }, (_, i) => i);
    this.nextAckId = indexes.map(() => 1);
    this.sockets = await mapLimit(indexes, 64, async (user) => {
      const socket = await openSocket(`${this.wsUrl}/socket.io/?EIO=4&transport=websocket&user=u${user}`);
      socket.on("message", (data: Buffer) => {
        if (data.length === 1 && data[0] === CHAR_2) {
          socket.send("3");
          return;
        }
        if (data[0] !== CHAR_4) return;
        if (data[1] === CHAR_2 && data.indexOf(PUSH_PREFIX) === 0) {
          const marker = readMarker(data);
          if (marker) sink.onPush(user, marker);
        } else if (data[1] === CHAR_3) {
          const marker = readMarker(data);
          if (data.indexOf('"type":"error"') >= 0) {
            const code = /"code":"([^"]+)"/.exec(data.toString())?.[1] ?? "unknown";
            sink.onError(user, code, marker);
          } else if (marker) sink.onAck(user, marker);
        }
      });
      socket.on("close", (code: number) => {
        if (!this.closing) sink.onUnexpectedClose(user, code);
      });
      // The Engine.IO open packet ("0…") may arrive with the upgrade itself, before
      // anyone could listen for it; the namespace connect does not need to wait for it.
      const connected = nextFrame(socket, (frame) => (frame.toString().startsWith("40") ? true : undefined));
      socket.send("40");
      await connected;
      return socket;
    });
  }

  async createRooms(rooms: readonly (readonly number[])[]): Promise<void> {
    await mapLimit(nameRooms(this.roomIds, rooms), 256, async ({ user, room }) => {
      const socket = this.sockets[user];
      if (!socket) throw new Error(`user ${user} is not connected`);
      const ackId = this.takeAckId(user);
      const ok = nextFrame(socket, (frame) => (frame.toString().startsWith(`43${ackId}[`) ? true : undefined));
      socket.send(`42${ackId}${JSON.stringify(["join", room])}`);
      await ok;
    });
  }

  private takeAckId(user: number): number {
    const id = this.nextAckId[user] ?? 1;
    this.nextAckId[user] = id + 1;
    return id;
  }

  send(user: number, room: number, clientMsgId: string): void {
    this.sockets[user]?.send(
      `42${this.takeAckId(user)}["send",{"room":"${this.roomIds[room]}","clientMsgId":"${clientMsgId}","body":${TEXT_BODY}}]`,
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

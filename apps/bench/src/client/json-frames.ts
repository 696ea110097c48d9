import type WebSocket from "ws";
import { parseMarker, readMarker } from "./marker";
import type { FrameSink } from "./system-client";

const TYPE_MESSAGE = Buffer.from('"type":"message"');
const TYPE_ACK = Buffer.from('"type":"ack"');
const TYPE_ERROR = Buffer.from('"type":"error"');

/**
 * Reports the `message`, `ack` and `error` frames that `user`'s socket
 * receives to the sink, for the systems whose frames are JSON objects with a
 * `type` (mpchat and the bare `ws` baseline). Frames are searched as bytes,
 * not parsed, so that the generator stays cheap; other frames are not part of
 * the measured traffic.
 */
export function reportJsonFrames(socket: WebSocket, user: number, sink: FrameSink): void {
  socket.on("message", (data: Buffer) => {
    if (data.indexOf(TYPE_MESSAGE) >= 0) {
      const marker = readMarker(data);
      if (marker) sink.onPush(user, marker);
    } else if (data.indexOf(TYPE_ACK) >= 0) {
      const marker = readMarker(data);
      if (marker) sink.onAck(user, marker);
    } else if (data.indexOf(TYPE_ERROR) >= 0) {
      const frame = JSON.parse(data.toString()) as { id?: string; code?: string; retryAfterMs?: number };
      sink.onError(user, frame.code ?? "unknown", frame.id ? parseMarker(frame.id) : null, frame.retryAfterMs);
    }
  });
}

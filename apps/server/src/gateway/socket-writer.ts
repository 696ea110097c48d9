import type { ServerFrame } from "@mpchat/protocol";
import WebSocket from "ws";
import type { ConnectionContext } from "./connection-context";
import { type FrameStream, TurnCork } from "./turn-cork";
import { WireFrame } from "./wire-frame";

/**
 * Puts one connection's frames on its socket and guards the output bound.
 *
 * `stream`: the TCP socket under `socket`, when known. Frames are then written
 * to it whole (WireFrame: header included, built once per event), and a
 * turn's frames leave together (TurnCork). ws itself only writes whole
 * frames there too (no compression is negotiated), so frames never interleave.
 */
export class SocketWriter {
  private readonly cork: TurnCork | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly ctx: ConnectionContext,
    private readonly stream?: FrameStream,
  ) {
    this.cork = stream && new TurnCork(stream);
  }

  /** Writes a serialized frame; terminates a socket whose unsent output outgrew the bound. */
  write(frame: WireFrame, userId: string | undefined): void {
    // Not after ws started closing: nothing may follow its close frame.
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.stream && this.cork) {
      // Behind ws's back: valid only because no extension is negotiated (route.ts,
      // rawStreamOf). Turning compression on would make these frames unreadable.
      this.cork.hold();
      this.stream.write(frame.wire);
    } else {
      this.socket.send(frame.payload, { binary: false });
    }
    if (this.socket.bufferedAmount > this.ctx.limits.maxBufferedBytes) {
      this.ctx.log.warn({ userId, buffered: this.socket.bufferedAmount }, "slow consumer terminated");
      // A close frame would wait behind the backlog; drop the connection instead.
      this.socket.terminate();
    }
  }

  /** Serializes and writes a frame, counting it (and its error code) in the metrics. */
  send(frame: ServerFrame, userId: string | undefined): void {
    this.ctx.metrics.framesSent(frame.type, 1);
    if (frame.type === "error") this.ctx.metrics.errorSent(frame.code);
    this.write(new WireFrame(JSON.stringify(frame)), userId);
  }
}

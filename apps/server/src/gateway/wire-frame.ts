/** FIN bit + opcode 1 (text): a whole, unfragmented text message (RFC 6455 §5.2). */
const FIN_TEXT = 0x81;

/**
 * A server frame serialized once: its JSON as UTF-8 bytes behind a complete
 * WebSocket frame header (server frames are never masked). The same object is
 * written to every recipient socket: one allocation and one copy of the text
 * per event, whatever the number of recipients, and one socket write each,
 * with no per-socket framing work.
 */
export class WireFrame {
  /** Header and payload, ready for the TCP socket under a WebSocket. */
  readonly wire: Buffer;
  /** The JSON text's bytes (a view into `wire`), for a transport that frames itself. */
  readonly payload: Buffer;

  constructor(json: string) {
    const length = Buffer.byteLength(json);
    const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
    const wire = Buffer.allocUnsafe(header + length);
    wire[0] = FIN_TEXT;
    if (header === 2) {
      wire[1] = length;
    } else if (header === 4) {
      wire[1] = 126;
      wire.writeUInt16BE(length, 2);
    } else {
      wire[1] = 127;
      wire.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
      wire.writeUInt32BE(length >>> 0, 6);
    }
    wire.write(json, header, "utf8");
    this.wire = wire;
    this.payload = wire.subarray(header);
  }

  /** The JSON text. */
  toString(): string {
    return this.payload.toString("utf8");
  }
}

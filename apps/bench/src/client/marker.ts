/**
 * Every message the generator sends carries its identity in `clientMsgId`
 * (which every server echoes in the ack and in each pushed message):
 *   "<sender>-<room>-<n>-<sentAtMicros>"
 * sender and room are indexes, n is the per-(sender, room) sequence number used
 * to count loss and reordering, sentAtMicros the intended send time on this
 * process's monotonic clock. Reading it straight from the frame's bytes, without
 * JSON.parse, keeps the generator from being the bottleneck it is measuring.
 */
export interface Marker {
  sender: number;
  room: number;
  n: number;
  sentAtMicros: number;
}

export function formatMarker(sender: number, room: number, n: number, sentAtMicros: number): string {
  return `${sender}-${room}-${n}-${Math.floor(sentAtMicros)}`;
}

const CLIENT_MSG_ID_KEY = Buffer.from('"clientMsgId":"');
const DASH = 0x2d;
const QUOTE = 0x22;
const ZERO = 0x30;
const NINE = 0x39;

/** Reads the marker after the first `"clientMsgId":"` in `frame`, or null when there is none or it is not ours. */
export function readMarker(frame: Buffer, from = 0): Marker | null {
  const start = frame.indexOf(CLIENT_MSG_ID_KEY, from);
  if (start < 0) return null;
  const numbers = [0, 0, 0, 0];
  let field = 0;
  let digits = 0;
  for (let i = start + CLIENT_MSG_ID_KEY.length; i < frame.length; i++) {
    const byte = frame[i] as number;
    if (byte >= ZERO && byte <= NINE) {
      numbers[field] = (numbers[field] as number) * 10 + (byte - ZERO);
      digits++;
    } else if (byte === DASH && field < 3 && digits > 0) {
      field++;
      digits = 0;
    } else if (byte === QUOTE && field === 3 && digits > 0) {
      return {
        sender: numbers[0] as number,
        room: numbers[1] as number,
        n: numbers[2] as number,
        sentAtMicros: numbers[3] as number,
      };
    } else {
      return null;
    }
  }
  return null;
}

/** Parses a marker from a string (error frames are rare and get JSON.parse). */
export function parseMarker(text: string): Marker | null {
  return readMarker(Buffer.from(`"clientMsgId":"${text}"`));
}

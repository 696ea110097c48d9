import type { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { WireFrame } from "../src/gateway/wire-frame";

// ws's own framer and parser (exported by ws, not described by @types/ws).
const { Sender, Receiver } = createRequire(import.meta.url)("ws") as {
  Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
  Receiver: new (options: { isServer: boolean }) => EventEmitter & { write(chunk: Buffer): void };
};

/** What ws itself would put on the wire for this text (server side: unmasked). */
function wsFramed(text: string): Buffer {
  return Buffer.concat(Sender.frame(Buffer.from(text), { fin: true, opcode: 1, mask: false, readOnly: false }));
}

/** Decodes frames with ws's own (client-side) parser. */
function parsed(bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on("message", (data: Buffer, isBinary: boolean) =>
      isBinary ? reject(new Error("binary")) : resolve(data.toString("utf8")),
    );
    receiver.on("error", reject);
    receiver.write(bytes);
  });
}

describe("WireFrame", () => {
  // Around each header size boundary: 7-bit, 16-bit and 64-bit payload lengths.
  const lengths = [0, 1, 125, 126, 127, 65_535, 65_536, 70_000, 1_200_000];

  it.each(lengths)("frames %i bytes exactly as ws does, and ws's parser reads it back", async (length) => {
    const text = "x".repeat(length);
    const frame = new WireFrame(text);
    expect(frame.wire.equals(wsFramed(text))).toBe(true);
    expect(frame.toString()).toBe(text);
    expect(await parsed(frame.wire)).toBe(text);
  });

  it("counts UTF-8 bytes, not characters (emoji, CJK, escapes)", async () => {
    const text = JSON.stringify({ text: `${"😀".repeat(40)}${"字".repeat(40)}"\\\ud800` });
    const frame = new WireFrame(text);
    expect(frame.wire.equals(wsFramed(text))).toBe(true);
    expect(await parsed(frame.wire)).toBe(text);
    expect(frame.payload.equals(Buffer.from(text))).toBe(true);
  });
});

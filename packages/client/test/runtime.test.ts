import { runInContext } from "node:vm";
import { gzipSync } from "node:zlib";
import { bundleForMiniProgram, miniProgramRealm } from "@mpchat/protocol/testing";
import { describe, expect, it } from "vitest";

interface SentFrame {
  type: string;
  id?: string;
  clientMsgId?: string;
  conversationId?: string;
}

/** Only what the mini program offers: no Node, no DOM, timers, and no code generation from strings. */
function miniProgramSandbox() {
  return miniProgramRealm({ setTimeout, clearTimeout, console });
}

/** A wx object with SocketTask semantics (no readyState, no off*), a request stub and synchronous storage. */
function fakeWx() {
  const storage = new Map<string, unknown>();
  const sent: SentFrame[] = [];
  /** Storage writes and socket sends, in the order they happened. */
  const log: string[] = [];
  let listeners: {
    open?: () => void;
    message?: (r: { data: string }) => void;
    close?: (r: { code: number; reason: string }) => void;
  } = {};
  const push = (frame: unknown) => setTimeout(() => listeners.message?.({ data: JSON.stringify(frame) }), 0);
  const wx = {
    connectSocket() {
      listeners = {};
      setTimeout(() => listeners.open?.(), 0);
      return {
        send({ data }: { data: string }) {
          const frame = JSON.parse(data) as SentFrame;
          sent.push(frame);
          log.push(`socket ${frame.type}`);
          if (frame.type === "auth")
            push({ type: "ready", id: frame.id, userId: "alice", heartbeatMs: 25_000, serverTime: 1 });
          if (frame.type === "send") {
            push({
              type: "ack",
              id: frame.id,
              conversationId: frame.conversationId,
              clientMsgId: frame.clientMsgId,
              messageId: "m1",
              seq: 1,
              createdAt: 2,
            });
          }
        },
        close() {
          setTimeout(() => listeners.close?.({ code: 1000, reason: "" }), 0);
        },
        onOpen: (f: () => void) => {
          listeners.open = f;
        },
        onMessage: (f: (r: { data: string }) => void) => {
          listeners.message = f;
        },
        onClose: (f: (r: { code: number; reason: string }) => void) => {
          listeners.close = f;
        },
        onError: () => undefined,
      };
    },
    request(option: { url: string; success?: (r: { data: unknown; statusCode: number }) => void }) {
      setTimeout(() => option.success?.({ data: JSON.stringify({ conversations: [] }), statusCode: 200 }), 0);
    },
    getStorageSync: (key: string) => storage.get(key) ?? "",
    setStorageSync: (key: string, value: unknown) => {
      log.push(`storage set ${key}`);
      storage.set(key, value);
    },
    removeStorageSync: (key: string) => {
      log.push(`storage remove ${key}`);
      storage.delete(key);
    },
  };
  return { wx, storage, sent, log };
}

describe("the client inside the mini program runtime", () => {
  it("bundles to ES2017 CJS without Node built-ins and runs with eval and Function disabled", {
    timeout: 30_000,
  }, async () => {
    const code = await bundleForMiniProgram(new URL("../src/index.ts", import.meta.url).pathname, { minify: true });
    // Everything is inside the bundle: no require at all, so no Node built-in either.
    expect(code).not.toMatch(/\brequire\(/);
    expect(code).not.toMatch(/\bProxy\b/);
    const bytes = Buffer.byteLength(code);
    const gzipped = gzipSync(code).length;
    console.info(`client bundle (esbuild, cjs, es2017, minified): ${bytes} bytes, ${gzipped} bytes gzipped`);
    expect(bytes).toBeLessThan(80_000);

    const { sandbox, context } = miniProgramSandbox();
    expect(() => runInContext("new Function('return 1')", context)).toThrow();
    runInContext(code, context);
    const sdk = sandbox.module.exports as Record<string, (...args: never[]) => unknown>;
    const { wx, storage, sent, log } = fakeWx();
    sandbox.wx = wx;
    sandbox.sdk = sdk;

    // Runs inside the sandbox, so every object and closure belongs to the mini-program-like realm.
    const outcome = (await runInContext(
      `(async () => {
        const client = new sdk.ChatClient({
          url: "wss://chat.example.com/v1/ws",
          httpBase: "https://chat.example.com",
          token: "token",
          transport: sdk.wxSocketTransport(wx),
          http: sdk.wxRequestHttp(wx),
          storage: sdk.wxStorage(wx),
        });
        client.connect();
        await new Promise((resolve) => client.on("state", (event) => event.state === "online" && resolve()));
        const handle = client.send("c1", "你好 😀");
        const storedBeforeNetwork = wx.getStorageSync("mpchat:outbox");
        const message = await handle.done;
        client.close();
        return { storedBeforeNetwork, message, outbox: client.outbox().length };
      })()`,
      context,
    )) as { storedBeforeNetwork: string; message: { seq: number; senderId: string }; outbox: number };

    expect(JSON.parse(outcome.storedBeforeNetwork)[0].body.text).toBe("你好 😀");
    expect(outcome.message).toMatchObject({ seq: 1, senderId: "alice" });
    expect(outcome.outbox).toBe(0);
    expect(sent.map((frame) => frame.type).slice(0, 2)).toEqual(["auth", "send"]);
    // Online, the entry still reaches storage before the socket sees the send, and leaves it after the ack.
    expect(log.filter((line) => line !== "socket ping")).toEqual([
      "socket auth",
      "storage set mpchat:outbox",
      "socket send",
      "storage remove mpchat:outbox",
    ]);
    expect(storage.has("mpchat:outbox")).toBe(false);
  });
});

import { runInContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { bundleForMiniProgram, miniProgramRealm } from "./support/mini-program-runtime";

/**
 * The mini program forbids eval and new Function. Bundle the package the way the
 * mini program build does and run it in a context where code generation from
 * strings throws, so that a schema library that compiles validators would fail here.
 */
describe("protocol inside the mini program runtime", () => {
  it("bundles with no Node built-ins and parses with eval and Function disabled", async () => {
    const code = await bundleForMiniProgram(new URL("../src/index.ts", import.meta.url).pathname);
    expect(code).not.toMatch(/require\(["']node:|require\(["'](fs|path|crypto|net|http)["']/);

    const { sandbox, context } = miniProgramRealm();
    expect(() => runInContext("new Function('return 1')", context)).toThrow();
    runInContext(code, context);

    const exported = sandbox.module.exports as {
      decodeClientFrame: (text: string) => { ok: boolean; error?: { code: string } };
      parseServerFrame: (input: unknown) => { ok: boolean };
    };
    const send = JSON.stringify({
      type: "send",
      id: "1",
      conversationId: "c",
      clientMsgId: "m",
      body: { kind: "text", text: "你好 😀" },
    });
    expect(exported.decodeClientFrame(send).ok).toBe(true);
    expect(exported.decodeClientFrame('{"type":"send"}').error?.code).toBe("bad_request");
    // The string checks work without the `u` flag or code generation.
    const lone = JSON.stringify({
      type: "send",
      id: "1",
      conversationId: "c",
      clientMsgId: "\ud800",
      body: { kind: "text", text: "x" },
    });
    expect(exported.decodeClientFrame(lone).error?.code).toBe("bad_request");
    expect(exported.decodeClientFrame(send.replace("😀", "\\u0000")).error?.code).toBe("bad_request");
    expect(exported.parseServerFrame({ type: "pong", serverTime: 1 }).ok).toBe(true);
    // A body kind from a newer server goes through the lazy (tolerant) body schema.
    const message = { id: "m", conversationId: "c", seq: 1, senderId: "a", clientMsgId: "k", createdAt: 1 };
    const future = { type: "message", conversationId: "c", message: { ...message, body: { kind: "sticker" } } };
    expect(exported.parseServerFrame(future).ok).toBe(true);
  });
});

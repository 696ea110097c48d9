import { createContext, runInContext } from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/**
 * The mini program forbids eval and new Function. Bundle the package the way the
 * mini program build does and run it in a context where code generation from
 * strings throws, so that a schema library that compiles validators would fail here.
 */
describe("protocol inside the mini program runtime", () => {
  it("bundles with no Node built-ins and parses with eval and Function disabled", async () => {
    const result = await build({
      entryPoints: [new URL("../src/index.ts", import.meta.url).pathname],
      bundle: true,
      write: false,
      format: "cjs",
      platform: "neutral",
      target: "es2017",
      mainFields: ["module", "main"],
    });
    const code = result.outputFiles[0]?.text ?? "";
    expect(code).not.toMatch(/require\(["']node:|require\(["'](fs|path|crypto|net|http)["']/);

    const sandbox: { module: { exports: Record<string, unknown> }; exports?: unknown } = {
      module: { exports: {} },
    };
    sandbox.exports = sandbox.module.exports;
    const context = createContext(sandbox, { codeGeneration: { strings: false, wasm: false } });
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
    expect(exported.parseServerFrame({ type: "pong", serverTime: 1 }).ok).toBe(true);
  });
});

import { type Context, createContext } from "node:vm";
import { build } from "esbuild";

/**
 * Helpers to run a package the way the mini program does (also used by
 * packages/client's runtime test): bundled to one ES2017 CommonJS file, in a
 * realm where eval and new Function throw, so that code generating code from
 * strings (a schema library compiling validators, say) fails here.
 */

/** Bundles `entryPath` the way the mini program build does: one CJS file, ES2017, no platform built-ins. */
export async function bundleForMiniProgram(entryPath: string, options: { minify?: boolean } = {}): Promise<string> {
  const result = await build({
    entryPoints: [entryPath],
    bundle: true,
    write: false,
    format: "cjs",
    platform: "neutral",
    target: "es2017",
    mainFields: ["module", "main"],
    minify: options.minify ?? false,
  });
  return result.outputFiles[0]?.text ?? "";
}

export type MiniProgramSandbox = Record<string, unknown> & { module: { exports: Record<string, unknown> } };

/**
 * A realm with only `module`, `exports` and the given globals, where code
 * generation from strings is disabled: run a bundle in it with `runInContext`,
 * then read what it exported from `sandbox.module.exports`.
 */
export function miniProgramRealm(globals: Record<string, unknown> = {}): {
  sandbox: MiniProgramSandbox;
  context: Context;
} {
  const sandbox: MiniProgramSandbox = { ...globals, module: { exports: {} } };
  sandbox.exports = sandbox.module.exports;
  const context = createContext(sandbox, { codeGeneration: { strings: false, wasm: false } });
  return { sandbox, context };
}

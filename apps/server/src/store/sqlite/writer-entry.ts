import { readFileSync, statSync } from "node:fs";

/** Written by `pnpm build` in apps/server (scripts/build.ts; `pnpm start` and the test setup run it). */
export const BUILT_WRITER = new URL("../../../dist/sqlite-writer-worker.js", import.meta.url);
const SOURCE_WRITER = new URL("./sqlite-writer-worker.ts", import.meta.url);

/** Which file the writer worker runs, and the Node flags it needs for that. */
export interface WriterEntry {
  url: URL;
  execArgv: string[];
  /** True: the prebuilt JS; false: the TypeScript source through tsx. */
  built: boolean;
}

function tsxLoader(): string {
  try {
    return import.meta.resolve("tsx");
  } catch {
    // Resolved from the working directory then (every package of the repository has tsx).
    return "tsx";
  }
}

/**
 * Whether `built` exists and no file it was built from changed since: the
 * build lists them beside it (`<name>.sources.json`, paths relative to the
 * folder above dist/). A missing list or source counts as changed.
 */
export function isFreshBuild(built: URL): boolean {
  try {
    const builtAt = statSync(built).mtimeMs;
    const list = new URL(built.href.replace(/\.js$/, ".sources.json"));
    const sources = JSON.parse(readFileSync(list, "utf8")) as string[];
    const base = new URL("..", new URL(".", built));
    return sources.every((source) => statSync(new URL(source, base)).mtimeMs <= builtAt);
  } catch {
    return false;
  }
}

/**
 * The prebuilt worker when it is there and up to date: plain JS, bundled with
 * everything but the native libsql, so it loads without tsx and starts in
 * milliseconds. Otherwise (a checkout never built, or a source edited since,
 * e.g. under `pnpm dev`), the source with tsx registered in the worker. Flags
 * are set, not inherited: the main thread's `--import tsx` must not load tsx
 * into the prebuilt worker too.
 */
export function writerEntry(built: URL = BUILT_WRITER): WriterEntry {
  if (isFreshBuild(built)) return { url: built, execArgv: [], built: true };
  return { url: SOURCE_WRITER, execArgv: ["--import", tsxLoader()], built: false };
}

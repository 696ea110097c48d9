// `pnpm build` in apps/server: the SQLite writer worker as one prebuilt JS file,
// so that it loads without tsx (src/store/sqlite/writer-entry.ts picks it up).
// Everything it imports is bundled but the native libsql, which loads from
// node_modules beside dist/. Run by `pnpm start` and by the test setup too.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function buildServer(): Promise<void> {
  await build({
    absWorkingDir: root,
    entryPoints: { "sqlite-writer-worker": "src/store/sqlite/sqlite-writer-worker.ts" },
    outdir: "dist",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    external: ["libsql"],
    sourcemap: true,
    logLevel: "warning",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();

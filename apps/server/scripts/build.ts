// `pnpm build` in apps/server: the SQLite writer worker as one prebuilt JS file,
// so that it loads without tsx (src/store/sqlite/writer-entry.ts picks it up).
// Everything it imports is bundled but the native libsql, which loads from
// node_modules beside dist/. Run by `pnpm start`, `pnpm dev`, `pnpm bench` and
// the test setup. Beside it, the list of the repository's files it was built
// from: writer-entry.ts runs the source instead when one of them is newer.
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function buildServer(): Promise<void> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: { "sqlite-writer-worker": "src/store/sqlite/sqlite-writer-worker.ts" },
    outdir: "dist",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    external: ["libsql"],
    sourcemap: true,
    metafile: true,
    logLevel: "warning",
  });
  const sources = Object.keys(result.metafile.inputs).filter((path) => !path.includes("node_modules"));
  await writeFile(new URL("../dist/sqlite-writer-worker.sources.json", import.meta.url), JSON.stringify(sources));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();

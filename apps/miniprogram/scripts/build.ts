/**
 * Builds the mini program into dist/, the folder WeChat DevTools opens (see project.config.json).
 *
 * - Every `.ts` entry (app.ts and each page's own .ts) becomes one self-contained CommonJS file: the
 *   workspace packages (@mpchat/client, @mpchat/protocol) and their dependencies are bundled in,
 *   because DevTools' "Build npm" does not understand pnpm workspace links.
 * - `.wxml`, `.wxss` and `.json` files are copied as they are.
 * - `--watch` rebuilds on change; `--minify` minifies (for measuring or uploading).
 *
 * Usage: tsx scripts/build.ts [--watch] [--minify]
 */

import { watch as watchFiles } from "node:fs";
import { copyFile, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { noTestHelpers } from "./no-test-helpers";

const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = join(appRoot, "src");
const distDir = join(appRoot, "dist");

/** Files copied verbatim: templates, styles, page and app configuration. */
const STATIC_EXTENSIONS = [".wxml", ".wxss", ".json"];

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = join(dir, entry.name);
      return entry.isDirectory() ? listFiles(full) : Promise.resolve([full]);
    }),
  );
  return nested.flat();
}

/**
 * The bundle entries: app.ts and every page script (a .ts next to a .wxml of the same name).
 * Shared modules (services, strings, config) are not entries; they are bundled into their users.
 */
export async function findEntries(files: string[]): Promise<string[]> {
  const wxml = new Set(files.filter((f) => f.endsWith(".wxml")).map((f) => f.slice(0, -".wxml".length)));
  return files.filter(
    (f) => f.endsWith(".ts") && (f === join(srcDir, "app.ts") || wxml.has(f.slice(0, -".ts".length))),
  );
}

function buildOptions(entries: string[], minify: boolean, sourcemap: boolean): esbuild.BuildOptions {
  return {
    entryPoints: entries,
    outbase: srcDir,
    outdir: distDir,
    bundle: true,
    // The mini program loads scripts with its own CommonJS `require`; ES2017 ≈ base library 2.20+.
    format: "cjs",
    target: "es2017",
    platform: "neutral",
    // "neutral" resolves no package fields by default; valibot and friends publish "module"/"main".
    mainFields: ["module", "main"],
    conditions: ["import", "default"],
    minify,
    sourcemap: sourcemap ? "linked" : false,
    legalComments: "none",
    // Chinese UI text stays readable (and smaller) in the output.
    charset: "utf8",
    logLevel: "warning",
    plugins: [noTestHelpers],
  };
}

async function copyStatic(files: string[]): Promise<void> {
  await Promise.all(
    files
      .filter((f) => STATIC_EXTENSIONS.some((ext) => f.endsWith(ext)))
      .map(async (file) => {
        const target = join(distDir, relative(srcDir, file));
        await mkdir(dirname(target), { recursive: true });
        await copyFile(file, target);
      }),
  );
}

/**
 * The repo is `"type": "module"`, so Node would read dist/*.js as ES modules. The tests load dist/
 * through Node's `require` (as miniprogram-simulate does), so mark the folder CommonJS. DevTools
 * ignores this file (project.config.json leaves it out of uploads).
 */
async function markCommonJs(): Promise<void> {
  await writeFile(join(distDir, "package.json"), `${JSON.stringify({ type: "commonjs", private: true }, null, 2)}\n`);
}

async function buildOnce(minify: boolean): Promise<void> {
  await rm(distDir, { recursive: true, force: true });
  const files = await listFiles(srcDir);
  await esbuild.build(buildOptions(await findEntries(files), minify, false));
  await copyStatic(files);
  await markCommonJs();
}

async function buildAndWatch(minify: boolean): Promise<void> {
  await rm(distDir, { recursive: true, force: true });
  const files = await listFiles(srcDir);
  const context = await esbuild.context(buildOptions(await findEntries(files), minify, true));
  await context.rebuild();
  await copyStatic(files);
  await markCommonJs();
  await context.watch();
  // esbuild watches the scripts; templates, styles and json are copied again when they change.
  // A new page (new entry) needs a restart of the watcher.
  watchFiles(srcDir, { recursive: true }, (_event, name) => {
    if (name && STATIC_EXTENSIONS.some((ext) => name.endsWith(ext))) {
      copyStatic([join(srcDir, name)]).catch((error: unknown) => console.error(error));
    }
  });
  console.log(`watching ${relative(process.cwd(), srcDir) || "."} → ${relative(process.cwd(), distDir)}`);
}

const args = new Set(process.argv.slice(2));
const minify = args.has("--minify");
if (args.has("--watch")) {
  await buildAndWatch(minify);
} else {
  await buildOnce(minify);
}

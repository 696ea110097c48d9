import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

export interface WebPagesOptions {
  /** The built pages (apps/web/dist): index.html at `/`, hashed files under assets/. */
  root: string;
}

/**
 * What the pages may load: their own files, and this server's API and socket. No inline
 * script or style (Vite emits none), nothing from another origin (the pages must work behind a
 * firewall), no framing. `blob:`/`data:` images: a picked image previewed before upload.
 */
export const WEB_PAGES_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Whether the pages were built (`pnpm --filter @mpchat/web build`). */
export function webPagesBuilt(root: string): boolean {
  return existsSync(join(root, "index.html"));
}

/**
 * The browser pages as static files (WEB_CHAT). Only the files that exist when the server starts
 * get a route (`wildcard: false`), so every other path, `/v1/…` included, still reaches its own
 * route or the API's JSON 404. Hashed assets are cached for good; index.html is revalidated.
 */
export async function webPagesRoute(app: FastifyInstance, options: WebPagesOptions): Promise<void> {
  if (!webPagesBuilt(options.root)) {
    app.log.warn(
      { root: options.root },
      "WEB_CHAT is on but the web pages are not built: run `pnpm --filter @mpchat/web build` (pnpm start does)",
    );
    return;
  }
  const assets = join(options.root, "assets");
  await app.register(fastifyStatic, {
    root: options.root,
    prefix: "/",
    wildcard: false,
    index: "index.html",
    cacheControl: false,
    setHeaders(reply, filePath) {
      reply.header("content-security-policy", WEB_PAGES_CSP);
      reply.header("x-content-type-options", "nosniff");
      reply.header("referrer-policy", "no-referrer");
      reply.header("cache-control", filePath.startsWith(assets) ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
}

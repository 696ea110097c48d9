import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

export interface WebPagesOptions {
  /** The built pages (apps/web/dist): index.html at `/`, admin/index.html, hashed files under assets/. */
  root: string;
  /** The web chat at `/` (WEB_CHAT). */
  chat: boolean;
  /** The operators' console at `/admin/` (ADMIN_TOKEN set); off, `/admin/…` is 404. */
  admin: boolean;
}

/** Which built file a page set serves: the console's under admin/, the chat's the rest, both share assets/. */
export function pageAllowed(pathname: string, options: Pick<WebPagesOptions, "chat" | "admin">): boolean {
  if (pathname === "/admin" || pathname.startsWith("/admin/")) return options.admin;
  if (pathname.startsWith("/assets/")) return true;
  return options.chat;
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
 * The browser pages as static files (WEB_CHAT, and the console while ADMIN_TOKEN is set). Only the files that exist when the server starts
 * get a route (`wildcard: false`), so every other path, `/v1/…` included, still reaches its own
 * route or the API's JSON 404. Hashed assets are cached for good; index.html is revalidated.
 */
export async function webPagesRoute(app: FastifyInstance, options: WebPagesOptions): Promise<void> {
  if (!webPagesBuilt(options.root)) {
    app.log.warn(
      { root: options.root },
      "WEB_CHAT is on or ADMIN_TOKEN set but the web pages are not built: run `pnpm --filter @mpchat/web build` (pnpm start does)",
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
    allowedPath: (pathname) => pageAllowed(pathname, options),
    setHeaders(reply, filePath) {
      reply.header("content-security-policy", WEB_PAGES_CSP);
      reply.header("x-content-type-options", "nosniff");
      reply.header("referrer-policy", "no-referrer");
      reply.header("cache-control", filePath.startsWith(assets) ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
}

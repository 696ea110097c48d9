import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The browser pages, built into static files (dist/) that the server serves with
 * @fastify/static: nothing is fetched from another origin at run time (operators are often
 * behind a firewall or on an intranet). One entry per page: the web chat at `/` and the
 * operators' console at `/admin/` (served only while ADMIN_TOKEN is set).
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // What the server's Content-Security-Policy allows: scripts and styles as files, none inline.
    assetsInlineLimit: 0,
    target: "es2022",
    rollupOptions: {
      input: {
        chat: fileURLToPath(new URL("index.html", import.meta.url)),
        admin: fileURLToPath(new URL("admin/index.html", import.meta.url)),
      },
    },
  },
});

import { defineConfig } from "vitest/config";

// Message times are drawn as a browser in China shows them.
process.env.TZ = "Asia/Shanghai";

/**
 * `pnpm --filter @mpchat/web screenshots` (part of the root `pnpm screenshots`): the web chat
 * against a real server with a scene clock, drawn by Chromium at 1280 × 800 into
 * docs/screenshots/web-*.png. A scene that fails or a page that renders nothing fails the run.
 */
export default defineConfig({
  root: new URL("..", import.meta.url).pathname,
  test: {
    include: ["scripts/screenshots.run.ts", "scripts/admin-screenshots.run.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

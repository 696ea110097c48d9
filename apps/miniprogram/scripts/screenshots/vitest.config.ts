import { defineConfig } from "vitest/config";

// Message times are drawn as a phone in China shows them.
process.env.TZ = "Asia/Shanghai";

/**
 * `pnpm screenshots`: the scenes run as one vitest file, so that the mini program runs exactly as in
 * the simulate tests (jsdom environment, dist/ loaded by miniprogram-simulate). A scene that fails
 * or a page that renders nothing fails the run.
 */
export default defineConfig({
  root: new URL("../..", import.meta.url).pathname,
  test: {
    include: ["scripts/screenshots/screenshots.run.ts"],
    environment: "./test/support/jsdom-node-environment.ts",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

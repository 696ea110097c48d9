import { defineConfig } from "vitest/config";

// End-to-end tests run real servers, sockets and databases on a shared 2-core
// machine: generous timeouts, and at most two test files at a time.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: 2,
    // Builds dist/ (the SQLite writer worker) first: the tests run the prebuilt file production runs.
    globalSetup: ["test/support/build-dist.ts"],
  },
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // miniprogram-simulate renders components into a DOM (jsdom), next to an in-process server.
    environment: "./test/support/jsdom-node-environment.ts",
    // A real server, real sockets and several simulated apps per test, on a shared 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The simulated apps install globals (wx, App, getApp, Component): one file at a time.
    fileParallelism: false,
  },
});

import type { Plugin } from "esbuild";

/**
 * Fails the bundle when anything in it imports a package's "./testing" entry
 * (e.g. "@mpchat/client/testing"): those are helpers for tests, on Node, and
 * must never ship in the mini program.
 */
export const noTestHelpers: Plugin = {
  name: "no-test-helpers",
  setup(build) {
    build.onResolve({ filter: /^@mpchat\/[^/]+\/testing$/ }, (args) => ({
      errors: [{ text: `${args.path} is for tests only and must not be bundled into the mini program` }],
    }));
  },
};

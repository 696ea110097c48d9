import { builtinEnvironments, type Environment } from "vitest/runtime";

/**
 * jsdom globals for miniprogram-simulate, next to the real server running in the same process.
 *
 * - Modules are transformed as for Node ("ssr"): the browser transform of the plain jsdom
 *   environment rewrites the server's `new URL("…", import.meta.url)` into an asset URL.
 * - Typed arrays, ArrayBuffer and Blob stay Node's: jsdom's come from another realm, so a Node
 *   TextEncoder's output would fail `instanceof Uint8Array` in jose (token signing) and friends.
 */
const NODE_KEPT = [
  "ArrayBuffer",
  "Uint8Array",
  "Uint8ClampedArray",
  "Uint16Array",
  "Uint32Array",
  "Int8Array",
  "Int16Array",
  "Int32Array",
  "Float32Array",
  "Float64Array",
  "Blob",
  "FormData",
  "File",
] as const;

const jsdom = builtinEnvironments.jsdom;

const jsdomWithNodeBinary: Environment = {
  ...jsdom,
  name: "jsdom-node-binary",
  viteEnvironment: "ssr",
  async setup(global, options) {
    const kept = new Map(NODE_KEPT.map((key) => [key, global[key]]));
    const environment = await jsdom.setup(global, options);
    for (const [key, value] of kept) if (value !== undefined) global[key] = value;
    return environment;
  },
};

export default jsdomWithNodeBinary;

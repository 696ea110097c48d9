// @vitest-environment node
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { describe, expect, it } from "vitest";
import { noTestHelpers } from "../../scripts/no-test-helpers";

const srcDir = fileURLToPath(new URL("../../src", import.meta.url));

/** Bundles `contents` as if it were a file of src/, with the build's guard. */
function bundle(contents: string) {
  return esbuild.build({
    stdin: { contents, resolveDir: srcDir, loader: "ts" },
    bundle: true,
    write: false,
    format: "cjs",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["import", "default"],
    logLevel: "silent",
    plugins: [noTestHelpers],
  });
}

describe("the mini program build", () => {
  it.each(["@mpchat/client/testing", "@mpchat/protocol/testing", "@mpchat/server/testing"])(
    "refuses a bundle that imports %s",
    async (entry) => {
      await expect(bundle(`import * as helpers from "${entry}"; console.log(helpers);`)).rejects.toThrow(
        `${entry} is for tests only`,
      );
    },
  );

  it("bundles the packages' public entries", async () => {
    const result = await bundle(`import { ChatClient } from "@mpchat/client"; console.log(ChatClient);`);
    expect(result.errors).toEqual([]);
    expect(result.outputFiles?.[0]?.text).toContain("ChatClient");
  });
});

import { describe, expect, it } from "vitest";
import { loggerOptions, logTransport } from "../src/http/log-options";

describe("logTransport", () => {
  it("pretty-prints for a terminal outside production", () => {
    for (const nodeEnv of ["development", "test", ""]) {
      expect(logTransport(true, nodeEnv)?.target).toBe("pino-pretty");
    }
  });

  it.each([
    [false, "development"],
    [false, "test"],
    [false, "production"],
    [true, "production"],
  ])("writes JSON lines when isTTY=%s and NODE_ENV=%s", (isTTY, nodeEnv) => {
    expect(logTransport(isTTY, nodeEnv)).toBeUndefined();
  });
});

describe("loggerOptions with a transport", () => {
  const pretty = logTransport(true, "development");

  it("carries the transport, and none when there is none", () => {
    expect(loggerOptions("debug", undefined, pretty)).toMatchObject({ level: "debug", transport: pretty });
    expect(loggerOptions("info", undefined, logTransport(true, "production"))).not.toHaveProperty("transport");
  });

  it("starts no transport for a silent logger or when a stream is given", () => {
    expect(loggerOptions("silent", undefined, pretty)).not.toHaveProperty("transport");
    const stream = { write: (): void => {} };
    const options = loggerOptions("info", stream, pretty);
    expect(options).not.toHaveProperty("transport");
    expect(options).toMatchObject({ stream });
  });
});

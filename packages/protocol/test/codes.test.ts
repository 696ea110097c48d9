import { describe, expect, it } from "vitest";
import { ERROR_CODES, errorCodeOfStatus, HTTP_STATUS_OF } from "../src/codes";

describe("errorCodeOfStatus", () => {
  it("is the inverse of HTTP_STATUS_OF for every code", () => {
    for (const code of ERROR_CODES) expect(errorCodeOfStatus(HTTP_STATUS_OF[code]), code).toBe(code);
  });

  it("reads another 4xx as bad_request and anything else as internal", () => {
    for (const status of [405, 406, 415, 418, 431])
      expect(errorCodeOfStatus(status), String(status)).toBe("bad_request");
    for (const status of [200, 302, 501, 502, 504, 0])
      expect(errorCodeOfStatus(status), String(status)).toBe("internal");
  });
});

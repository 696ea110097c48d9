import { describe, expect, it } from "vitest";
import { newId } from "../src/chat/ids";

describe("newId", () => {
  it("gives 16-character url-safe ids, all distinct across several refills of its pool", () => {
    const ids = Array.from({ length: 5000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

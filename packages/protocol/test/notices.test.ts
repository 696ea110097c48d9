import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { NoticeSubscriptionRequestSchema, NoticeSubscriptionsResponseSchema } from "../src/index";

describe("offline notice bodies", () => {
  it("takes a template id and a number of acceptances", () => {
    const good = [
      { templateId: "zun-LzcQyW-edafCVvzPkK4de2Rllr1fFpw2A_x0oXE", accepted: 1 },
      { templateId: "T", accepted: 0 },
      { templateId: "x".repeat(64), accepted: 100 },
    ];
    for (const body of good)
      expect(v.safeParse(NoticeSubscriptionRequestSchema, body).success, JSON.stringify(body)).toBe(true);
  });

  it("refuses bad ones, naming the field", () => {
    const bad: [unknown, RegExp][] = [
      [{ templateId: "T", accepted: -1 }, /accepted/],
      [{ templateId: "T", accepted: 1.5 }, /accepted/],
      [{ templateId: "T", accepted: 101 }, /accepted/],
      [{ templateId: "T", accepted: "1" }, /accepted/],
      [{ templateId: "T", accepted: Number.NaN }, /accepted/],
      [{ templateId: "", accepted: 1 }, /templateId/],
      [{ templateId: "a b", accepted: 1 }, /templateId/],
      [{ templateId: "x".repeat(65), accepted: 1 }, /templateId/],
      [{ templateId: "模板", accepted: 1 }, /templateId/],
      [{ accepted: 1 }, /templateId|Invalid/],
      [null, /Invalid|object/],
    ];
    for (const [body, message] of bad) {
      const result = v.safeParse(NoticeSubscriptionRequestSchema, body);
      expect(result.success, JSON.stringify(body)).toBe(false);
      expect(result.issues?.map((issue) => issue.message).join(" "), JSON.stringify(body)).toMatch(message);
    }
  });

  it("reads the list answer", () => {
    const answer = { subscriptions: [{ templateId: "T", credits: 3 }] };
    expect(v.parse(NoticeSubscriptionsResponseSchema, answer)).toEqual(answer);
  });
});

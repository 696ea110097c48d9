import { describe, expect, it } from "vitest";
import { bodyText } from "../../src/view/body-text";

describe("bodyText of recalls", () => {
  it.each([
    [{ kind: "recall", messageId: "m1", by: "sender" } as const, "alice", "“alice”撤回了一条消息"],
    [{ kind: "recall", messageId: "m1" } as const, "alice", "“alice”撤回了一条消息"],
    [{ kind: "recall", messageId: "m1", by: "admin" } as const, "owner", "“owner”撤回了一条成员消息"],
    [{ kind: "recall", messageId: "m1", by: "moderation" } as const, "system", "[该消息已被撤回]"],
    [{ kind: "recalled", by: "sender" } as const, "bob", "“bob”撤回了一条消息"],
    [{ kind: "recalled", by: "admin" } as const, "bob", "[消息已撤回]"],
    [{ kind: "recalled", by: "moderation" } as const, "bob", "[该消息已被撤回]"],
  ])("shows %j from %s as %s", (body, senderId, shown) => {
    expect(bodyText(body, senderId)).toBe(shown);
  });
});

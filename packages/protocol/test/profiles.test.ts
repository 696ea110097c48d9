import * as v from "valibot";
import { describe, expect, it } from "vitest";
import {
  hasForbiddenDisplayCharacter,
  INVITE_CODE_PATTERN,
  ProfileNameSchema,
  ServerFrameSchema,
  UpdateProfileRequestSchema,
  UsersQuerySchema,
} from "../src/index";

describe("profile names", () => {
  it("refuses controls, bidi controls and lone surrogates; keeps everything else", () => {
    const refused = ["\u0000", "\t", "\n", "\r", "\u001f", "\u007f", "\u0080", "\u009f", "\u202a", "\u202e"];
    refused.push("\u2066", "\u2069", "\ud800", "\udfff", "a\ud83c", "\ude00b");
    for (const text of refused)
      expect({ text, bad: hasForbiddenDisplayCharacter(`x${text}y`) }).toEqual({ text, bad: true });
    const kept = ["Alice", "爱丽丝", "🌸👩‍👩‍👧", "\u00a0nbsp", "\u200d", "O'Brien <b>", "\u202f"];
    for (const text of kept) expect({ text, bad: hasForbiddenDisplayCharacter(text) }).toEqual({ text, bad: false });
  });

  it("takes 1..32 code points", () => {
    expect(v.is(ProfileNameSchema, "🌸".repeat(32))).toBe(true);
    expect(v.is(ProfileNameSchema, "🌸".repeat(33))).toBe(false);
    expect(v.is(ProfileNameSchema, "")).toBe(false);
  });

  it("PATCH /v1/me needs a field; null removes the avatar", () => {
    expect(v.is(UpdateProfileRequestSchema, {})).toBe(false);
    expect(v.parse(UpdateProfileRequestSchema, { avatarMediaId: null })).toEqual({ avatarMediaId: null });
  });

  it("users query: 1..100 ids, repeats dropped", () => {
    expect(v.parse(UsersQuerySchema, { ids: "a,b,a" })).toEqual({ ids: ["a", "b"] });
    expect(v.is(UsersQuerySchema, { ids: Array.from({ length: 101 }, (_, i) => `u${i}`).join(",") })).toBe(false);
    expect(v.is(UsersQuerySchema, { ids: "" })).toBe(false);
  });

  it("invite codes are 16..64 url-safe characters; the user frame parses", () => {
    expect(INVITE_CODE_PATTERN.test("a".repeat(16))).toBe(true);
    expect(INVITE_CODE_PATTERN.test("a".repeat(15))).toBe(false);
    expect(v.is(ServerFrameSchema, { type: "user", user: { id: "alice", name: "A", avatarMediaId: "m1" } })).toBe(true);
  });
});

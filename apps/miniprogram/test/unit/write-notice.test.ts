import type { Conversation } from "@mpchat/client";
import { describe, expect, it } from "vitest";
import { writeNoticeOf } from "../../src/pages/chat/write-notice";

const NOW = 1_800_000_000_000;

function group(extra: Partial<Conversation> = {}): Conversation {
  return {
    id: "g1",
    kind: "group",
    title: "读书会",
    memberIds: ["owner", "admin", "carol"],
    lastSeq: 3,
    readSeq: 3,
    unread: 0,
    updatedAt: NOW,
    ownerId: "owner",
    adminIds: ["admin"],
    ...extra,
  } as Conversation;
}

describe("the chat's input bar: who may write now", () => {
  it.each<[string, Conversation | undefined, string, boolean, { readOnly: string; muted: string; until: number }]>([
    ["anyone may write", group(), "carol", false, { readOnly: "", muted: "", until: 0 }],
    ["removed", group(), "carol", true, { readOnly: "你已不在该群聊中", muted: "", until: 0 }],
    ["dissolved", group({ dissolved: true }), "carol", false, { readOnly: "该群聊已解散", muted: "", until: 0 }],
    [
      "mute-all: a member",
      group({ mutedAll: true, mutedAllUntil: NOW + 60_000 }),
      "carol",
      false,
      { readOnly: "", muted: "全员禁言中", until: NOW + 60_000 },
    ],
    ["mute-all: the owner writes", group({ mutedAll: true }), "owner", false, { readOnly: "", muted: "", until: 0 }],
    ["mute-all: an admin writes", group({ mutedAll: true }), "admin", false, { readOnly: "", muted: "", until: 0 }],
    [
      "a mute-all that ended",
      group({ mutedAll: true, mutedAllUntil: NOW - 1 }),
      "carol",
      false,
      { readOnly: "", muted: "", until: 0 },
    ],
    [
      "the member's own mute",
      group({ mutedUntil: NOW + 5_000 }),
      "carol",
      false,
      { readOnly: "", muted: "你已被禁言", until: NOW + 5_000 },
    ],
    [
      "an own mute that ended",
      group({ mutedUntil: NOW - 5_000 }),
      "carol",
      false,
      { readOnly: "", muted: "", until: 0 },
    ],
    ["not loaded yet", undefined, "carol", false, { readOnly: "", muted: "", until: 0 }],
  ])("%s", (_, conversation, me, removed, expected) => {
    expect(writeNoticeOf(conversation, me, removed, NOW)).toEqual(expected);
  });
});

import { ProfileLimits } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import { MAX_NAME_CODE_POINTS } from "../../src/pages/profile/privacy-gate";
import { InviteCache } from "../../src/services/invite-cache";
import { needsProfile } from "../../src/services/landing";
import { mediaUrls } from "../../src/services/media-urls";
import { avatarOf, gridColumns, groupAvatarOf, letterOf } from "../../src/view/avatar";

const media = mediaUrls("https://chat.example.com", () => "tok en");

describe("avatars", () => {
  it("an uploaded avatar is its thumbnail with the media token; without one, a letter tile in a stable colour", () => {
    expect(avatarOf({ id: "u1", name: "小明", avatarMediaId: "m1" }, media).src).toBe(
      "https://chat.example.com/v1/media/m1/thumb?t=tok%20en",
    );
    const tile = avatarOf({ id: "u1", name: "小明" }, media);
    expect(tile).toMatchObject({ src: "", letter: "小" });
    expect(avatarOf({ id: "u1", name: "other" }, media).color).toBe(tile.color);
    expect(avatarOf({ id: "u2", name: "" }, media).letter).toBe("U");
    // Without a media token the server would refuse the image: the tile instead of an empty square.
    const noToken = mediaUrls("https://chat.example.com", () => "");
    expect(avatarOf({ id: "u1", name: "小明", avatarMediaId: "m1" }, noToken)).toMatchObject({ src: "", letter: "小" });
  });

  it("takes a whole first character: emoji, CJK, Latin upper-cased, '?' for nothing", () => {
    expect(["👩‍🚀 Ann", "  bob", "王", "", "𠮷野"].map(letterOf)).toEqual(["👩", "B", "王", "?", "𠮷"]);
  });

  it("a group shows up to 9 members: 1 column alone, 2×2 up to four, 3×3 beyond", () => {
    expect([1, 2, 4, 5, 9, 12].map(gridColumns)).toEqual([1, 2, 2, 3, 3, 3]);
    const members = Array.from({ length: 12 }, (_, i) => avatarOf({ id: `u${i}`, name: `n${i}` }, media));
    const grid = groupAvatarOf(members);
    expect(grid.cells).toHaveLength(9);
    expect(grid.columns).toBe(3);
  });
});

describe("profile rules", () => {
  it("the page's name limit is the protocol's", () => {
    expect(MAX_NAME_CODE_POINTS).toBe(ProfileLimits.MAX_NAME_CODE_POINTS);
  });

  it("asks for a profile only when the server's placeholder or nothing is the name", () => {
    expect(needsProfile({ id: "wx_1", name: "WeChat user" })).toBe(true);
    expect(needsProfile({ id: "wx_1", name: "" })).toBe(true);
    expect(needsProfile({ id: "wx_1", name: "小明" })).toBe(false);
  });
});

describe("invite codes for share cards", () => {
  const DAY = 24 * 60 * 60 * 1000;

  it("makes one code per target, one request at a time, and reuses it until a day is left", async () => {
    let now = 0;
    const made: Array<string | undefined> = [];
    const cache = new InviteCache(
      {
        createInvite: async (conversationId?: string) => {
          made.push(conversationId);
          return { code: `code-${made.length}`, expiresAt: now + 7 * DAY };
        },
        getInvite: async () => Promise.reject(new Error("unused")),
        acceptInvite: async () => Promise.reject(new Error("unused")),
      },
      () => now,
    );
    expect(cache.ready()).toBeUndefined();
    const [a, b] = await Promise.all([cache.prepare(), cache.prepare()]);
    expect(a.code).toBe("code-1");
    expect(b.code).toBe("code-1");
    expect(cache.ready()?.code).toBe("code-1");
    expect((await cache.prepare("g1")).code).toBe("code-2");
    expect(made).toEqual([undefined, "g1"]);

    now = 6.5 * DAY;
    expect(cache.ready()).toBeUndefined();
    expect((await cache.prepare()).code).toBe("code-3");
  });
});

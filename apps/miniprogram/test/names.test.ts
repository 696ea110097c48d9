import { describe, expect, it } from "vitest";
import { waitUntil } from "./support/activity";
import { useAppServer } from "./support/app-server";
import { bubbles, inputOf, lastChatNavigation, openList, rows, typeAndSend, waitForBubble } from "./support/flows";

interface Face {
  src: string;
  letter: string;
  color: string;
}

/** Names instead of ids: list titles, previews, sender labels, typing, nav bar titles; renames in place. */
describe("names and avatars instead of ids", () => {
  const { login } = useAppServer();

  it("shows names in the list, the chat title, group senders and the typing line; a rename reaches an open chat", async () => {
    const alice = await login("alice", "爱丽丝");
    const bob = await login("bob", "小鲍");
    const carol = await login("carol", "卡萝");
    const aliceList = await openList(alice);
    const bobList = await openList(bob);

    // A direct chat: bob's list is titled with alice's name, not her id.
    aliceList.call("onPeerIdInput", inputOf("bob"));
    await aliceList.call("onCreateDirect");
    const directId = lastChatNavigation(alice);
    const aliceDirect = alice.open("chat", { id: directId });
    typeAndSend(aliceDirect, "在吗");
    await waitForBubble(aliceDirect, "在吗");
    const directRow = await waitUntil("bob's row titled 爱丽丝", () =>
      rows(bobList).find((r) => r.id === directId && r.title === "爱丽丝"),
    );
    expect(directRow.title).not.toBe("alice");
    await waitUntil("alice's chat titled 小鲍", () => aliceDirect.data.title === "小鲍");
    expect(alice.wx.uiCallsOf("setNavigationBarTitle").at(-1)?.option.title).toBe("小鲍");
    // No avatar uploaded: a letter tile of the name.
    const tile = (rows(bobList).find((r) => r.id === directId) as unknown as { face: Face }).face;
    expect(tile).toMatchObject({ src: "", letter: "爱" });

    // A group: the preview and the sender labels use names.
    aliceList.call("onGroupTitleInput", inputOf("周末爬山"));
    aliceList.call("onGroupMembersInput", inputOf("bob carol"));
    await aliceList.call("onCreateGroup");
    const groupId = lastChatNavigation(alice);
    const aliceGroup = alice.open("chat", { id: groupId });
    typeAndSend(aliceGroup, "大家好");
    await waitForBubble(aliceGroup, "大家好");
    await waitUntil("bob's group preview with alice's name", () =>
      rows(bobList).some((r) => r.id === groupId && r.preview === "爱丽丝: 大家好"),
    );
    // The group's avatar: a grid of its members' tiles (fetched with GET /v1/users, then in place).
    type GroupRow = { grid: { cells: Face[]; columns: number } };
    const letters = () =>
      ((rows(bobList).find((r) => r.id === groupId) as unknown as GroupRow).grid.cells.map((c) => c.letter) ?? [])
        .slice()
        .sort();
    await waitUntil(
      "the grid shows the members' names' letters",
      () => letters().join() === ["卡", "小", "爱"].sort().join(),
    );
    expect((rows(bobList).find((r) => r.id === groupId) as unknown as GroupRow).grid.columns).toBe(2);

    const carolGroup = carol.open("chat", { id: groupId });
    await waitForBubble(carolGroup, "大家好");
    await waitUntil("sender label 爱丽丝", () =>
      carolGroup.byClass("sender").some((el) => el.textContent === "爱丽丝"),
    );
    expect(carolGroup.byClass("sender").map((el) => el.textContent)).toEqual(["爱丽丝"]);
    expect(carolGroup.byClass("face-tile").map((el) => el.textContent)).toEqual(["爱"]);

    // Typing in the group names the typist.
    const bobGroup = bob.open("chat", { id: groupId });
    await waitForBubble(bobGroup, "大家好");
    bobGroup.call("onInput", inputOf("我"));
    await waitUntil("carol sees 小鲍 typing", () => carolGroup.data.typingText === "小鲍 正在输入…");

    // Alice renames herself on her profile page: carol's open chat and bob's list follow.
    const profile = alice.open("profile");
    await profile.call("onSubmit", { detail: { value: { nickname: "Alice 王" } } });
    expect(profile.data.error).toBe("");
    await waitUntil("carol's sender label renamed", () =>
      carolGroup.byClass("sender").some((el) => el.textContent === "Alice 王"),
    );
    expect(bubbles(carolGroup).find((b) => b.text === "大家好")).toMatchObject({ sender: "Alice 王" });
    await waitUntil("bob's direct row renamed", () =>
      rows(bobList).some((r) => r.id === directId && r.title === "Alice 王"),
    );
    expect(rows(bobList).find((r) => r.id === groupId)?.preview).toBe("Alice 王: 大家好");
  });
});

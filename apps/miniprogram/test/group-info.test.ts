import { describe, expect, it } from "vitest";
import { waitUntil } from "./support/activity";
import { useAppServer } from "./support/app-server";
import { inputOf, lastChatNavigation, openList, tapOn } from "./support/flows";
import type { SimulatedApp, SimulatedPage } from "./support/simulated-app";

interface View {
  title: string;
  announcement: string;
  members: { id: string; name: string; badge: string; role: string }[];
  role: string;
  canEdit: boolean;
  canRemove: boolean;
  isOwner: boolean;
  pinned: boolean;
  muted: boolean;
  mutedAll: boolean;
}

const viewOf = (page: SimulatedPage) => page.data.view as View;
const lines = (chat: SimulatedPage) =>
  (chat.data.items as { system: boolean; text: string }[]).filter((item) => item.system).map((item) => item.text);
const listRows = (list: SimulatedPage) =>
  list.data.items as { id: string; title: string; pinned: boolean; muted: boolean; preview: string }[];
const switchOf = (value: boolean) => ({ detail: { value } });

/** The group info page against the real server: what each role is offered, and every action doing what it says. */
describe("the group info page", () => {
  const { login } = useAppServer();
  let alice: SimulatedApp;
  let bob: SimulatedApp;
  let carol: SimulatedApp;
  let groupId: string;
  let aliceGroup: SimulatedPage;
  let bobGroup: SimulatedPage;
  let carolGroup: SimulatedPage;
  let carolChat: SimulatedPage;
  let carolList: SimulatedPage;

  it("opens from the chat's ··· and shows members with roles; the owner is offered everything, a member little", async () => {
    alice = await login("alice");
    bob = await login("bob");
    carol = await login("carol");
    const aliceList = await openList(alice);
    await openList(bob);
    carolList = await openList(carol);
    aliceList.call("onComposeGroup");
    aliceList.call("onGroupTitleInput", inputOf("羽毛球"));
    aliceList.call("onGroupMembersInput", inputOf("bob carol"));
    await aliceList.call("onCreateGroup");
    groupId = lastChatNavigation(alice);
    const aliceChat = alice.open("chat", { id: groupId });
    expect(aliceChat.byClass("group-entry")).toHaveLength(1);
    aliceChat.call("onOpenGroup");
    expect(alice.wx.uiCallsOf("navigateTo").at(-1)?.option.url).toBe(`/pages/group/group?id=${groupId}`);

    aliceGroup = alice.open("group", { id: groupId });
    expect(viewOf(aliceGroup)).toMatchObject({
      title: "羽毛球",
      role: "owner",
      isOwner: true,
      canEdit: true,
      canRemove: true,
    });
    expect(viewOf(aliceGroup).members.map((m) => [m.id, m.badge])).toEqual([
      ["alice", "群主"],
      ["bob", ""],
      ["carol", ""],
    ]);
    expect(aliceGroup.byClass("member-badge").map((el) => el.textContent)).toEqual(["群主"]);
    expect(aliceGroup.byClass("danger").map((el) => el.textContent)).toEqual(["删除并退出", "解散群聊"]);

    carolChat = carol.open("chat", { id: groupId });
    await waitUntil("carol has the group", () => carolChat.data.isGroup === true);
    carolGroup = carol.open("group", { id: groupId });
    expect(viewOf(carolGroup)).toMatchObject({ role: "member", isOwner: false, canEdit: false, canRemove: false });
    expect(carolGroup.byClass("danger").map((el) => el.textContent)).toEqual(["删除并退出"]);
    expect(carolGroup.byClass("mute-all-switch")).toHaveLength(0);
    // A member's tap on the title changes nothing and asks nothing.
    await carolGroup.call("onEditTitle");
    expect(carol.wx.uiCallsOf("showModal")).toHaveLength(0);
  });

  it("the owner makes bob an admin; bob may rename and remove members, and everyone sees the system lines", async () => {
    alice.wx.actionSheetAnswers.push(0); // 设为管理员
    await aliceGroup.call("onTapMember", tapOn({ id: "bob" }));
    expect(alice.wx.uiCallsOf("showActionSheet").at(-1)?.option.itemList).toEqual(["设为管理员", "转让群主", "移除"]);
    await waitUntil(
      "bob is an admin",
      () => viewOf(aliceGroup).members.find((m) => m.id === "bob")?.badge === "管理员",
    );

    bobGroup = bob.open("group", { id: groupId });
    await waitUntil("bob sees his role", () => viewOf(bobGroup).role === "admin");
    expect(viewOf(bobGroup)).toMatchObject({ canEdit: true, canRemove: true, isOwner: false });
    bob.wx.modalAnswers.push({ confirm: true, content: "周六羽毛球" });
    await bobGroup.call("onEditTitle");
    await waitUntil("the new title on carol's page", () => viewOf(carolGroup).title === "周六羽毛球");
    bob.wx.modalAnswers.push({ confirm: true, content: "周六上午九点，体育馆" });
    await bobGroup.call("onEditAnnouncement");
    await waitUntil("the announcement", () => viewOf(carolGroup).announcement === "周六上午九点，体育馆");
    await waitUntil("carol's chat has the lines", () =>
      ["“bob”被设为管理员", "“bob”修改群名为“周六羽毛球”", "“bob”修改了群公告"].every((line) =>
        lines(carolChat).includes(line),
      ),
    );
    // A cancelled dialog changes nothing.
    bob.wx.modalAnswers.push({ confirm: false, content: "不要" });
    await bobGroup.call("onEditTitle");
    expect(viewOf(bobGroup).title).toBe("周六羽毛球");
  });

  it("pin and mute notifications are carol's own; the list shows the chat pinned first", async () => {
    // Another chat with later activity, so pinning has something to beat.
    await carolList.call("onComposeGroup");
    carolList.call("onGroupTitleInput", inputOf("别的群"));
    carolList.call("onGroupMembersInput", inputOf("alice"));
    await carolList.call("onCreateGroup");
    await waitUntil("the other group is first", () => listRows(carolList)[0]?.title === "别的群");
    await carolGroup.call("onTogglePin", switchOf(true));
    await carolGroup.call("onToggleMute", switchOf(true));
    await waitUntil("pinned first", () => listRows(carolList)[0]?.id === groupId);
    expect(listRows(carolList)[0]).toMatchObject({ pinned: true, muted: true });
    expect(viewOf(carolGroup)).toMatchObject({ pinned: true, muted: true });
    // alice's view is not carol's.
    expect(viewOf(aliceGroup)).toMatchObject({ pinned: false, muted: false });
  });

  it("mute all by the owner; a member cannot", async () => {
    await aliceGroup.call("onToggleMuteAll", switchOf(true));
    await waitUntil("muted all", () => viewOf(carolGroup).mutedAll === true);
    await waitUntil("the line", () => lines(carolChat).includes("“alice”开启了全员禁言"));
    // Carol's input bar gives way to 全员禁言中 (the server would refuse her send).
    await waitUntil("carol's notice", () => carolChat.byClass("muted-notice").length === 1);
    expect(carolChat.byClass("muted-notice").map((el) => el.textContent)).toEqual(["全员禁言中"]);
    expect(carolChat.byClass("composer")).toHaveLength(0);
    await aliceGroup.call("onToggleMuteAll", switchOf(false));
    await waitUntil("unmuted", () => viewOf(carolGroup).mutedAll === false);
    await waitUntil("carol's input is back", () => carolChat.byClass("composer").length === 1);
    expect(carolChat.byClass("muted-notice")).toHaveLength(0);
  });

  it("bob (admin) removes carol: the row leaves her list, her open chat says so and has no input", async () => {
    bob.wx.actionSheetAnswers.push(0);
    await bobGroup.call("onRemoveMembers");
    // An admin may remove plain members only.
    expect(bob.wx.uiCallsOf("showActionSheet").at(-1)?.option.itemList).toEqual(["carol"]);
    await waitUntil("carol's row is gone", () => !listRows(carolList).some((row) => row.id === groupId));
    await waitUntil("her chat is read-only", () => carolChat.data.readOnlyNotice === "你已不在该群聊中");
    expect(carolChat.byClass("composer")).toHaveLength(0);
    expect(carolChat.byClass("read-only").map((el) => el.textContent)).toEqual(["你已不在该群聊中"]);
    expect(carolChat.byClass("group-entry")).toHaveLength(0);
    await waitUntil("alice sees the line", () => viewOf(aliceGroup).members.length === 2);
  });

  it("the owner adds a member, transfers the group, leaves it; the new owner dissolves it", async () => {
    const dave = await login("dave");
    const daveList = await openList(dave);
    alice.wx.modalAnswers.push({ confirm: true, content: "dave" });
    await aliceGroup.call("onAddMembers");
    await waitUntil("dave is in", () => viewOf(aliceGroup).members.some((m) => m.id === "dave"));
    await waitUntil("dave's list has it", () => listRows(daveList).some((row) => row.id === groupId));
    const daveChat = dave.open("chat", { id: groupId });
    await waitUntil("dave's chat", () => daveChat.data.isGroup === true);

    alice.wx.actionSheetAnswers.push(0); // bob, the first other member
    await aliceGroup.call("onTransfer");
    await waitUntil("bob owns it", () => viewOf(bobGroup).isOwner);
    expect(viewOf(aliceGroup).role).toBe("member");

    await aliceGroup.call("onLeave");
    expect(alice.wx.uiCallsOf("reLaunch").at(-1)?.option.url).toBe("/pages/conversations/conversations");
    await waitUntil("alice is gone", () => viewOf(bobGroup).members.every((m) => m.id !== "alice"));

    await bobGroup.call("onDissolve");
    await waitUntil("dave's chat is read-only", () => daveChat.data.readOnlyNotice === "该群聊已解散");
    await waitUntil("dave sees the dissolve line", () => lines(daveChat).includes("“bob”解散了群聊"));
    expect(daveChat.byClass("composer")).toHaveLength(0);
  });
});

import type { Conversation, Message, OutboxEntry } from "@mpchat/client";
import { describe, expect, it } from "vitest";
import { readStateOf, toBubbleItems } from "../../src/pages/chat/chat-items";
import { parseMemberIds, toConversationItems } from "../../src/pages/conversations/conversation-items";
import { describeLoginError } from "../../src/pages/login/login-errors";
import { LoginError } from "../../src/services/login-error";
import { formatListTime, formatMessageTime } from "../../src/view/time";

const NOW = new Date(2026, 10, 23, 15, 30).getTime();
const minutes = (n: number) => n * 60_000;

function message(seq: number, senderId: string, text: string, createdAt = NOW - minutes(60 - seq)): Message {
  return {
    id: `m${seq}`,
    conversationId: "c1",
    seq,
    senderId,
    clientMsgId: `cm-${senderId}-${seq}`,
    body: { kind: "text", text },
    createdAt,
  };
}

function conversation(overrides: Partial<Conversation>): Conversation {
  return {
    id: "c1",
    kind: "direct",
    title: "",
    memberIds: ["alice", "bob"],
    lastSeq: 0,
    readSeq: 0,
    unread: 0,
    updatedAt: NOW - minutes(600),
    ...overrides,
  };
}

const noReads = { readSeq: () => 0, readersOf: () => 0 };

describe("conversation list rows", () => {
  it("orders by last activity, names direct chats after the peer, previews and badges", () => {
    const quiet = conversation({ id: "quiet", updatedAt: NOW - minutes(300) });
    const busy = conversation({
      id: "busy",
      lastMessage: message(3, "bob", "第一行\n第二行"),
      unread: 120,
    });
    const group = conversation({
      id: "group",
      kind: "group",
      title: "周末爬山",
      memberIds: ["alice", "bob", "carol"],
      lastMessage: message(9, "carol", "x".repeat(60), NOW - minutes(1)),
      unread: 2,
    });
    const items = toConversationItems([quiet, busy, group], "alice", NOW);
    expect(items.map((item) => item.id)).toEqual(["group", "busy", "quiet"]);
    expect(items[0]).toMatchObject({ title: "周末爬山", tag: "群", avatar: "群", unread: 2, unreadText: "2" });
    expect(items[0]?.preview).toBe(`carol: ${"x".repeat(40)}…`);
    expect(items[1]).toMatchObject({ title: "bob", preview: "第一行", unreadText: "99+", avatar: "B" });
    expect(items[2]).toMatchObject({ preview: "暂无消息", unread: 0 });
  });

  it("splits member ids on commas, Chinese commas and spaces, without duplicates", () => {
    expect(parseMemberIds(" bob, carol，dave  bob\nerin、frank ")).toEqual(["bob", "carol", "dave", "erin", "frank"]);
  });
});

describe("chat bubbles", () => {
  it("puts own messages on the right, pending and failed after the stored ones, read state on the last own", () => {
    const messages = [message(1, "bob", "hi"), message(2, "alice", "hello"), message(3, "bob", "how are you")];
    const outbox: OutboxEntry[] = [
      {
        clientMsgId: "p1",
        conversationId: "c1",
        body: { kind: "text", text: "fine" },
        createdAt: NOW,
        status: "pending",
        attempts: 1,
      },
      {
        clientMsgId: "p2",
        conversationId: "c1",
        body: { kind: "text", text: "bad" },
        createdAt: NOW,
        status: "failed",
        attempts: 1,
      },
    ];
    const items = toBubbleItems({
      messages,
      outbox,
      me: "alice",
      kind: "direct",
      memberIds: ["alice", "bob"],
      read: { readSeq: (user) => (user === "bob" ? 3 : 0), readersOf: () => 1 },
      now: NOW,
    });
    expect(items.map((item) => [item.text, item.mine, item.status])).toEqual([
      ["hi", false, "sent"],
      ["hello", true, "sent"],
      ["how are you", false, "sent"],
      ["fine", true, "pending"],
      ["bad", true, "failed"],
    ]);
    expect(items.map((item) => item.readLabel)).toEqual(["", "已读", "", "", ""]);
    expect(new Set(items.map((item) => item.key)).size).toBe(items.length);
    expect(items[0]?.divider).not.toBe("");
    expect(items[1]?.divider).toBe("");
  });

  it("shows system messages as centred lines naming who did what, never as own bubbles with a read label", () => {
    const system = (seq: number, senderId: string, body: Message["body"]): Message => ({
      ...message(seq, senderId, ""),
      body,
    });
    const messages: Message[] = [
      message(1, "alice", "hello"),
      system(2, "alice", { kind: "system", event: "members_added", userIds: ["bob", "carol"] }),
      system(3, "alice", { kind: "system", event: "title_changed", title: "周末爬山" }),
      system(4, "bob", { kind: "system", event: "member_left", userIds: ["bob"] }),
      system(5, "alice", { kind: "system", event: "muted_all", untilMs: NOW + 1 }),
      system(6, "alice", { kind: "system", event: "owner_changed", userIds: ["carol"] }),
    ];
    const items = toBubbleItems({
      messages,
      outbox: [],
      me: "alice",
      kind: "group",
      memberIds: ["alice", "carol"],
      read: { readSeq: () => 6, readersOf: () => 1 },
      now: NOW,
    });
    expect(items.map((item) => [item.system, item.text])).toEqual([
      [false, "hello"],
      [true, "你邀请“bob”、“carol”加入了群聊"],
      [true, "你修改群名为“周末爬山”"],
      [true, "“bob”退出了群聊"],
      [true, "你开启了全员禁言"],
      [true, "“carol”已成为新群主"],
    ]);
    // The read label stays under alice's own last text, not under her system lines.
    expect(items.map((item) => item.readLabel)).toEqual(["1人已读", "", "", "", "", ""]);
  });

  it("keeps one bubble when a message is both stored and still in the outbox", () => {
    const stored = message(1, "alice", "once");
    const entry: OutboxEntry = {
      clientMsgId: stored.clientMsgId,
      conversationId: "c1",
      body: { kind: "text", text: "once" },
      createdAt: NOW,
      status: "pending",
      attempts: 1,
    };
    const items = toBubbleItems({
      messages: [stored],
      outbox: [entry],
      me: "alice",
      kind: "direct",
      memberIds: [],
      read: noReads,
    });
    expect(items).toHaveLength(1);
    expect(items[0]?.status).toBe("sent");
  });

  it("shows 未读 in a direct chat until the peer read it, N人已读 in a group", () => {
    const own = [message(1, "alice", "hello")];
    const direct = toBubbleItems({
      messages: own,
      outbox: [],
      me: "alice",
      kind: "direct",
      memberIds: ["alice", "bob"],
      read: noReads,
    });
    expect(direct[0]?.readLabel).toBe("未读");
    const group = toBubbleItems({
      messages: own,
      outbox: [],
      me: "alice",
      kind: "group",
      memberIds: ["alice", "bob", "carol", "dave"],
      read: { readSeq: () => 0, readersOf: (seq) => (seq === 1 ? 2 : 0) },
    });
    expect(group[0]?.readLabel).toBe("2人已读");
  });
});

describe("a body kind from a newer server", () => {
  it("shows as an unsupported message in its bubble and in the list preview, keeping its place", () => {
    const sticker: Message = { ...message(2, "bob", ""), body: { kind: "unknown", rawKind: "sticker" } };
    const items = toBubbleItems({
      messages: [message(1, "alice", "hi"), sticker, message(3, "bob", "after")],
      outbox: [],
      me: "alice",
      kind: "direct",
      memberIds: ["alice", "bob"],
      read: noReads,
      now: NOW,
    });
    expect(items.map((item) => [item.seq, item.text])).toEqual([
      [1, "hi"],
      [2, "[暂不支持的消息类型，请升级小程序]"],
      [3, "after"],
    ]);
    const group = conversation({ kind: "group", title: "team", lastSeq: 2, lastMessage: sticker });
    expect(toConversationItems([group], "alice", NOW)[0]?.preview).toBe("bob: [暂不支持的消息类型，请升级小程序]");
  });
});

describe("read state from members' cursors", () => {
  it("counts the other members at or past a seq, never me; unknown members have read nothing", () => {
    const cursors = new Map([
      ["alice", 9],
      ["bob", 5],
      ["constructor", 7],
      ["carol", 4],
    ]);
    const read = readStateOf(cursors, "alice");
    expect([read.readersOf(5), read.readersOf(6), read.readersOf(8)]).toEqual([2, 1, 0]);
    expect([read.readSeq("bob"), read.readSeq("dave")]).toEqual([5, 0]);
    const own = [message(5, "alice", "hello")];
    const label = (kind: Conversation["kind"], memberIds: string[], state = read) =>
      toBubbleItems({ messages: own, outbox: [], me: "alice", kind, memberIds, read: state })[0]?.readLabel;
    expect(label("direct", ["alice", "bob"])).toBe("已读");
    expect(label("direct", ["alice", "carol"])).toBe("未读");
    expect(label("group", ["alice", "bob", "constructor", "carol"])).toBe("2人已读");
    expect(label("group", ["alice", "bob"], readStateOf(new Map([["alice", 9]]), "alice"))).toBe("");
  });
});

describe("times", () => {
  it("shows the clock today, 昨天 yesterday, the date this year, the year before", () => {
    expect(formatMessageTime(new Date(2026, 10, 23, 9, 5).getTime(), NOW)).toBe("09:05");
    expect(formatMessageTime(new Date(2026, 10, 22, 23, 59).getTime(), NOW)).toBe("昨天 23:59");
    expect(formatMessageTime(new Date(2026, 2, 5, 14, 0).getTime(), NOW)).toBe("3月5日 14:00");
    expect(formatListTime(new Date(2025, 2, 5, 14, 0).getTime(), NOW)).toBe("2025/3/5");
  });
});

describe("login errors", () => {
  it("names WeChat's refusals and network trouble in Chinese", () => {
    expect(describeLoginError(new LoginError("unauthorized", "x", 40029))).toBe("登录凭证无效，请重新登录");
    expect(describeLoginError(new LoginError("unauthorized", "x", 40163))).toBe("登录凭证已被使用，请重新登录");
    expect(describeLoginError(new LoginError("unauthorized", "x", 99999))).toContain("99999");
    expect(describeLoginError(new LoginError("network", "down"))).toBe("无法连接服务器，请检查网络");
  });
});

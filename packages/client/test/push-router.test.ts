import type { ServerFrame } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import { type PushHandlers, routePush } from "../src/push-router";

const message = {
  id: "m1",
  conversationId: "c1",
  seq: 1,
  senderId: "bob",
  clientMsgId: "x",
  body: { kind: "text" as const, text: "hi" },
  createdAt: 1,
};
const conversation = {
  id: "c1",
  kind: "group" as const,
  title: "g",
  memberIds: ["alice", "bob"],
  lastSeq: 1,
  readSeq: 0,
  unread: 1,
  updatedAt: 1,
};

/** Every server frame type, and the handler it must reach (none for answers to requests). */
const cases: Array<[ServerFrame, keyof PushHandlers | null]> = [
  [{ type: "message", conversationId: "c1", message }, "onMessage"],
  [{ type: "receipt", conversationId: "c1", userId: "bob", seq: 1 }, "onReceipt"],
  [{ type: "typing", conversationId: "c1", userId: "bob" }, "onTyping"],
  [{ type: "conversation", conversation }, "onConversation"],
  [{ type: "presence", userId: "bob", online: true }, "onPresence"],
  [{ type: "user", user: { id: "bob", name: "Bob" } }, "onUser"],
  [{ type: "error", code: "rate_limited", message: "slow down" }, "onError"],
  [{ type: "conversation_removed", conversationId: "c1", reason: "removed" }, "onConversationRemoved"],
  [{ type: "ready", id: "1", userId: "alice", heartbeatMs: 1000, serverTime: 0 }, null],
  [{ type: "ack", id: "2", conversationId: "c1", clientMsgId: "x", messageId: "m1", seq: 1, createdAt: 1 }, null],
  [{ type: "batch", id: "3", conversationId: "c1", messages: [], hasMore: false }, null],
  [{ type: "ok", id: "4" }, null],
  [{ type: "pong", serverTime: 0 }, null],
];

describe("routePush", () => {
  it("hands each pushed frame to its own handler, once, and ignores late answers to requests", () => {
    for (const [frame, expected] of cases) {
      const calls: Array<[string, unknown]> = [];
      const record = (name: keyof PushHandlers) => (received: unknown) => calls.push([name, received]);
      const handlers: PushHandlers = {
        onMessage: record("onMessage"),
        onReceipt: record("onReceipt"),
        onTyping: record("onTyping"),
        onConversation: record("onConversation"),
        onPresence: record("onPresence"),
        onUser: record("onUser"),
        onConversationRemoved: record("onConversationRemoved"),
        onError: record("onError"),
      };
      routePush(frame, handlers);
      expect(calls, frame.type).toEqual(expected === null ? [] : [[expected, frame]]);
    }
  });
});

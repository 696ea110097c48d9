import type { Message, OutboxEntry } from "@mpchat/client";
import { describe, expect, it } from "vitest";
import { rowsOf } from "../src/chat/message-view";

const message = (seq: number, senderId: string, clientMsgId: string): Message =>
  ({
    id: `m${seq}`,
    conversationId: "c1",
    seq,
    senderId,
    clientMsgId,
    body: { kind: "text", text: `t${seq}` },
    createdAt: seq,
  }) as Message;
const entry = (clientMsgId: string): OutboxEntry =>
  ({
    clientMsgId,
    conversationId: "c1",
    body: { kind: "text", text: clientMsgId },
    createdAt: 0,
    status: "pending",
    attempts: 1,
  }) as OutboxEntry;

describe("the web chat's rows", () => {
  it("shows my message once while its push has come and its ack not yet (the entry is still in the outbox)", () => {
    const rows = rowsOf([message(1, "bob", "b-1"), message(2, "alice", "a-1")], [entry("a-1"), entry("a-2")], "alice");
    expect(
      rows.map((row) => (row.kind === "message" ? `stored ${row.message.seq}` : `pending ${row.entry.clientMsgId}`)),
    ).toEqual(["stored 1", "stored 2", "pending a-2"]);
  });

  it("keeps an entry whose clientMsgId another sender happened to use", () => {
    const rows = rowsOf([message(1, "bob", "same")], [entry("same")], "alice");
    expect(rows.map((row) => row.kind)).toEqual(["message", "outbox"]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

describe("chat rules over WebSocket", () => {
  let server: TestServer;
  let alice: TestClient;
  let alice2: TestClient;
  let bob: TestClient;
  let eve: TestClient;
  let groupId: string;

  beforeAll(async () => {
    server = await startTestServer();
    alice = await TestClient.connect(server, "alice");
    alice2 = await TestClient.connect(server, "alice"); // a second device
    bob = await TestClient.connect(server, "bob");
    eve = await TestClient.connect(server, "eve");
    groupId = (await alice.api(server).createGroup("rules", ["bob"])).id;
  });
  afterAll(async () => {
    await Promise.all([alice, alice2, bob, eve].map((client) => client?.close()));
    await server?.close();
  });

  it("pushes a message to every connection of every member, the sender's other device included", async () => {
    const ack = await alice.sendText(groupId, "to all devices");
    if (ack.type !== "ack") throw new Error(JSON.stringify(ack));
    for (const client of [alice, alice2, bob]) {
      await client.waitFor((f) => f.type === "message" && f.message.id === ack.messageId);
    }
  });

  it("answers a repeated clientMsgId, on another connection, with the identical ack and pushes nothing", async () => {
    const first = await alice.sendText(groupId, "once", "dup-1");
    await bob.waitFor((f) => f.type === "message" && f.message.clientMsgId === "dup-1");
    const again = await alice2.sendText(groupId, "once", "dup-1");
    expect({ ...again, id: undefined }).toEqual({ ...first, id: undefined });
    // A later message proves the stream moved on without a second copy of dup-1.
    const marker = await alice.sendText(groupId, "marker");
    if (marker.type !== "ack") throw new Error(JSON.stringify(marker));
    await bob.waitFor((f) => f.type === "message" && f.message.id === marker.messageId);
    expect(bob.messagesIn(groupId).filter((f) => f.message.clientMsgId === "dup-1")).toHaveLength(1);
  });

  it("answers conflict for a clientMsgId already used in another conversation", async () => {
    const other = await alice.api(server).createDirect("bob");
    await alice.sendText(groupId, "here", "moved-1");
    const answer = await alice.sendText(other.id, "there", "moved-1");
    expect(answer).toMatchObject({ type: "error", code: "conflict" });
  });

  it("refuses a non-member send, sync and read with forbidden, and pushes them nothing", async () => {
    const send = await eve.sendText(groupId, "let me in");
    const sync = await eve.request({ type: "sync", conversationId: groupId, afterSeq: 0 });
    const read = await eve.request({ type: "read", conversationId: groupId, seq: 1 });
    for (const answer of [send, sync, read]) expect(answer).toMatchObject({ type: "error", code: "forbidden" });
    const ack = await alice.sendText(groupId, "members only");
    if (ack.type !== "ack") throw new Error(JSON.stringify(ack));
    await bob.waitFor((f) => f.type === "message" && f.message.id === ack.messageId);
    expect((await eve.request({ type: "ping" })).type).toBe("pong");
    expect(eve.frames.some((f) => "conversationId" in f && f.conversationId === groupId)).toBe(false);
  });

  it("answers not_found for an unknown conversation", async () => {
    expect(await alice.sendText("nope", "x")).toMatchObject({ type: "error", code: "not_found" });
  });

  it("accepts 4000 code points byte-exact and answers 4001 with too_large", async () => {
    const prefix = `${"😀".repeat(1000)}${"字".repeat(1000)}'; DROP TABLE messages; --<script>"\\`;
    const text = prefix + "a".repeat(4000 - [...prefix].length);
    expect([...text]).toHaveLength(4000);
    const ack = await alice.sendText(groupId, text);
    if (ack.type !== "ack") throw new Error(JSON.stringify(ack));
    const pushed = await bob.waitFor((f) => f.type === "message" && f.message.id === ack.messageId);
    expect(pushed.type === "message" && pushed.message.body.kind === "text" && pushed.message.body.text).toBe(text);
    expect(await alice.sendText(groupId, `${text}!`)).toMatchObject({ type: "error", code: "too_large" });
  });

  it("tells contacts when a user comes online and when the last connection goes", async () => {
    const from = bob.frames.length;
    const carol = await TestClient.connect(server, "carol");
    await alice.api(server).addMembers(groupId, ["carol"]);
    await carol.close();
    await bob.waitFor((f) => f.type === "presence" && f.userId === "carol" && !f.online, undefined, {
      fromIndex: from,
    });
    const back = await TestClient.connect(server, "carol");
    await bob.waitFor((f) => f.type === "presence" && f.userId === "carol" && f.online, undefined, {
      fromIndex: from,
    });
    await back.close();
  });

  it("sends only frames the protocol schema accepts", () => {
    for (const client of [alice, alice2, bob, eve]) expect(client.invalidFrames).toEqual([]);
  });
});

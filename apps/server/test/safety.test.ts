import type { BlocksResponse } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "./support/api";
import { TestClient } from "./support/client";
import { type StoreKind, startTestServer, type TestServer } from "./support/server";

const stores: StoreKind[] = process.env.MYSQL_URL ? ["sqlite", "mysql"] : ["sqlite"];

for (const storeKind of stores) {
  describe(`blocks and reports (${storeKind})`, () => {
    let server: TestServer;
    let alice: TestClient;
    let bob: TestClient;
    let carol: TestClient;
    let direct: string;
    let group: string;

    beforeAll(async () => {
      server = await startTestServer({ store: storeKind });
      alice = await TestClient.connect(server, "alice");
      bob = await TestClient.connect(server, "bob");
      carol = await TestClient.connect(server, "carol");
      direct = (await alice.api(server).createDirect("bob")).id;
      group = (await carol.api(server).createGroup("three", ["alice", "bob"])).id;
    });
    afterAll(async () => {
      await Promise.all([alice?.close(), bob?.close(), carol?.close()]);
      await server?.close();
    });

    const blocksOf = async (client: TestClient) =>
      ((await client.api(server).raw("GET", "/v1/blocks")).body as BlocksResponse).blocks;

    it("blocks (201, then 200), lists newest first, unblocks (204, twice)", async () => {
      const first = await alice.api(server).raw("POST", "/v1/blocks", { userId: "carol" });
      expect(first).toMatchObject({ status: 201, body: { block: { userId: "carol", createdAt: expect.any(Number) } } });
      const again = await alice.api(server).raw("POST", "/v1/blocks", { userId: "carol" });
      expect(again).toMatchObject({ status: 200, body: first.body as object });
      expect(await blocksOf(alice)).toEqual([{ userId: "carol", createdAt: expect.any(Number) }]);
      expect(await blocksOf(carol)).toEqual([]);
      for (let i = 0; i < 2; i++) {
        expect((await alice.api(server).raw("DELETE", "/v1/blocks/carol")).status).toBe(204);
      }
      expect(await blocksOf(alice)).toEqual([]);
    });

    it("refuses bad blocks with a clear error and stores nothing", async () => {
      const cases: Array<[unknown, number]> = [
        [{ userId: "alice" }, 400], // oneself
        [{ userId: "nobody" }, 404],
        [{ userId: "" }, 400],
        [{ userId: "bad id" }, 400],
        [{ userId: "x".repeat(65) }, 400],
        [{ userId: 42 }, 400],
        [{}, 400],
        [[], 400],
        ["bob", 400],
      ];
      for (const [body, status] of cases) {
        const answer = await alice.api(server).raw("POST", "/v1/blocks", body);
        expect(answer.status, JSON.stringify(body)).toBe(status);
        expect(answer.body).toMatchObject({ error: { code: status === 404 ? "not_found" : "bad_request" } });
      }
      expect((await alice.api(server).raw("DELETE", "/v1/blocks/bad%20id")).status).toBe(400);
      expect((await rawRequest(server, "POST", "/v1/blocks", { body: { userId: "bob" } })).status).toBe(401);
      expect((await rawRequest(server, "GET", "/v1/blocks")).status).toBe(401);
      expect(await blocksOf(alice)).toEqual([]);
    });

    it("a blocked user cannot send into the direct conversation, and the blocker receives nothing of it", async () => {
      expect(await bob.sendText(direct, "before the block")).toMatchObject({ type: "ack", seq: 1 });
      await alice.api(server).raw("POST", "/v1/blocks", { userId: "bob" });
      const refused = await bob.sendText(direct, "after the block");
      expect(refused).toMatchObject({ type: "error", code: "forbidden" });
      bob.socket.send(JSON.stringify({ type: "typing", conversationId: direct }));
      // the blocker may still write; bob gets it, and alice's own later push marks the end of what she can receive
      const fromAlice = await alice.sendText(direct, "alice still writes");
      expect(fromAlice).toMatchObject({ type: "ack", seq: 2 });
      await bob.waitFor((frame) => frame.type === "message" && frame.message.seq === 2);
      // group messages still reach alice: the block is about the direct conversation
      const inGroup = await bob.sendText(group, "bob in the group");
      if (inGroup.type !== "ack") throw new Error("not acked");
      await alice.waitFor((frame) => frame.type === "message" && frame.message.id === inGroup.messageId);
      expect(alice.messagesIn(direct).map((frame) => frame.message.seq)).toEqual([1, 2]);
      expect(alice.frames.filter((f) => f.type === "typing" && f.conversationId === direct)).toEqual([]);
      expect((await alice.api(server).history(direct)).messages.map((m) => m.seq)).toEqual([1, 2]);
    });

    it("a blocked user cannot start a direct conversation with the blocker or add them to a group", async () => {
      const starts = await bob.api(server).raw("POST", "/v1/conversations", { kind: "direct", peerId: "alice" });
      expect(starts).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
      const created = await bob.api(server).raw("POST", "/v1/conversations", {
        kind: "group",
        title: "with alice",
        memberIds: ["carol", "alice"],
      });
      expect(created.status).toBe(403);
      expect((await carol.api(server).conversations()).map((c) => c.title)).not.toContain("with alice");
      const own = await bob.api(server).createGroup("bob's", ["carol"]);
      const added = await bob.api(server).raw("POST", `/v1/conversations/${own.id}/members`, { userIds: ["alice"] });
      expect(added.status).toBe(403);
      expect((await bob.api(server).conversations()).find((c) => c.id === own.id)?.memberIds).toEqual(["bob", "carol"]);
      // someone else may add the blocker; the blocker may start one with the blocked user
      const byCarol = await carol.api(server).addMembers(own.id, ["alice"]);
      expect(byCarol.memberIds).toContain("alice");
      expect((await alice.api(server).createDirect("bob")).id).toBe(direct);
    });

    it("after unblocking, everything works again", async () => {
      expect((await alice.api(server).raw("DELETE", "/v1/blocks/bob")).status).toBe(204);
      expect(await bob.sendText(direct, "after the unblock")).toMatchObject({ type: "ack", seq: 3 });
      expect((await bob.api(server).createDirect("alice")).id).toBe(direct);
    });

    it("stores a report with a copy of the reported message; 201", async () => {
      const sent = await bob.sendText(group, "something to report 🚩 <b>'\"");
      if (sent.type !== "ack") throw new Error("not acked");
      const answer = await alice.api(server).raw("POST", "/v1/reports", {
        conversationId: group,
        messageId: sent.messageId,
        userId: "bob",
        reason: "spam\nand abuse 😡",
      });
      expect(answer).toMatchObject({ status: 201, body: { report: { id: expect.any(String) } } });
      const plain = await carol.api(server).raw("POST", "/v1/reports", { conversationId: group, reason: "other" });
      expect(plain.status).toBe(201);
      const reports = await server.store.listReports({ limit: 100 });
      const stored = reports.find((r) => r.id === (answer.body as { report: { id: string } }).report.id);
      expect(stored).toMatchObject({
        reporterId: "alice",
        conversationId: group,
        messageId: sent.messageId,
        userId: "bob",
        reason: "spam\nand abuse 😡",
        status: "open",
        message: {
          id: sent.messageId,
          senderId: "bob",
          seq: sent.seq,
          body: { kind: "text", text: "something to report 🚩 <b>'\"" },
        },
      });
      expect(reports.find((r) => r.reporterId === "carol")).toMatchObject({ conversationId: group, reason: "other" });
      expect(reports.find((r) => r.reporterId === "carol")?.message).toBeUndefined();
    });

    it("refuses bad reports with a clear error and stores nothing", async () => {
      const before = (await server.store.listReports({ limit: 1000 })).length;
      const dave = await TestClient.connect(server, "dave");
      const otherMessage = await alice.sendText(direct, "in another conversation");
      if (otherMessage.type !== "ack") throw new Error("not acked");
      const cases: Array<[TestClient, unknown, number]> = [
        [dave, { conversationId: group, reason: "not a member" }, 403],
        [alice, { conversationId: "no-such-conversation", reason: "x" }, 404],
        [alice, { conversationId: group, messageId: otherMessage.messageId, reason: "x" }, 404],
        [alice, { conversationId: group, messageId: "no-such-message", reason: "x" }, 404],
        [alice, { conversationId: group, userId: "dave", reason: "not in the group" }, 400],
        [alice, { conversationId: group, reason: "" }, 400],
        [alice, { conversationId: group, reason: "   \n" }, 400],
        [alice, { conversationId: group, reason: "长".repeat(1001) }, 400],
        [alice, { conversationId: group, reason: 5 }, 400],
        [alice, { conversationId: group }, 400],
        [alice, { reason: "no conversation" }, 400],
        [alice, { conversationId: group, reason: "bad \ud800 surrogate" }, 400],
        [alice, { conversationId: group, reason: "nul \u0000" }, 400],
      ];
      for (const [client, body, status] of cases) {
        const answer = await client.api(server).raw("POST", "/v1/reports", body);
        expect(answer.status, JSON.stringify(body)).toBe(status);
      }
      expect(
        await rawRequest(server, "POST", "/v1/reports", { body: { conversationId: group, reason: "x" } }),
      ).toMatchObject({ status: 401 });
      expect((await server.store.listReports({ limit: 1000 })).length).toBe(before);
      // a reason of exactly 1000 code points is fine
      const longest = await alice.api(server).raw("POST", "/v1/reports", {
        conversationId: group,
        reason: "😀".repeat(1000),
      });
      expect(longest.status).toBe(201);
      await dave.close();
    });
  });
}

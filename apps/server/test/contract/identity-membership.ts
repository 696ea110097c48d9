import type { ServerFrame } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import { devLogin } from "../support/api";
import { TestClient } from "../support/client";
import type { SuiteKind } from "./fixture";
import { useGuaranteeServer } from "./part-server";
import { expectAck, expectError, sentinel, storedMessages, TEST_TIMEOUT, uid, waitForMessage } from "./scenario";

/** Whether a frame carries anything of the conversation `conversationId`. */
function isAbout(frame: ServerFrame, conversationId: string): boolean {
  if (frame.type === "conversation") return frame.conversation.id === conversationId;
  return "conversationId" in frame && frame.conversationId === conversationId;
}

/** Guarantee 5 (identity and membership) and membership changes. */
export function describeIdentityAndMembership(kind: SuiteKind): void {
  describe("5. identity and membership", { timeout: TEST_TIMEOUT }, () => {
    const g = useGuaranteeServer(kind);
    const { connect } = g;

    it("5. the sender is the session's user: a senderId in the frame is ignored", async () => {
      const [alice, bob] = await connect(uid("alice"), uid("bob"));
      if (!alice || !bob) throw new Error("connect");
      const group = await alice.api(g.server).createGroup("who said it", [bob.userId]);
      alice.sendRaw(
        JSON.stringify({
          type: "send",
          id: "spoof",
          conversationId: group.id,
          clientMsgId: "spoofed",
          senderId: bob.userId,
          body: { kind: "text", text: "I am bob" },
        }),
      );
      const ack = expectAck(await alice.waitFor((f) => "id" in f && f.id === "spoof"));
      const pushed = await bob.waitFor((f) => f.type === "message" && f.message.id === ack.messageId);
      expect(pushed).toMatchObject({ message: { senderId: alice.userId } });
      expect(await g.reader.findByClientMsgId(alice.userId, "spoofed")).toMatchObject({ senderId: alice.userId });
      expect(await g.reader.findByClientMsgId(bob.userId, "spoofed")).toBeNull();
      const history = await bob.api(g.server).history(group.id);
      expect(history.messages.map((m) => m.senderId)).toEqual([alice.userId]);
    });

    it("5. a non-member is refused send, sync, read, history and adding members, and receives nothing of the conversation", async () => {
      const [alice, bob, carol, eve] = await connect(uid("alice"), uid("bob"), uid("carol"), uid("eve"));
      if (!alice || !bob || !carol || !eve) throw new Error("connect");
      const group = await alice.api(g.server).createGroup("members only", [bob.userId]);
      const withEve = await alice.api(g.server).createDirect(eve.userId); // where eve's sentinel arrives
      expectAck(await bob.sendText(group.id, "before eve tries"));

      const send = await eve.sendText(group.id, "let me in", "eve-1");
      const sync = await eve.request({ type: "sync", conversationId: group.id, afterSeq: 0 });
      const read = await eve.request({ type: "read", conversationId: group.id, seq: 1 });
      for (const answer of [send, sync, read]) expectError(answer, "forbidden");
      expect(send).toMatchObject({ id: expect.any(String) });
      eve.sendRaw(JSON.stringify({ type: "typing", conversationId: group.id }));
      await eve.waitFor((f) => f.type === "error" && f.code === "forbidden" && !("id" in f && f.id));
      const eveApi = eve.api(g.server);
      const history = await eveApi.raw("GET", `/v1/conversations/${group.id}/messages`);
      const addSelf = await eveApi.raw("POST", `/v1/conversations/${group.id}/members`, { userIds: [eve.userId] });
      const addOther = await eveApi.raw("POST", `/v1/conversations/${group.id}/members`, {
        userIds: [carol.userId],
      });
      for (const answer of [history, addSelf, addOther]) {
        expect(answer).toMatchObject({ status: 403, body: { error: { code: "forbidden" } } });
      }
      // Nothing of eve's got in.
      expect((await storedMessages(g.reader, group.id)).map((m) => m.senderId)).toEqual([bob.userId]);
      expect(await g.reader.findByClientMsgId(eve.userId, "eve-1")).toBeNull();
      expect((await g.reader.getConversation(group.id))?.memberIds.sort()).toEqual([alice.userId, bob.userId].sort());
      expect((await g.reader.getConversationView(group.id, eve.userId)) ?? null).toBeNull();

      // The members chat: a message, a read (receipt), typing, a membership change, and the newcomer's message.
      const eveFrom = eve.frames.length;
      const message = expectAck(await alice.sendText(group.id, "secret"));
      await waitForMessage(bob, message.messageId);
      expect((await bob.request({ type: "read", conversationId: group.id, seq: message.seq })).type).toBe("ok");
      await alice.waitFor((f) => f.type === "receipt" && f.userId === bob.userId);
      bob.sendRaw(JSON.stringify({ type: "typing", conversationId: group.id }));
      await alice.waitFor((f) => f.type === "typing" && f.userId === bob.userId);
      await alice.api(g.server).addMembers(group.id, [carol.userId]);
      await carol.waitFor((f) => f.type === "conversation" && f.conversation.id === group.id);
      await sentinel(carol, group.id, [alice, bob]);

      // Everything above was published before this message, on the same ordered socket.
      await sentinel(alice, withEve.id, [eve]);
      expect(eve.frames.filter((f) => isAbout(f, group.id))).toEqual([]);
      expect(eve.frames.slice(eveFrom).map((f) => f.type)).not.toContain("error");
      // Presence goes only to those who share a conversation: eve shares none with bob or carol.
      expect(
        eve.frames.filter((f) => f.type === "presence" && (f.userId === bob.userId || f.userId === carol.userId)),
      ).toEqual([]);
    });

    it("10. added members get a conversation frame on every connection and can then send, sync and read; before, they could not", async () => {
      const daveId = uid("dave");
      const [alice, bob, dave, dave2] = await connect(uid("alice"), uid("bob"), daveId, daveId);
      if (!alice || !bob || !dave || !dave2) throw new Error("connect");
      const frankId = uid("frank"); // added while offline
      await devLogin(g.server, frankId);
      const group = await alice.api(g.server).createGroup("growing", [bob.userId]);
      for (let i = 1; i <= 3; i++) expectAck(await alice.sendText(group.id, `early ${i}`));

      expectError(await dave.sendText(group.id, "not yet"), "forbidden");
      expectError(await dave.request({ type: "sync", conversationId: group.id, afterSeq: 0 }), "forbidden");
      expectError(await dave.request({ type: "read", conversationId: group.id, seq: 1 }), "forbidden");
      expect((await dave.api(g.server).raw("GET", `/v1/conversations/${group.id}/messages`)).status).toBe(403);
      expect(dave.frames.filter((f) => isAbout(f, group.id))).toEqual([]);

      const bobFrom = bob.frames.length;
      const after = await alice.api(g.server).addMembers(group.id, [daveId, frankId]);
      expect([...after.memberIds].sort()).toEqual([alice.userId, bob.userId, daveId, frankId].sort());
      for (const client of [dave, dave2]) {
        const told = await client.waitFor((f) => f.type === "conversation" && f.conversation.id === group.id);
        // The addition is a members_added system message at seq 4 (protocol 1.1).
        expect(told).toMatchObject({ conversation: { id: group.id, kind: "group", title: "growing", lastSeq: 4 } });
        expect(told.type === "conversation" && told.conversation.memberIds).toContain(daveId);
      }
      const bobTold = await bob.waitFor((f) => f.type === "conversation" && f.conversation.id === group.id, undefined, {
        fromIndex: bobFrom,
      });
      expect(bobTold.type === "conversation" && bobTold.conversation.memberIds).toContain(daveId);

      const synced = await dave.request({ type: "sync", conversationId: group.id, afterSeq: 0 });
      expect(synced).toMatchObject({ type: "batch", conversationId: group.id, hasMore: false });
      const hello = expectAck(await dave.sendText(group.id, "hello, I am new"));
      expect(hello.seq).toBe(5);
      for (const client of [alice, bob, dave, dave2]) await waitForMessage(client, hello.messageId);
      const reply = expectAck(await bob.sendText(group.id, "welcome"));
      await waitForMessage(dave2, reply.messageId);
      expect(await dave.request({ type: "read", conversationId: group.id, seq: reply.seq })).toMatchObject({
        type: "ok",
      });
      await alice.waitFor((f) => f.type === "receipt" && f.userId === daveId && f.seq === reply.seq);

      // The member added while offline finds the conversation on login and catches up.
      const frank = g.keep(await TestClient.connect(g.server, frankId));
      const listed = (await frank.api(g.server).conversations()).find((c) => c.id === group.id);
      expect(listed).toMatchObject({ lastSeq: 6 });
      const frankSync = await frank.request({ type: "sync", conversationId: group.id, afterSeq: 3 });
      expect(
        frankSync.type === "batch" &&
          frankSync.messages.map((m) =>
            m.body.kind === "text" ? m.body.text : m.body.kind === "system" && m.body.event,
          ),
      ).toEqual(["members_added", "hello, I am new", "welcome"]);
      expectAck(await frank.sendText(group.id, "me too"));
    });
  });
}

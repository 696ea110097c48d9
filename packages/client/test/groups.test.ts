import type { Message } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import type { ChatError } from "../src/errors";
import { login, realClient, until, useRealServer } from "./support/real-server";

describe("groups people run, through the client", () => {
  const real = useRealServer();

  async function online(userId: string) {
    const server = real.server;
    const pair = realClient(server, await login(server, userId));
    real.onCleanup(() => pair.client.close());
    pair.client.connect();
    await until(pair.client, () => pair.client.state === "online", `${userId} online`);
    return pair.client;
  }

  it("exposes roles and shows each change as a system message in the timeline, in order", {
    timeout: 30_000,
  }, async () => {
    await real.start();
    const alice = await online("alice");
    const bob = await online("bob");
    const group = await alice.createGroup("Club", ["bob"]);
    expect(group).toMatchObject({ ownerId: "alice", adminIds: [], mutedAll: false });
    await until(bob, () => bob.conversation(group.id) !== undefined, "bob knows the group", 8_000);

    await alice.updateGroup(group.id, { title: "Book club", announcement: "Thursdays" });
    await alice.setAdmin(group.id, "bob", true);
    const muted = await alice.mute(group.id, Date.now() + 60_000);
    expect(muted.mutedAll).toBe(true);
    await until(bob, () => bob.messages(group.id).length === 4, "bob has the four system messages", 8_000);
    const events = bob.messages(group.id).map((m: Message) => (m.body.kind === "system" ? m.body.event : m.body.kind));
    expect(events).toEqual(["title_changed", "announcement_changed", "admins_changed", "muted_all"]);
    expect(bob.messages(group.id).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    await until(
      bob,
      () => bob.conversation(group.id)?.adminIds?.includes("bob") === true,
      "bob sees he is an admin",
      8_000,
    );
    expect(bob.conversation(group.id)).toMatchObject({ title: "Book club", announcement: "Thursdays", mutedAll: true });

    const refused = await bob.dissolveGroup(group.id).catch((error: unknown) => error);
    expect((refused as ChatError).code).toBe("forbidden");
    const owned = await alice.transferOwner(group.id, "bob");
    expect(owned).toMatchObject({ ownerId: "bob", adminIds: [] });
  });

  it("a removed member's client drops the conversation, stops syncing it and tells the page", {
    timeout: 30_000,
  }, async () => {
    await real.start();
    const alice = await online("alice");
    const bob = await online("bob");
    const bobTablet = await online("bob");
    const group = await alice.createGroup("Temporary", ["bob"]);
    await until(bob, () => bob.conversation(group.id) !== undefined, "bob knows the group", 8_000);
    await until(bobTablet, () => bobTablet.conversation(group.id) !== undefined, "the tablet knows it too", 8_000);
    const removedEvents: unknown[] = [];
    bob.on("conversationRemoved", (event) => removedEvents.push(event));

    await alice.removeMember(group.id, "bob");
    await until(bob, () => removedEvents.length === 1, "bob hears of the removal", 8_000);
    expect(removedEvents).toEqual([{ conversationId: group.id, reason: "removed" }]);
    expect(bob.conversation(group.id)).toBeUndefined();
    expect(bob.conversations().map((c) => c.id)).not.toContain(group.id);
    expect(bob.messages(group.id)).toEqual([]);
    await until(bobTablet, () => bobTablet.conversation(group.id) === undefined, "the tablet drops it too", 8_000);
    // A refreshed list does not bring it back.
    await bob.listConversations();
    expect(bob.conversation(group.id)).toBeUndefined();

    // Leaving: the leaver's own client drops it at once; the others see member_left.
    const other = await alice.createGroup("Another", ["bob"]);
    await until(bob, () => bob.conversation(other.id) !== undefined, "bob knows the other group", 8_000);
    await bob.leaveGroup(other.id);
    expect(bob.conversation(other.id)).toBeUndefined();
    await until(
      alice,
      () => alice.messages(other.id).some((m) => m.body.kind === "system"),
      "alice sees bob leave",
      8_000,
    );
    expect(alice.messages(other.id).at(-1)?.body).toEqual({ kind: "system", event: "member_left", userIds: ["bob"] });
  });
});

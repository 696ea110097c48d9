import type { User } from "@mpchat/protocol";
import { describe, expect, it } from "vitest";
import { ChatError } from "../src/errors";
import { login, realClient, until, useRealServer } from "./support/real-server";

describe("profiles and invites through the client", () => {
  const real = useRealServer();

  async function online(userId: string) {
    const server = real.server;
    const pair = realClient(server, await login(server, userId));
    real.onCleanup(() => pair.client.close());
    pair.client.connect();
    await until(pair.client, () => pair.client.state === "online", `${userId} online`);
    return pair.client;
  }

  it("a profile change arrives as a `user` event and updates the peer's directory", { timeout: 30_000 }, async () => {
    await real.start();
    const alice = await online("alice");
    const bob = await online("bob");
    await alice.createDirect("bob");
    expect(await bob.users.resolve(["alice", "bob", "nobody"])).toEqual([
      { id: "alice", name: "alice" },
      { id: "bob", name: "bob" },
    ]);
    const heard: User[] = [];
    bob.on("user", (user) => heard.push(user));

    expect(await alice.updateProfile({ name: "Alice 🌸" })).toEqual({ id: "alice", name: "Alice 🌸" });
    await until(bob, () => bob.users.get("alice")?.name === "Alice 🌸", "bob hears the new name");
    expect(heard).toEqual([{ id: "alice", name: "Alice 🌸" }]);
    expect(alice.users.get("alice")?.name).toBe("Alice 🌸");

    const refused = await alice.updateProfile({ name: "bad\nname" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ChatError);
    expect((refused as ChatError).code).toBe("bad_request");
  });

  it("creates, shows, accepts and revokes invites", { timeout: 30_000 }, async () => {
    await real.start();
    const alice = await online("alice");
    const carol = await online("carol");
    const group = await alice.createGroup("Book club", []);
    const invite = await alice.api.createInvite(group.id);
    expect(invite.code.length).toBeGreaterThanOrEqual(16);
    expect(await carol.api.getInvite(invite.code)).toMatchObject({
      inviter: { id: "alice" },
      conversation: { id: group.id, title: "Book club", memberCount: 1 },
    });
    const joined = await carol.acceptInvite(invite.code);
    expect(joined.memberIds).toEqual(["alice", "carol"]);
    expect(carol.conversation(group.id)?.memberIds).toEqual(["alice", "carol"]);

    const direct = await carol.api.createInvite();
    expect((await alice.acceptInvite(direct.code)).kind).toBe("direct");
    await carol.api.revokeInvite(direct.code);
    const gone = await alice.api.getInvite(direct.code).catch((error: unknown) => error);
    expect((gone as ChatError).code).toBe("not_found");
    expect((gone as ChatError).status).toBe(404);
  });
});

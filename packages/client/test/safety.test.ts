import { describe, expect, it } from "vitest";
import { ChatError } from "../src/errors";
import { login, realClient, until, useRealServer } from "./support/real-server";

describe("ChatClient: block, unblock, blocks, report (real server)", () => {
  const real = useRealServer();

  it("blocks and unblocks, and a blocked user's send fails for good with forbidden", { timeout: 30_000 }, async () => {
    const server = await real.start();
    const alice = realClient(server, await login(server, "alice"));
    const bob = realClient(server, await login(server, "bob"));
    real.onCleanup(
      () => alice.client.close(),
      () => bob.client.close(),
    );
    bob.client.connect();
    await until(bob.client, () => bob.client.state === "online", "bob online");
    const direct = await alice.client.createDirect("bob");

    expect(await alice.client.block("bob")).toEqual({ userId: "bob", createdAt: expect.any(Number) });
    expect(await alice.client.blocks()).toEqual([{ userId: "bob", createdAt: expect.any(Number) }]);
    await expect(bob.client.send(direct.id, "let me in").done).rejects.toMatchObject({ code: "forbidden" });
    expect(bob.client.outbox()).toMatchObject([{ status: "failed" }]);
    const refused: unknown = await bob.client.createDirect("alice").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ChatError);
    expect(refused).toMatchObject({ code: "forbidden", status: 403 });

    await alice.client.unblock("bob");
    await alice.client.unblock("bob");
    expect(await alice.client.blocks()).toEqual([]);
    const message = await bob.client.send(direct.id, "thanks").done;

    const report = await alice.client.report({ conversationId: direct.id, messageId: message.id, reason: "spam" });
    expect(report).toEqual({ id: expect.any(String), createdAt: expect.any(Number) });
    await expect(alice.client.report({ conversationId: direct.id, reason: "" })).rejects.toMatchObject({
      code: "bad_request",
    });
  });
});

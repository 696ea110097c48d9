import type { User, UserFrame } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MediaRecord } from "../src/store/profile-records";
import { CLUSTER_SKIP_REASON, suiteTitle } from "./cluster/support/env";
import { startGuaranteeServer } from "./contract/fixture";
import { api, devLogin, rawRequest } from "./support/api";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

const WAIT_MS = 30_000;
let counter = 0;
const uid = (prefix: string) => `${prefix}${++counter}_${Math.random().toString(36).slice(2, 8)}`;

/** A media record as the upload route will store it (the route comes later; tests seed the store). */
async function seedMedia(server: TestServer, uploaderId: string, kind: MediaRecord["kind"] = "image") {
  const media: MediaRecord = {
    id: uid("md"),
    uploaderId,
    clientMediaId: uid("cm"),
    kind,
    mime: kind === "image" ? "image/jpeg" : "audio/aac",
    size: 1000,
    storageKey: `k/${uid("k")}`,
    createdAt: Date.now(),
  };
  return (await server.store.createMedia(media)).media;
}

const isUserFrame =
  (user: Partial<User>) =>
  (frame: { type: string }): frame is UserFrame =>
    frame.type === "user" && expect.objectContaining(user).asymmetricMatch((frame as UserFrame).user);

describe("profiles: PATCH /v1/me and GET /v1/users (one server, SQLite)", () => {
  let server: TestServer;
  let alice: TestClient;
  let bob: TestClient;
  let stranger: TestClient;

  beforeAll(async () => {
    server = await startTestServer();
    alice = await TestClient.connect(server, "alice", "Alice");
    bob = await TestClient.connect(server, "bob", "Bob");
    stranger = await TestClient.connect(server, "stranger", "Stranger");
    await alice.api(server).createDirect("bob");
  });
  afterAll(async () => {
    await Promise.all([alice, bob, stranger].map((c) => c?.close()));
    await server?.close();
  });

  it("renames: answers the user, pushes `user` to peers and the user's own sockets, not to strangers", async () => {
    const aliceSecond = await TestClient.connect(server, "alice");
    const answer = await alice.api(server).raw("PATCH", "/v1/me", { name: "爱丽丝 🌸" });
    expect(answer).toMatchObject({ status: 200, body: { user: { id: "alice", name: "爱丽丝 🌸" } } });
    await bob.waitFor(isUserFrame({ id: "alice", name: "爱丽丝 🌸" }), WAIT_MS);
    await aliceSecond.waitFor(isUserFrame({ id: "alice", name: "爱丽丝 🌸" }), WAIT_MS);
    // The local bus delivers before PATCH answers: a pong after it shows nothing was written before.
    await stranger.request({ type: "ping" });
    expect(stranger.frames.filter((f) => f.type === "user")).toEqual([]);
    expect(await alice.api(server).me()).toEqual({ id: "alice", name: "爱丽丝 🌸" });
    await aliceSecond.close();
  });

  it("sets an avatar that is the caller's own image, shows it in /v1/me, users and login, and removes it", async () => {
    const image = await seedMedia(server, "alice");
    const answer = await alice.api(server).raw("PATCH", "/v1/me", { avatarMediaId: image.id });
    expect(answer).toMatchObject({ status: 200, body: { user: { id: "alice", avatarMediaId: image.id } } });
    await bob.waitFor(isUserFrame({ id: "alice", avatarMediaId: image.id }), WAIT_MS);
    expect((await alice.api(server).me()).avatarMediaId).toBe(image.id);
    expect((await devLogin(server, "alice")).user.avatarMediaId).toBe(image.id);
    const seen = (await bob.api(server).raw("GET", "/v1/users?ids=alice")).body as { users: User[] };
    expect(seen.users).toEqual([{ id: "alice", name: "爱丽丝 🌸", avatarMediaId: image.id }]);

    const removed = await alice.api(server).raw("PATCH", "/v1/me", { avatarMediaId: null });
    expect(removed).toMatchObject({ status: 200 });
    expect((removed.body as { user: User }).user).toEqual({ id: "alice", name: "爱丽丝 🌸" });
  });

  it("refuses an avatar that is not an image the caller uploaded, changing nothing", async () => {
    const bobsImage = await seedMedia(server, "bob");
    const ownVoice = await seedMedia(server, "alice", "voice");
    const cases: Array<[unknown, number, string]> = [
      [{ avatarMediaId: bobsImage.id }, 403, "forbidden"],
      [{ avatarMediaId: "no_such_media_id" }, 403, "forbidden"],
      [{ avatarMediaId: ownVoice.id }, 400, "bad_request"],
      [{ avatarMediaId: "not an id!" }, 400, "bad_request"],
      [{ avatarMediaId: 42 }, 400, "bad_request"],
      [{ name: "Mallory", avatarMediaId: bobsImage.id }, 403, "forbidden"],
    ];
    for (const [body, status, code] of cases) {
      const answer = await alice.api(server).raw("PATCH", "/v1/me", body);
      expect({ body, status: answer.status, answer: answer.body }).toMatchObject({
        body,
        status,
        answer: { error: { code } },
      });
    }
    expect(await alice.api(server).me()).toEqual({ id: "alice", name: "爱丽丝 🌸" });
  });

  it("refuses bad names with 400 and stores nothing; accepts 32 code points of emoji", async () => {
    const bad: unknown[] = [
      { name: "" },
      { name: "x".repeat(33) },
      { name: "🌸".repeat(33) },
      { name: "line\nbreak" },
      { name: "tab\there" },
      { name: "nul\u0000" },
      { name: "bell\u0007" },
      { name: "del\u007f" },
      { name: "c1\u0085" },
      { name: "c1\u009f" },
      { name: "rtl\u202eevil" },
      { name: "embed\u202a" },
      { name: "isolate\u2066" },
      { name: "isolate\u2069" },
      { name: "lone\ud800" },
      { name: "lone\udc00x" },
      { name: 7 },
      { name: null },
      { name: ["Alice"] },
      {},
      { unknownField: "x" },
    ];
    for (const body of bad) {
      const answer = await alice.api(server).raw("PATCH", "/v1/me", body);
      expect({ body, status: answer.status, answer: answer.body }).toMatchObject({
        body,
        status: 400,
        answer: { error: { code: "bad_request" } },
      });
    }
    for (const rawBody of ["not json", "[]", '"name"']) {
      const answer = await rawRequest(server, "PATCH", "/v1/me", {
        token: alice.token,
        rawBody,
        headers: { "content-type": "application/json" },
      });
      expect({ rawBody, status: answer.status }).toEqual({ rawBody, status: 400 });
    }
    expect(await alice.api(server).me()).toEqual({ id: "alice", name: "爱丽丝 🌸" });
    // The server still serves others.
    expect((await bob.api(server).me()).name).toBe("Bob");

    const longest = "🌸".repeat(32);
    expect((await alice.api(server).raw("PATCH", "/v1/me", { name: longest })).status).toBe(200);
    expect((await alice.api(server).me()).name).toBe(longest);
  });

  it("GET /v1/users answers the caller and those sharing a conversation, in the order asked; others left out", async () => {
    const answer = await bob.api(server).raw("GET", "/v1/users?ids=stranger,alice,nobody_here,bob,alice");
    expect(answer.status).toBe(200);
    const users = (answer.body as { users: User[] }).users;
    expect(users.map((u) => u.id)).toEqual(["alice", "bob"]);
    expect(users[1]).toEqual({ id: "bob", name: "Bob" });
    const strangers = await stranger.api(server).raw("GET", "/v1/users?ids=alice,bob");
    expect(strangers).toMatchObject({ status: 200, body: { users: [] } });
  });

  it("GET /v1/users refuses bad queries with 400 and takes up to 100 ids", async () => {
    const hundred = Array.from({ length: 100 }, (_, i) => `u${i}`);
    const bad = [
      "/v1/users",
      "/v1/users?ids=",
      "/v1/users?ids=alice,",
      "/v1/users?ids=,alice",
      `/v1/users?ids=${[...hundred, "alice"].join(",")}`,
      `/v1/users?ids=${encodeURIComponent("a b")}`,
      `/v1/users?ids=${encodeURIComponent("al🌸ce")}`,
      `/v1/users?ids=${"x".repeat(65)}`,
      "/v1/users?ids=alice&ids=bob",
    ];
    for (const path of bad) {
      const answer = await bob.api(server).raw("GET", path);
      expect({ path, status: answer.status, body: answer.body }).toMatchObject({
        path,
        status: 400,
        body: { error: { code: "bad_request" } },
      });
    }
    const ok = await bob.api(server).raw("GET", `/v1/users?ids=${[...hundred.slice(1), "bob"].join(",")}`);
    expect(ok).toMatchObject({ status: 200, body: { users: [{ id: "bob" }] } });
  });

  it("POST /v1/me is PATCH for clients without PATCH (wx.request), with the same checks", async () => {
    const answer = await bob.api(server).raw("POST", "/v1/me", { name: "Bobby" });
    expect(answer).toMatchObject({ status: 200, body: { user: { id: "bob", name: "Bobby" } } });
    await alice.waitFor(isUserFrame({ id: "bob", name: "Bobby" }), WAIT_MS);
    expect((await bob.api(server).raw("POST", "/v1/me", { name: "a\nb" })).status).toBe(400);
    expect((await bob.api(server).raw("PATCH", "/v1/me", { name: "Bob" })).status).toBe(200);
  });

  it("needs a token", async () => {
    expect((await rawRequest(server, "PATCH", "/v1/me", { body: { name: "x" } })).status).toBe(401);
    expect((await rawRequest(server, "POST", "/v1/me", { body: { name: "x" } })).status).toBe(401);
    expect((await rawRequest(server, "GET", "/v1/users?ids=alice")).status).toBe(401);
  });
});

describe.skipIf(CLUSTER_SKIP_REASON !== undefined)(
  suiteTitle("profiles across instances (MySQL + Redis, 3 in-process instances)"),
  () => {
    let fixture: Awaited<ReturnType<typeof startGuaranteeServer>>;

    beforeAll(async () => {
      fixture = await startGuaranteeServer("cluster");
    }, 120_000);
    afterAll(async () => {
      await fixture?.close();
    });

    it("a profile change reaches a peer's socket on another instance, and not a stranger's", async () => {
      const group = fixture.server as unknown as { at(i: number): TestServer };
      const [one, two, three] = [group.at(0), group.at(1), group.at(2)];
      const carol = await TestClient.connect(one, uid("carol"), "Carol");
      const dave = await TestClient.connect(two, uid("dave"), "Dave");
      const eve = await TestClient.connect(three, uid("eve"), "Eve");
      try {
        await api(one, carol.token).createGroup("team", [dave.userId]);
        const renamed = await api(one, carol.token).raw("PATCH", "/v1/me", { name: "Carol ✈" });
        expect(renamed.status).toBe(200);
        await dave.waitFor(isUserFrame({ id: carol.userId, name: "Carol ✈" }), WAIT_MS);
        // Eve becomes a contact, then a second change: published after the first by the same
        // instance on the same channel, so Eve would have had the first one before it.
        await api(one, carol.token).createDirect(eve.userId);
        await api(one, carol.token).raw("PATCH", "/v1/me", { name: "Carol 2" });
        await eve.waitFor(isUserFrame({ id: carol.userId, name: "Carol 2" }), WAIT_MS);
        const eveSaw = eve.frames.filter((f): f is UserFrame => f.type === "user").map((f) => f.user.name);
        expect(eveSaw).toEqual(["Carol 2"]);
        const looked = await api(two, dave.token).raw("GET", `/v1/users?ids=${carol.userId},${eve.userId}`);
        expect(looked).toMatchObject({ status: 200, body: { users: [{ id: carol.userId, name: "Carol 2" }] } });
      } finally {
        await Promise.all([carol, dave, eve].map((c) => c.close()));
      }
    });
  },
);

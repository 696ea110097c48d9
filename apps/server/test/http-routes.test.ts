import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, rawRequest } from "./support/api";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

describe("HTTP routes", () => {
  let server: TestServer;
  let alice: TestClient;
  let bob: TestClient;
  let carol: TestClient;
  let aliceApi: Api;

  beforeAll(async () => {
    server = await startTestServer();
    alice = await TestClient.connect(server, "alice", "ALICE");
    bob = await TestClient.connect(server, "bob", "BOB");
    carol = await TestClient.connect(server, "carol", "CAROL");
    aliceApi = alice.api(server);
  });
  afterAll(async () => {
    await Promise.all([alice, bob, carol].map((client) => client?.close()));
    await server?.close();
  });

  it("GET /healthz and /readyz answer 200", async () => {
    expect((await rawRequest(server, "GET", "/healthz")).status).toBe(200);
    expect(await rawRequest(server, "GET", "/readyz")).toMatchObject({ status: 200, body: { status: "ready" } });
  });

  it("GET /v1/me answers the user", async () => {
    expect(await aliceApi.me()).toEqual({ id: "alice", name: "ALICE" });
  });

  it("POST /v1/conversations direct: 201 once, then 200 with the same conversation", async () => {
    const first = await aliceApi.raw("POST", "/v1/conversations", { kind: "direct", peerId: "carol" });
    const again = await carol.api(server).raw("POST", "/v1/conversations", { kind: "direct", peerId: "alice" });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    const a = (first.body as { conversation: { id: string; memberIds: string[] } }).conversation;
    expect((again.body as { conversation: { id: string } }).conversation.id).toBe(a.id);
    expect([...a.memberIds].sort()).toEqual(["alice", "carol"]);
    // The peer hears about the new conversation.
    await carol.waitFor((f) => f.type === "conversation" && f.conversation.id === a.id);
  });

  it("refuses a direct conversation with oneself (400) or an unknown user (404)", async () => {
    expect((await aliceApi.raw("POST", "/v1/conversations", { kind: "direct", peerId: "alice" })).status).toBe(400);
    expect((await aliceApi.raw("POST", "/v1/conversations", { kind: "direct", peerId: "ghost" })).status).toBe(404);
  });

  it("POST /v1/conversations group: 201, creator included, members told", async () => {
    const group = await aliceApi.createGroup("team", ["bob"]);
    expect(group).toMatchObject({ kind: "group", title: "team", lastSeq: 0, unread: 0 });
    expect([...group.memberIds].sort()).toEqual(["alice", "bob"]);
    await bob.waitFor((f) => f.type === "conversation" && f.conversation.id === group.id);
  });

  it("POST /v1/conversations/:id/members adds members and tells new and old members", async () => {
    const group = await aliceApi.createGroup("grow", ["bob"]);
    // The creation's push travels on another socket than the HTTP answer: wait for it before counting.
    const created = await bob.waitFor((f) => f.type === "conversation" && f.conversation.id === group.id);
    const bobFrom = bob.frames.indexOf(created) + 1;
    const after = await aliceApi.addMembers(group.id, ["carol"]);
    expect([...after.memberIds].sort()).toEqual(["alice", "bob", "carol"]);
    await carol.waitFor((f) => f.type === "conversation" && f.conversation.id === group.id);
    const told = await bob.waitFor((f) => f.type === "conversation" && f.conversation.id === group.id, undefined, {
      fromIndex: bobFrom,
    });
    expect(told.type === "conversation" && told.conversation.memberIds).toContain("carol");
  });

  it("refuses adding members for a non-member (403), to a direct conversation (400), of unknown users (404)", async () => {
    const group = await aliceApi.createGroup("closed", ["bob"]);
    const direct = await aliceApi.createDirect("bob");
    const carolApi = carol.api(server);
    expect((await carolApi.raw("POST", `/v1/conversations/${group.id}/members`, { userIds: ["carol"] })).status).toBe(
      403,
    );
    expect((await aliceApi.raw("POST", `/v1/conversations/${direct.id}/members`, { userIds: ["carol"] })).status).toBe(
      400,
    );
    expect((await aliceApi.raw("POST", `/v1/conversations/${group.id}/members`, { userIds: ["ghost"] })).status).toBe(
      404,
    );
  });

  it("GET /v1/conversations/:id/messages pages with afterSeq, beforeSeq and limit", async () => {
    const group = await aliceApi.createGroup("history", ["bob"]);
    for (let i = 1; i <= 5; i++) expect(await alice.sendText(group.id, `m${i}`)).toMatchObject({ seq: i });
    const seqs = (page: { messages: Array<{ seq: number }> }) => page.messages.map((m) => m.seq);
    const newest = await aliceApi.history(group.id);
    expect([seqs(newest), newest.hasMore]).toEqual([[1, 2, 3, 4, 5], false]);
    const after = await aliceApi.history(group.id, { afterSeq: 2, limit: 2 });
    expect([seqs(after), after.hasMore]).toEqual([[3, 4], true]);
    const before = await aliceApi.history(group.id, { beforeSeq: 4, limit: 2 });
    expect([seqs(before), before.hasMore]).toEqual([[2, 3], true]);
    const last = await aliceApi.history(group.id, { limit: 2 });
    expect(seqs(last)).toEqual([4, 5]);
    expect(newest.messages[0]).toMatchObject({ senderId: "alice", body: { kind: "text", text: "m1" } });
  });

  it.each(["limit=0", "limit=201", "afterSeq=-1", "afterSeq=1&beforeSeq=3", "limit=abc"])(
    "refuses history query %s with 400",
    async (query) => {
      const group = await aliceApi.createGroup("q", []);
      const answer = await aliceApi.raw("GET", `/v1/conversations/${group.id}/messages?${query}`);
      expect(answer).toMatchObject({ status: 400, body: { error: { code: "bad_request" } } });
    },
  );

  it("refuses history to a non-member (403) and of an unknown conversation (404)", async () => {
    const group = await aliceApi.createGroup("secret", ["bob"]);
    expect((await carol.api(server).raw("GET", `/v1/conversations/${group.id}/messages`)).status).toBe(403);
    expect((await aliceApi.raw("GET", "/v1/conversations/nope/messages")).status).toBe(404);
  });

  it("GET /v1/conversations lists most recent activity first with unread counts", async () => {
    const older = await aliceApi.createGroup("older", ["bob"]);
    const newer = await aliceApi.createGroup("newer", ["bob"]);
    await bob.sendText(newer.id, "one");
    await bob.sendText(newer.id, "two");
    await bob.sendText(older.id, "three");
    const list = await aliceApi.conversations();
    const ids = list.map((c) => c.id);
    expect(ids.indexOf(older.id)).toBeLessThan(ids.indexOf(newer.id));
    expect(list.find((c) => c.id === newer.id)).toMatchObject({ unread: 2, lastSeq: 2, readSeq: 0 });
    expect(list.find((c) => c.id === older.id)).toMatchObject({ unread: 1, lastMessage: { body: { text: "three" } } });
  });

  it("answers errors in the protocol's shape", async () => {
    const token = alice.token;
    const cases = [
      [await rawRequest(server, "GET", "/v1/nope"), 404, "not_found"],
      [await rawRequest(server, "GET", "/v1/conversations"), 401, "unauthorized"],
      [
        await rawRequest(server, "POST", "/v1/conversations", { token, rawBody: "{", headers: json }),
        400,
        "bad_request",
      ],
      [
        await rawRequest(server, "POST", "/v1/conversations", { token, rawBody: "x", headers: text }),
        400,
        "bad_request",
      ],
      [await rawRequest(server, "POST", "/v1/conversations", { token, body: { kind: "x" } }), 400, "bad_request"],
      [await rawRequest(server, "POST", "/v1/auth/dev", { body: { userId: "x".repeat(300_000) } }), 413, "too_large"],
    ] as const;
    for (const [answer, status, code] of cases) {
      expect(answer.status).toBe(status);
      expect(answer.body).toEqual({ error: { code, message: expect.any(String) } });
    }
  });
});

const json = { "content-type": "application/json" };
const text = { "content-type": "text/plain" };

describe("/readyz when a dependency is down", () => {
  it("answers 503 unavailable when the store does not answer", async () => {
    const healthy = await startTestServer();
    const failingStore = new Proxy(healthy.store, {
      get: (target, property, receiver) =>
        property === "ping"
          ? async () => Promise.reject(new Error("db down"))
          : Reflect.get(target, property, receiver),
    });
    const server = await startTestServer({ deps: { store: failingStore } });
    try {
      const answer = await rawRequest(server, "GET", "/readyz");
      expect(answer).toMatchObject({ status: 503, body: { error: { code: "unavailable" } } });
      expect((await rawRequest(server, "GET", "/healthz")).status).toBe(200);
    } finally {
      await server.close();
      await healthy.close();
    }
  });
});

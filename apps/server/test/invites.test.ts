import type { Conversation, ConversationFrame, CreateInviteResponse, InviteDetailsResponse } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, rawRequest } from "./support/api";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

const WAIT_MS = 30_000;
const DAY_MS = 24 * 60 * 60 * 1000;

for (const store of ["sqlite", "mysql"] as const) describeInvites(store);

function describeInvites(store: "sqlite" | "mysql"): void {
  describe(`invites (${store})`, () => {
    let server: TestServer;
    /** The server's clock: tests move it to expire invites. */
    let clock = Date.now();
    let alice: TestClient;
    let bob: TestClient;
    let carol: TestClient;
    let aliceApi: Api;
    let bobApi: Api;
    let carolApi: Api;

    const createInvite = async (as: Api, body: unknown = {}): Promise<CreateInviteResponse["invite"]> => {
      const answer = await as.raw("POST", "/v1/invites", body);
      expect(answer.status).toBe(201);
      return (answer.body as CreateInviteResponse).invite;
    };

    beforeAll(async () => {
      // Tokens outlive the moved clock: only the invites may expire here.
      server = await startTestServer({
        store,
        deps: { now: () => clock },
        config: { tokenTtlSeconds: 365 * 24 * 60 * 60 },
      });
      alice = await TestClient.connect(server, "alice", "Alice");
      bob = await TestClient.connect(server, "bob", "Bob");
      carol = await TestClient.connect(server, "carol", "Carol");
      [aliceApi, bobApi, carolApi] = [alice, bob, carol].map((c) => c.api(server)) as [Api, Api, Api];
    });
    afterAll(async () => {
      await Promise.all([alice, bob, carol].map((c) => c?.close()));
      await server?.close();
    });

    it("makes unguessable codes of at least 16 characters, valid 7 days", async () => {
      const codes = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const invite = await createInvite(aliceApi);
        expect(invite.code).toMatch(/^[A-Za-z0-9_-]{16,}$/);
        expect(invite.expiresAt).toBe(clock + 7 * DAY_MS);
        codes.add(invite.code);
      }
      expect(codes.size).toBe(20);
      // No body at all works like an empty one.
      const bare = await rawRequest(server, "POST", "/v1/invites", { token: alice.token });
      expect(bare.status).toBe(201);
    });

    it("a direct invite shows the inviter; accepting creates the direct conversation, then finds it (multi-use)", async () => {
      const { code, expiresAt } = await createInvite(aliceApi);
      const shown = await bobApi.raw("GET", `/v1/invites/${code}`);
      expect(shown.status).toBe(200);
      expect((shown.body as InviteDetailsResponse).invite).toEqual({
        code,
        expiresAt,
        inviter: { id: "alice", name: "Alice" },
      });

      const from = alice.frames.length;
      const accepted = await bobApi.raw("POST", `/v1/invites/${code}/accept`);
      expect(accepted.status).toBe(200);
      const conversation = (accepted.body as { conversation: Conversation }).conversation;
      expect(conversation).toMatchObject({ kind: "direct" });
      expect([...conversation.memberIds].sort()).toEqual(["alice", "bob"]);
      // The inviter hears of the new conversation.
      await alice.waitFor(
        (f) => f.type === "conversation" && (f as ConversationFrame).conversation.id === conversation.id,
        WAIT_MS,
        { fromIndex: from },
      );
      const again = await bobApi.raw("POST", `/v1/invites/${code}/accept`);
      expect((again.body as { conversation: Conversation }).conversation.id).toBe(conversation.id);
      // The same code serves someone else too.
      const carols = await carolApi.raw("POST", `/v1/invites/${code}/accept`);
      expect((carols.body as { conversation: Conversation }).conversation.memberIds).toEqual(
        expect.arrayContaining(["alice", "carol"]),
      );
    });

    it("accepting one's own direct invite is a bad request", async () => {
      const { code } = await createInvite(aliceApi);
      expect(await aliceApi.raw("POST", `/v1/invites/${code}/accept`)).toMatchObject({
        status: 400,
        body: { error: { code: "bad_request" } },
      });
    });

    it("a group invite shows the group; accepting joins through the member path (others hear of it)", async () => {
      const group = await aliceApi.createGroup("Hiking 🏔", ["bob"]);
      const { code } = await createInvite(bobApi, { conversationId: group.id });
      const shown = (await carolApi.raw("GET", `/v1/invites/${code}`)).body as InviteDetailsResponse;
      expect(shown.invite).toMatchObject({
        code,
        inviter: { id: "bob", name: "Bob" },
        conversation: { id: group.id, title: "Hiking 🏔", memberCount: 2 },
      });

      const from = alice.frames.length;
      const accepted = await carolApi.raw("POST", `/v1/invites/${code}/accept`);
      expect(accepted.status).toBe(200);
      const joined = (accepted.body as { conversation: Conversation }).conversation;
      expect(joined).toMatchObject({ id: group.id, kind: "group", memberIds: ["alice", "bob", "carol"] });
      await alice.waitFor(
        (f) => f.type === "conversation" && (f as ConversationFrame).conversation.memberIds.includes("carol"),
        WAIT_MS,
        { fromIndex: from },
      );
      // Carol is a member now: she can send there.
      expect((await carol.sendText(group.id, "hi all")).type).toBe("ack");
      // Accepting again changes nothing.
      const again = await carolApi.raw("POST", `/v1/invites/${code}/accept`);
      expect((again.body as { conversation: Conversation }).conversation.memberIds).toEqual(["alice", "bob", "carol"]);
    });

    it("refuses group invites from non-members (403), into direct conversations (400), to unknown ones (404)", async () => {
      const group = await aliceApi.createGroup("private", []);
      const direct = await aliceApi.createDirect("bob");
      const cases: Array<[Api, unknown, number, string]> = [
        [carolApi, { conversationId: group.id }, 403, "forbidden"],
        [aliceApi, { conversationId: direct.id }, 400, "bad_request"],
        [aliceApi, { conversationId: "no_such_conversation" }, 404, "not_found"],
        [aliceApi, { conversationId: "bad id!" }, 400, "bad_request"],
        [aliceApi, { conversationId: 12 }, 400, "bad_request"],
        [aliceApi, { conversationId: null }, 400, "bad_request"],
        [aliceApi, [], 400, "bad_request"],
      ];
      for (const [as, body, status, code] of cases) {
        const answer = await as.raw("POST", "/v1/invites", body);
        expect({ body, status: answer.status, answer: answer.body }).toMatchObject({
          body,
          status,
          answer: { error: { code } },
        });
      }
    });

    it("expires after 7 days: 404 for showing, accepting and revoking", async () => {
      const group = await aliceApi.createGroup("expiring", []);
      const { code, expiresAt } = await createInvite(aliceApi, { conversationId: group.id });
      try {
        clock = expiresAt - 1;
        expect((await bobApi.raw("GET", `/v1/invites/${code}`)).status).toBe(200);
        clock = expiresAt;
        await expectAllGone(code);
      } finally {
        clock = Date.now();
      }
      expect((await aliceApi.conversations()).find((c) => c.id === group.id)?.memberIds).toEqual(["alice"]);
    });

    const expectAllGone = async (code: string) => {
      for (const [method, path] of [
        ["GET", `/v1/invites/${code}`],
        ["POST", `/v1/invites/${code}/accept`],
        ["DELETE", `/v1/invites/${code}`],
      ] as const) {
        const answer = await (method === "DELETE" ? aliceApi : bobApi).raw(method, path);
        expect({ path, method, status: answer.status, body: answer.body }).toMatchObject({
          status: 404,
          body: { error: { code: "not_found" } },
        });
      }
    };

    it("revoked by its creator (204): then 404; anyone else's DELETE is 403", async () => {
      const { code } = await createInvite(aliceApi);
      expect(await bobApi.raw("DELETE", `/v1/invites/${code}`)).toMatchObject({
        status: 403,
        body: { error: { code: "forbidden" } },
      });
      expect((await bobApi.raw("GET", `/v1/invites/${code}`)).status).toBe(200);
      const revoked = await aliceApi.raw("DELETE", `/v1/invites/${code}`);
      expect(revoked.status).toBe(204);
      expect(revoked.body).toBeUndefined();
      for (const [as, method, path] of [
        [bobApi, "GET", `/v1/invites/${code}`],
        [carolApi, "POST", `/v1/invites/${code}/accept`],
        [aliceApi, "DELETE", `/v1/invites/${code}`],
      ] as const) {
        expect((await as.raw(method, path)).status).toBe(404);
      }
    });

    it("answers 404 for codes that do not exist, whatever they look like, and keeps serving", async () => {
      const { code } = await createInvite(aliceApi);
      const unknown = [
        "AAAAAAAAAAAAAAAAAAAAAAAA",
        code.toLowerCase() === code ? code.toUpperCase() : code.toLowerCase(),
        `${code}x`,
        code.slice(0, 15),
        "short",
        "x".repeat(65),
        // Fastify's longest path parameter (100); longer ones are its 414, as on every route.
        "x".repeat(100),
        encodeURIComponent("🌸🌸🌸🌸🌸🌸🌸🌸🌸🌸🌸🌸🌸🌸🌸🌸"),
        encodeURIComponent("' OR 1=1 --"),
        "%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00%00",
        encodeURIComponent("<script>alert(1)</script>"),
      ];
      for (const candidate of unknown) {
        for (const [method, path] of [
          ["GET", `/v1/invites/${candidate}`],
          ["POST", `/v1/invites/${candidate}/accept`],
          ["DELETE", `/v1/invites/${candidate}`],
        ] as const) {
          const answer = await bobApi.raw(method, path);
          expect({ method, candidate, status: answer.status, code: answer.body }).toMatchObject({
            status: 404,
            code: { error: { code: "not_found" } },
          });
        }
      }
      expect((await bobApi.raw("GET", `/v1/invites/${code}`)).status).toBe(200);
    });

    it("needs a token", async () => {
      const { code } = await createInvite(aliceApi);
      for (const [method, path] of [
        ["POST", "/v1/invites"],
        ["GET", `/v1/invites/${code}`],
        ["POST", `/v1/invites/${code}/accept`],
        ["DELETE", `/v1/invites/${code}`],
      ] as const) {
        expect((await rawRequest(server, method, path)).status).toBe(401);
      }
    });
  });
}

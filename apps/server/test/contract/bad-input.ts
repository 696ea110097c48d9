import { CloseCode, type ErrorCode, type ServerFrame } from "@mpchat/protocol";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { keyIdOf, TOKEN_AUDIENCE, TOKEN_ISSUER } from "../../src/auth/tokens";
import { devLogin } from "../support/api";
import { TestClient } from "../support/client";
import type { TestServer } from "../support/server";
import { BAD_STRING_CASES } from "./bad-strings";
import type { SuiteKind } from "./fixture";
import { useGuaranteeServer } from "./part-server";
import { expectAck, TEST_TIMEOUT, uid, WAIT_MS, waitForMessage } from "./scenario";

/** Short, so that "no auth in time" is quick; the default (5 s) is tested the same way in ws-auth. */
const AUTH_TIMEOUT_MS = 2000;

export interface CaseContext {
  server: TestServer;
  /** A group the victim's user belongs to: any bad `send` that slipped through would be stored here. */
  groupId: string;
  victimId: string;
}

export interface BadInputCase {
  name: string;
  /** Whether the victim authenticates before acting. */
  authenticated: boolean;
  act(victim: TestClient, ctx: CaseContext): void | Promise<void>;
  /** The documented answer; `id: null` means the error must carry no id (none could be read). */
  error?: { code: ErrorCode; id: string | null };
  /** How many `error` frames (default 1 when `error` is set, else 0). */
  errors?: number;
  /** The close code; when absent the connection must keep serving. */
  close?: number;
}

const json = (value: unknown) => JSON.stringify(value);
const send = (ctx: CaseContext, fields: Record<string, unknown>) =>
  json({
    type: "send",
    id: "s1",
    conversationId: ctx.groupId,
    clientMsgId: uid("bad"),
    body: { kind: "text", text: "should not be stored" },
    ...fields,
  });
const raw =
  (frame: (ctx: CaseContext) => string) =>
  (victim: TestClient, ctx: CaseContext): void =>
    victim.sendRaw(frame(ctx));
const auth = (token: (ctx: CaseContext) => Promise<string> | string) => async (victim: TestClient, ctx: CaseContext) =>
  victim.sendRaw(json({ type: "auth", id: "a1", token: await token(ctx) }));
/**
 * A token like the server's own (issuer, audience, the server's key id, a live
 * session of `sub`), so that only what a case changes can make it fail.
 */
const signed = async (server: TestServer, secret: string, claims: { sub: string; iat: number; exp: number }) => {
  const sid = `bad-input-session-${uid("s")}`;
  await server.store.createSession({ id: sid, userId: claims.sub, createdAt: Date.now() });
  return new SignJWT({ sid })
    .setProtectedHeader({ alg: "HS256", typ: "JWT", kid: keyIdOf(server.config.tokenSecret) })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setJti(sid)
    .setSubject(claims.sub)
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp)
    .sign(new TextEncoder().encode(secret));
};
const nowSeconds = () => Math.floor(Date.now() / 1000);
const long = "x".repeat(65);

const badRequest = (id: string | null) => ({ code: "bad_request", id }) as const;

/** At least 15 kinds of bad input, each with its documented answer (docs/protocol.md, guarantee 7). */
const FRAME_CASES: readonly BadInputCase[] = [
  { name: "not JSON", authenticated: true, act: raw(() => "{nope"), error: badRequest(null) },
  {
    name: "truncated JSON of a send",
    authenticated: true,
    act: raw((c) => send(c, {}).slice(0, -1)),
    error: badRequest(null),
  },
  {
    name: "a binary frame holding a valid send",
    authenticated: true,
    act: (victim, ctx) => victim.sendRaw(Buffer.from(send(ctx, {})), { binary: true }),
    error: badRequest(null),
  },
  {
    name: "a 1 MiB frame",
    authenticated: true,
    act: raw((c) => send(c, { body: { kind: "text", text: "x".repeat(1024 * 1024) } })),
    close: CloseCode.TooLarge,
  },
  {
    name: "unknown type",
    authenticated: true,
    act: raw(() => json({ type: "shout", id: "u1" })),
    error: badRequest("u1"),
  },
  {
    name: "missing type",
    authenticated: true,
    act: raw((c) => json({ id: "t1", conversationId: c.groupId })),
    error: badRequest("t1"),
  },
  {
    name: "send without clientMsgId and body",
    authenticated: true,
    act: raw((c) => json({ type: "send", id: "m1", conversationId: c.groupId })),
    error: badRequest("m1"),
  },
  {
    name: "send without conversationId",
    authenticated: true,
    act: raw((c) => send(c, { conversationId: undefined })),
    error: badRequest("s1"),
  },
  {
    name: "send with a number as text",
    authenticated: true,
    act: raw((c) => send(c, { body: { kind: "text", text: 42 } })),
    error: badRequest("s1"),
  },
  {
    name: "send with a string as body",
    authenticated: true,
    act: raw((c) => send(c, { body: "hello" })),
    error: badRequest("s1"),
  },
  {
    name: "send with an unknown body kind",
    authenticated: true,
    act: raw((c) => send(c, { body: { kind: "image", url: "x" } })),
    error: badRequest("s1"),
  },
  {
    name: "send with a numeric conversationId",
    authenticated: true,
    act: raw((c) => send(c, { conversationId: 7 })),
    error: badRequest("s1"),
  },
  {
    name: "send with empty text",
    authenticated: true,
    act: raw((c) => send(c, { body: { kind: "text", text: "" } })),
    error: badRequest("s1"),
  },
  {
    name: "sync with a negative afterSeq",
    authenticated: true,
    act: raw((c) => json({ type: "sync", id: "y1", conversationId: c.groupId, afterSeq: -1 })),
    error: badRequest("y1"),
  },
  {
    name: "sync with a huge afterSeq (2^53)",
    authenticated: true,
    act: raw((c) => json({ type: "sync", id: "y2", conversationId: c.groupId, afterSeq: 2 ** 53 })),
    error: badRequest("y2"),
  },
  {
    name: "sync with afterSeq 1e300",
    authenticated: true,
    act: raw((c) => json({ type: "sync", id: "y3", conversationId: c.groupId, afterSeq: 1e300 })),
    error: badRequest("y3"),
  },
  {
    name: "sync with a fractional afterSeq",
    authenticated: true,
    act: raw((c) => json({ type: "sync", id: "y4", conversationId: c.groupId, afterSeq: 1.5 })),
    error: badRequest("y4"),
  },
  {
    name: "sync with afterSeq as a string",
    authenticated: true,
    act: raw((c) => json({ type: "sync", id: "y5", conversationId: c.groupId, afterSeq: "0" })),
    error: badRequest("y5"),
  },
  {
    name: "sync with limit 0",
    authenticated: true,
    act: raw((c) => json({ type: "sync", id: "y6", conversationId: c.groupId, afterSeq: 0, limit: 0 })),
    error: badRequest("y6"),
  },
  {
    name: "sync with limit 201",
    authenticated: true,
    act: raw((c) => json({ type: "sync", id: "y7", conversationId: c.groupId, afterSeq: 0, limit: 201 })),
    error: badRequest("y7"),
  },
  {
    name: "read with a negative seq",
    authenticated: true,
    act: raw((c) => json({ type: "read", id: "r1", conversationId: c.groupId, seq: -5 })),
    error: badRequest("r1"),
  },
  {
    name: "read with a fractional seq",
    authenticated: true,
    act: raw((c) => json({ type: "read", id: "r2", conversationId: c.groupId, seq: 0.25 })),
    error: badRequest("r2"),
  },
  {
    name: "a request id of 65 characters",
    authenticated: true,
    act: raw(() => json({ type: "ping", id: long })),
    error: badRequest(null),
  },
  {
    name: "an empty request id",
    authenticated: true,
    act: raw(() => json({ type: "ping", id: "" })),
    error: badRequest(null),
  },
  {
    name: "a numeric request id",
    authenticated: true,
    act: raw(() => json({ type: "ping", id: 5 })),
    error: badRequest(null),
  },
  {
    name: "a clientMsgId of 65 characters",
    authenticated: true,
    act: raw((c) => send(c, { clientMsgId: long })),
    error: badRequest("s1"),
  },
  {
    name: "a conversationId of 65 characters",
    authenticated: true,
    act: raw((c) => send(c, { conversationId: long })),
    error: badRequest("s1"),
  },
  { name: "an array frame", authenticated: true, act: raw((c) => `[${send(c, {})}]`), error: badRequest(null) },
  { name: "a null frame", authenticated: true, act: raw(() => "null"), error: badRequest(null) },
  { name: "a number frame", authenticated: true, act: raw(() => "42"), error: badRequest(null) },
  { name: "a string frame", authenticated: true, act: raw(() => '"send"'), error: badRequest(null) },
  {
    // Not a protocol code: RFC 6455 requires closing 1007 on text that is not UTF-8 (ws does).
    name: "invalid UTF-8 in a text frame",
    authenticated: true,
    act: (victim, ctx) => {
      const [head, tail] = send(ctx, { body: { kind: "text", text: "SPLIT" } }).split("SPLIT") as [string, string];
      victim.sendRaw(Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(tail)]));
    },
    close: 1007,
  },
  {
    name: "deeply nested JSON",
    authenticated: true,
    act: raw(() => `${"[".repeat(30_000)}${"]".repeat(30_000)}`),
    error: badRequest(null),
  },
  {
    // A second auth with the victim's own token is a re-auth (protocol 1.1), answered by ready.
    name: "a second auth with another user's token",
    authenticated: true,
    act: async (victim, { server }) => {
      const { token } = await devLogin(server, uid("someone-else"));
      // Answered on its own time (the token check is async): wait for it before the harness's ping.
      await victim.request({ type: "auth", id: "again", token });
    },
    error: { code: "forbidden", id: "again" },
  },
  {
    name: "repeated violations (11 in a row)",
    authenticated: true,
    act: (victim) => {
      for (let i = 0; i < 11; i++) victim.sendRaw(`not json ${i}`);
    },
    error: badRequest(null),
    errors: 11,
    close: CloseCode.ProtocolViolation,
  },
  {
    name: "a send before auth",
    authenticated: false,
    act: raw((c) => send(c, {})),
    error: { code: "unauthorized", id: "s1" },
    close: CloseCode.Unauthorized,
  },
  {
    name: "a ping before auth",
    authenticated: false,
    act: raw(() => json({ type: "ping", id: "p1" })),
    error: { code: "unauthorized", id: "p1" },
    close: CloseCode.Unauthorized,
  },
  { name: "no auth within the timeout", authenticated: false, act: () => {}, close: CloseCode.AuthTimeout },
  {
    name: "a malformed auth (numeric token)",
    authenticated: false,
    act: raw(() => json({ type: "auth", id: "a1", token: 12345 })),
    error: badRequest("a1"),
    close: CloseCode.Unauthorized,
  },
  {
    name: "a bad token",
    authenticated: false,
    act: auth(() => "not-a-token"),
    error: { code: "unauthorized", id: "a1" },
    close: CloseCode.Unauthorized,
  },
  {
    name: "an expired token",
    authenticated: false,
    act: auth(({ server, victimId }) =>
      signed(server, server.config.tokenSecret, { sub: victimId, iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 }),
    ),
    error: { code: "unauthorized", id: "a1" },
    close: CloseCode.Unauthorized,
  },
  {
    name: "a token signed with another secret",
    authenticated: false,
    act: auth(({ server, victimId }) =>
      signed(server, "some-other-secret-of-at-least-32-characters", {
        sub: victimId,
        iat: nowSeconds(),
        exp: nowSeconds() + 3600,
      }),
    ),
    error: { code: "unauthorized", id: "a1" },
    close: CloseCode.Unauthorized,
  },
  {
    name: "a token whose subject is not a user id",
    authenticated: false,
    act: auth(({ server }) =>
      signed(server, server.config.tokenSecret, { sub: "../admin", iat: nowSeconds(), exp: nowSeconds() + 3600 }),
    ),
    error: { code: "unauthorized", id: "a1" },
    close: CloseCode.Unauthorized,
  },
];

/** The frame cases, then ill-formed strings in every field kind (bad-strings.ts). */
export const BAD_INPUT_CASES: readonly BadInputCase[] = [...FRAME_CASES, ...BAD_STRING_CASES];

/** Guarantee 7: every kind of bad input gets its answer, stores nothing, and costs the others nothing. */
export function describeBadInput(kind: SuiteKind): void {
  describe("7. bad input costs nothing", { timeout: TEST_TIMEOUT }, () => {
    const g = useGuaranteeServer(kind, { gateway: { authTimeoutMs: AUTH_TIMEOUT_MS } });
    let alice: TestClient;
    let bob: TestClient;
    let ctx: CaseContext;
    let turn = 0;

    const storedCount = async () => (await g.reader.getConversation(ctx.groupId))?.lastSeq ?? -1;
    /** One bystander sends, the other receives it: the server still serves everybody else. */
    const bystandersChat = async () => {
      const [from, to] = turn++ % 2 === 0 ? [alice, bob] : [bob, alice];
      const ack = expectAck(await from.sendText(ctx.groupId, `still chatting ${turn}`));
      await waitForMessage(to, ack.messageId);
      return ack;
    };

    beforeAll(async () => {
      [alice, bob] = (await g.connect(uid("alice"), uid("bob"))) as [TestClient, TestClient];
      const victimId = uid("mallory");
      await devLogin(g.server, victimId);
      const group = await alice.api(g.server).createGroup("bad input", [bob.userId, victimId]);
      ctx = { server: g.server, groupId: group.id, victimId };
    }, TEST_TIMEOUT);

    it(`has at least 15 kinds of bad input (${BAD_INPUT_CASES.length})`, () => {
      expect(BAD_INPUT_CASES.length).toBeGreaterThanOrEqual(15);
    });

    it.each(BAD_INPUT_CASES)("$name", async (badCase) => {
      const before = await storedCount();
      const victim = badCase.authenticated
        ? await TestClient.connect(g.server, ctx.victimId)
        : await TestClient.open(g.server);
      try {
        const from = victim.frames.length;
        await badCase.act(victim, ctx);
        if (badCase.close !== undefined) {
          expect((await victim.closed).code).toBe(badCase.close);
        } else {
          // Still serving: the ping's pong comes after the bad frame's answer.
          expect((await victim.request({ type: "ping", id: "still-there" }, WAIT_MS)).type).toBe("pong");
        }
        const errors = victim.frames
          .slice(from)
          .filter((f): f is Extract<ServerFrame, { type: "error" }> => f.type === "error");
        expect(errors).toHaveLength(badCase.errors ?? (badCase.error ? 1 : 0));
        if (badCase.error) {
          const [first] = errors;
          expect(first?.code).toBe(badCase.error.code);
          expect(first?.id).toBe(badCase.error.id ?? undefined);
        }
        expect(victim.invalidFrames).toEqual([]);
      } finally {
        await victim.close();
      }
      expect(await storedCount()).toBe(before);
      const ack = await bystandersChat();
      expect(ack.seq).toBe(before + 1);
    });

    it("left the bystanders' connections open throughout", async () => {
      await bystandersChat();
      for (const client of [alice, bob]) {
        expect(client.socket.readyState).toBe(client.socket.OPEN);
        expect(client.frames.filter((f) => f.type === "error")).toEqual([]);
      }
    });
  });
}

import { expect } from "vitest";
import { rawRequest } from "../support/api";
import type { TestClient } from "../support/client";
import type { BadInputCase, CaseContext } from "./bad-input";
import { uid } from "./scenario";

/** Ill-formed strings (PROTOCOL.md 1.1, "Strings, everywhere"), by kind. */
const ILL_FORMED: ReadonlyArray<[string, string]> = [
  ["an unpaired high surrogate", "\ud800"],
  ["an unpaired low surrogate", "\udfff"],
  ["U+0000", "a\u0000b"],
];
/** Refused in titles and names only. */
const LABEL_ONLY: ReadonlyArray<[string, string]> = [
  ["a newline", "a\nb"],
  ["a tab", "a\tb"],
  ["an escape (C0)", "\u001b[2J"],
  ["a C1 control", "a\u0085b"],
  ["a right-to-left override", "evil\u202etxt.exe"],
  ["a bidi isolate", "a\u2066b"],
];

const json = (value: unknown) => JSON.stringify(value);
const sendWith = (ctx: CaseContext, fields: Record<string, unknown>) =>
  json({
    type: "send",
    id: "s1",
    conversationId: ctx.groupId,
    clientMsgId: uid("bad"),
    body: { kind: "text", text: "should not be stored" },
    ...fields,
  });
const raw = (frame: (ctx: CaseContext) => string) => (victim: TestClient, ctx: CaseContext) =>
  victim.sendRaw(frame(ctx));
const badRequest = (id: string | null) => ({ code: "bad_request", id }) as const;

/** An HTTP call that must be refused with 400 bad_request and change nothing the victim can see. */
const http =
  (method: string, path: (ctx: CaseContext) => string, body: (ctx: CaseContext) => unknown) =>
  async (victim: TestClient, ctx: CaseContext) => {
    const before = await rawRequest(ctx.server, "GET", "/v1/conversations", { token: victim.token });
    const answer = await rawRequest(ctx.server, method, path(ctx), { token: victim.token, body: body(ctx) });
    expect([answer.status, answer.body]).toMatchObject([400, { error: { code: "bad_request" } }]);
    const after = await rawRequest(ctx.server, "GET", "/v1/conversations", { token: victim.token });
    expect(after.body).toEqual(before.body);
  };

function wsCases(kind: string, bad: string): BadInputCase[] {
  const authed = (name: string, act: BadInputCase["act"], id: string | null): BadInputCase => ({
    name: `${kind} in ${name}`,
    authenticated: true,
    act,
    error: badRequest(id),
  });
  return [
    authed(
      "a send's clientMsgId",
      raw((c) => sendWith(c, { clientMsgId: `m${bad}` })),
      "s1",
    ),
    authed(
      "a send's text",
      raw((c) => sendWith(c, { body: { kind: "text", text: `hi ${bad}` } })),
      "s1",
    ),
    authed(
      "a send's conversationId",
      raw((c) => sendWith(c, { conversationId: bad })),
      "s1",
    ),
    // A request id that is not a well-formed string cannot be echoed.
    authed(
      "a send's request id",
      raw((c) => sendWith(c, { id: bad })),
      null,
    ),
    authed(
      "a sync's request id",
      raw((c) => json({ type: "sync", id: bad, conversationId: c.groupId, afterSeq: 0 })),
      null,
    ),
    authed(
      "a read's conversationId",
      raw(() => json({ type: "read", id: "r9", conversationId: bad, seq: 1 })),
      "r9",
    ),
    authed(
      "a typing's conversationId",
      raw(() => json({ type: "typing", conversationId: bad })),
      null,
    ),
    authed(
      "a ping's request id",
      raw(() => json({ type: "ping", id: `p${bad}` })),
      null,
    ),
    authed(
      "a frame type",
      raw(() => json({ type: `send${bad}`, id: "t9" })),
      "t9",
    ),
    {
      name: `${kind} in an auth token`,
      authenticated: false,
      act: raw(() => json({ type: "auth", id: "a1", token: `eyJ${bad}` })),
      error: badRequest("a1"),
      close: 4401,
    },
  ];
}

function labelCases(kind: string, bad: string): BadInputCase[] {
  return [
    {
      name: `${kind} in a group title (HTTP)`,
      authenticated: true,
      act: http(
        "POST",
        () => "/v1/conversations",
        (c) => ({ kind: "group", title: `t${bad}`, memberIds: [c.victimId] }),
      ),
    },
    {
      name: `${kind} in a user name (HTTP dev login)`,
      authenticated: true,
      act: http(
        "POST",
        () => "/v1/auth/dev",
        () => ({ userId: uid("named"), name: `n${bad}` }),
      ),
    },
  ];
}

/** Every field kind of the WebSocket frames, and titles and names over HTTP. */
export const BAD_STRING_CASES: readonly BadInputCase[] = [
  ...ILL_FORMED.flatMap(([kind, bad]) => [...wsCases(kind, bad), ...labelCases(kind, bad)]),
  ...ILL_FORMED.map(
    ([kind, bad]): BadInputCase => ({
      name: `${kind} in a member id (HTTP)`,
      authenticated: true,
      act: http(
        "POST",
        (c) => `/v1/conversations/${c.groupId}/members`,
        () => ({ userIds: [bad] }),
      ),
    }),
  ),
  ...LABEL_ONLY.flatMap(([kind, bad]) => labelCases(kind, bad)),
];

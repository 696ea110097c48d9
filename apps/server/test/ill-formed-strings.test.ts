import { isWellFormedText } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectAck, uid } from "./contract/scenario";
import { rawRequest } from "./support/api";
import { TestClient } from "./support/client";
import { type StoreKind, startTestServer, type TestServer } from "./support/server";

const LONE = ["\ud800", "\udbff", "\udc00", "\udfff", "a\ud800b", "😀\ud83d", "\ude00😀"];
const NUL = ["\u0000", "a\u0000b"];
const LABEL_ONLY = ["a\nb", "a\tb", "\u0007", "\u001b[31m", "\u007f", "\u0085", "\u202e", "\u2067"];

/** Every string a JSON answer holds. */
function stringsOf(value: unknown): string[] {
  const out: string[] = [];
  JSON.parse(JSON.stringify(value) ?? "null", (_k, v: unknown) => {
    if (typeof v === "string") out.push(v);
    return v;
  });
  return out;
}

const stores: StoreKind[] = process.env.MYSQL_URL ? ["sqlite", "mysql"] : ["sqlite"];

describe.each(stores)("ill-formed strings against a server on %s", (store) => {
  let server: TestServer;
  let alice: TestClient;
  let bob: TestClient;
  let groupId: string;

  beforeAll(async () => {
    // Many bad frames on one connection here: the violation limit (4400) is tested in bad-input.
    server = await startTestServer({ store, config: { gateway: { violationTolerance: 10_000 } } });
    [alice, bob] = [await TestClient.connect(server, uid("alice")), await TestClient.connect(server, uid("bob"))];
    groupId = (await alice.api(server).createGroup("strings", [bob.userId])).id;
  }, 60_000);
  afterAll(async () => {
    await alice?.close();
    await bob?.close();
    await server?.close();
  });

  /** Everything that reads the conversation still answers, with well-formed strings only. */
  async function conversationStillReadable(): Promise<number> {
    const history = await alice.api(server).history(groupId);
    const list = await alice.api(server).conversations();
    const sync = await alice.request({ type: "sync", conversationId: groupId, afterSeq: 0 });
    expect(sync.type).toBe("batch");
    for (const s of stringsOf([history, list, sync])) expect(isWellFormedText(s), JSON.stringify(s)).toBe(true);
    return list.find((c) => c.id === groupId)?.lastSeq ?? -1;
  }

  // The bug: a clientMsgId "\ud800" was acked, stored as invalid UTF-8, and every later read aborted (exit 134).
  it.each([...LONE, ...NUL])("refuses a send with clientMsgId or text %j, and reads keep working", async (bad) => {
    const before = await conversationStillReadable();
    for (const fields of [
      { clientMsgId: bad },
      { clientMsgId: `c${bad}` },
      { body: { kind: "text", text: `t${bad}` } },
    ]) {
      const answer = await alice.request({
        type: "send",
        conversationId: groupId,
        clientMsgId: uid("c"),
        body: { kind: "text", text: "x" },
        ...fields,
      } as Parameters<TestClient["request"]>[0]);
      expect(answer).toMatchObject({ type: "error", code: "bad_request" });
    }
    // A request id that is not well-formed cannot be echoed: the error carries none.
    const from = alice.frames.length;
    alice.sendRaw(JSON.stringify({ type: "ping", id: bad }));
    const error = await alice.waitFor((f) => f.type === "error", 10_000, { fromIndex: from });
    expect(error).toMatchObject({ code: "bad_request" });
    expect("id" in error ? error.id : undefined).toBeUndefined();
    expect(await conversationStillReadable()).toBe(before);
    expectAck(await bob.sendText(groupId, "still here"));
  });

  it.each([...LONE, ...NUL, ...LABEL_ONLY])(
    "refuses %j in HTTP bodies, titles, names and query values",
    async (bad) => {
      const token = alice.token;
      const enc = encodeURIComponent(bad.replace(/[\ud800-\udfff]/g, "x")); // encodeURIComponent throws on lone surrogates
      const cases: Array<[string, string, unknown]> = [
        ["POST", "/v1/conversations", { kind: "group", title: `t${bad}`, memberIds: [bob.userId] }],
        ["POST", "/v1/auth/dev", { userId: uid("u"), name: `n${bad}` }],
      ];
      if (!LABEL_ONLY.includes(bad)) {
        cases.push(
          ["POST", "/v1/conversations", { kind: "direct", peerId: bad }],
          ["POST", "/v1/conversations", { kind: "group", title: "t", memberIds: [bad] }],
          ["POST", `/v1/conversations/${groupId}/members`, { userIds: [bad] }],
          ["POST", "/v1/auth/dev", { userId: bad }],
          ["POST", "/v1/auth/wechat", { code: `c${bad}` }],
          ["GET", `/v1/conversations/${groupId}/messages?afterSeq=1${enc}`, undefined],
          ["GET", `/v1/conversations/${groupId}/messages?limit=${enc}`, undefined],
        );
      }
      for (const [method, path, body] of cases) {
        const answer = await rawRequest(server, method, path, body === undefined ? { token } : { token, body });
        expect([answer.status, answer.body], `${method} ${path} ${JSON.stringify(body)}`).toMatchObject([
          400,
          { error: { code: "bad_request" } },
        ]);
      }
      await conversationStillReadable();
    },
  );

  it("refuses percent-encoded lone surrogates and NUL in paths and query values", async () => {
    const token = alice.token;
    for (const raw of ["%ED%A0%80", "%00", "%C3", "%FF", "%F0%9F%98"]) {
      for (const path of [
        `/v1/conversations/${groupId}/messages?afterSeq=${raw}`,
        `/v1/conversations/a${raw}/messages`,
      ]) {
        const answer = await rawRequest(server, "GET", path, { token });
        expect([answer.status, answer.body], path).toMatchObject([400, { error: { code: "bad_request" } }]);
      }
    }
  });

  it("keeps newlines and tabs in text", async () => {
    const ack = expectAck(await alice.sendText(groupId, "line\nbreak\tand tab"));
    const history = await bob.api(server).history(groupId, { afterSeq: ack.seq - 1 });
    expect(history.messages[0]?.body).toEqual({ kind: "text", text: "line\nbreak\tand tab" });
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContentCheckUnavailableError } from "../../src/chat/content-check";
import { WebhookContentCheck } from "../../src/content/webhook-content-check";
import { TestClient } from "../support/client";
import { startTestServer, type TestServer } from "../support/server";
import { contentConfig } from "./wechat-users";

type Answer = { status: number; body: string } | "hang";

/** The operator's moderation service, faked: answers by the text it is sent, records every call. */
async function startModeration(answerFor: (text: string) => Answer) {
  const received: Record<string, unknown>[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      received.push(body);
      const answer = answerFor(String(body.text));
      if (answer === "hang") return;
      response.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/moderate`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const verdict = (value: unknown): Answer => ({ status: 200, body: JSON.stringify({ verdict: value }) });

function answerFor(text: string): Answer {
  if (text.includes("reject")) return verdict("reject");
  if (text.includes("review")) return verdict("review");
  if (text.includes("http500")) return { status: 500, body: "{}" };
  if (text.includes("notjson")) return { status: 200, body: "<html>" };
  if (text.includes("noverdict")) return { status: 200, body: "{}" };
  if (text.includes("otherverdict")) return verdict("risky");
  if (text.includes("hang")) return "hang";
  return verdict("pass");
}

describe("the webhook adapter", () => {
  let moderation: Awaited<ReturnType<typeof startModeration>>;
  let check: WebhookContentCheck;
  /** Fails sooner: for the answers that are failures anyway (a loaded machine may be slow to answer). */
  let quick: WebhookContentCheck;
  beforeAll(async () => {
    moderation = await startModeration(answerFor);
    check = new WebhookContentCheck(moderation.url, 5000);
    quick = new WebhookContentCheck(moderation.url, 300);
  });
  afterAll(() => moderation.close());

  it("posts { kind, text, userId, conversationId? } and reads the verdict", async () => {
    expect(await check.check({ kind: "text", text: "hello", userId: "alice", conversationId: "c1" })).toBe("pass");
    expect(moderation.received.at(-1)).toEqual({ kind: "text", text: "hello", userId: "alice", conversationId: "c1" });
    expect(await check.check({ kind: "name", text: "please review", userId: "bob" })).toBe("review");
    expect(moderation.received.at(-1)).toEqual({ kind: "name", text: "please review", userId: "bob" });
    expect(await check.check({ kind: "title", text: "reject me", userId: "bob" })).toBe("reject");
  });

  it.each(["http500", "notjson", "noverdict", "otherverdict", "hang"])("reports %s as unavailable", async (text) => {
    await expect(quick.check({ kind: "text", text, userId: "alice" })).rejects.toBeInstanceOf(
      ContentCheckUnavailableError,
    );
  });

  it("reports a webhook that is not listening as unavailable", async () => {
    const gone = new WebhookContentCheck("http://127.0.0.1:1/moderate", 300);
    await expect(gone.check({ kind: "text", text: "x", userId: "a" })).rejects.toBeInstanceOf(
      ContentCheckUnavailableError,
    );
  });
});

describe("CONTENT_CHECK=webhook on the send path", () => {
  let moderation: Awaited<ReturnType<typeof startModeration>>;
  let server: TestServer;
  beforeAll(async () => {
    moderation = await startModeration(answerFor);
    server = await startTestServer({
      config: { content: contentConfig({ mode: "webhook", webhookUrl: moderation.url, timeoutMs: 1000 }) },
    });
  });
  afterAll(async () => {
    await server?.close();
    await moderation?.close();
  });

  it("checks dev-login users too (the webhook needs no openid), in every kind", async () => {
    const alice = await TestClient.connect(server, "alice");
    const bob = await TestClient.connect(server, "bob");
    const direct = (await alice.api(server).createDirect("bob")).id;
    expect(await alice.sendText(direct, "fine")).toMatchObject({ type: "ack", seq: 1 });
    expect(moderation.received.at(-1)).toEqual({ kind: "text", text: "fine", userId: "alice", conversationId: direct });
    expect(await alice.sendText(direct, "reject this")).toMatchObject({ type: "error", code: "content_rejected" });
    expect(await alice.sendText(direct, "review this")).toMatchObject({ type: "ack", seq: 2 });
    expect(await alice.sendText(direct, "http500", "w-1")).toMatchObject({ type: "error", code: "unavailable" });
    expect(await alice.sendText(direct, "hang", "w-2")).toMatchObject({ type: "error", code: "unavailable" });
    const group = await alice.api(server).raw("POST", "/v1/conversations", {
      kind: "group",
      title: "reject title",
      memberIds: ["bob"],
    });
    expect(group).toMatchObject({ status: 422, body: { error: { code: "content_rejected" } } });
    expect(moderation.received.at(-1)).toMatchObject({ kind: "title", text: "reject title", userId: "alice" });
    const name = await alice.api(server).raw("PATCH", "/v1/me", { name: "reject name" });
    expect(name).toMatchObject({ status: 422, body: { error: { code: "content_rejected" } } });
    expect((await alice.api(server).history(direct)).messages.map((m) => m.seq)).toEqual([1, 2]);
    await Promise.all([alice.close(), bob.close()]);
  });
});

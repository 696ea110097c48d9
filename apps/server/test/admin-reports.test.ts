import type { AdminReport, MessageFrame } from "@mpchat/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "./support/api";
import { TestClient } from "./support/client";
import { type StoreKind, startTestServer, type TestServer } from "./support/server";

/** PROTOCOL.md "Operators": the reports queue and the moderation removal of a message, on both stores. */

const ADMIN_TOKEN = "admin-token-for-reports-0123456789";

describe.each<StoreKind>(["sqlite", "mysql"])("admin reports and message removal (%s)", (kind) => {
  let server: TestServer;
  let clock = Date.now();
  let alice: TestClient;
  let bob: TestClient;
  let group: string;
  const admin = (method: string, path: string, body?: unknown) =>
    rawRequest(server, method, path, { token: ADMIN_TOKEN, ...(body === undefined ? {} : { body }) });
  const queue = async (status: "open" | "resolved"): Promise<AdminReport[]> => {
    const answer = await admin("GET", `/v1/admin/reports?status=${status}`);
    expect(answer.status).toBe(200);
    return (answer.body as { reports: AdminReport[] }).reports;
  };
  const send = async (text: string): Promise<string> => {
    const ack = await bob.sendText(group, text);
    if (ack.type !== "ack") throw new Error(`not acked: ${JSON.stringify(ack)}`);
    return ack.messageId;
  };

  beforeAll(async () => {
    server = await startTestServer({ store: kind, config: { adminToken: ADMIN_TOKEN }, deps: { now: () => clock } });
    alice = await TestClient.connect(server, "rep-alice");
    bob = await TestClient.connect(server, "rep-bob");
    group = (await alice.api(server).createGroup("举报群", ["rep-bob"])).id;
  });
  afterAll(async () => {
    await Promise.all([alice?.close(), bob?.close()]);
    await server?.close();
  });

  it("a member's report is in the open queue with its message copy; resolve moves it to resolved with the note", async () => {
    const messageId = await send("bad words 🚩 <b>'\"");
    const made = await alice.api(server).raw("POST", "/v1/reports", {
      conversationId: group,
      messageId,
      userId: "rep-bob",
      reason: "spam\n骚扰 😡",
    });
    expect(made.status).toBe(201);
    const id = (made.body as { report: { id: string } }).report.id;
    const open = await queue("open");
    const report = open.find((r) => r.id === id);
    expect(report).toMatchObject({
      reporterId: "rep-alice",
      conversationId: group,
      messageId,
      userId: "rep-bob",
      reason: "spam\n骚扰 😡",
      status: "open",
      message: { id: messageId, senderId: "rep-bob", body: { kind: "text", text: "bad words 🚩 <b>'\"" } },
    });
    expect((await queue("resolved")).some((r) => r.id === id)).toBe(false);
    const all = await admin("GET", "/v1/admin/reports");
    expect((all.body as { reports: AdminReport[] }).reports.some((r) => r.id === id)).toBe(true);

    clock += 1_000;
    const note = "已处理：警告 ⚠️ \"'<i>";
    const resolved = await admin("POST", `/v1/admin/reports/${id}/resolve`, { note });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toEqual({ report: { ...report, status: "resolved", resolvedAt: clock, note } });
    const [entry] = await server.store.listAudit(1);
    expect(entry).toMatchObject({ action: "report.resolve", target: id, reason: note, status: 200, at: clock });
    expect((await queue("open")).some((r) => r.id === id)).toBe(false);
    expect((await queue("resolved")).find((r) => r.id === id)).toMatchObject({ status: "resolved", note });

    const listed = (await server.store.listAudit(10)).filter((e) => e.action === "report.list");
    expect(listed.length).toBeGreaterThan(0);

    // without a note
    const plain = await bob.api(server).raw("POST", "/v1/reports", { conversationId: group, reason: "other" });
    const plainId = (plain.body as { report: { id: string } }).report.id;
    const bare = await admin("POST", `/v1/admin/reports/${plainId}/resolve`, {});
    expect(bare.status).toBe(200);
    expect((bare.body as { report: AdminReport }).report).not.toHaveProperty("note");
  });

  it("refuses bad input with 400 or 404; nothing changes and the server keeps serving", async () => {
    const made = await alice.api(server).raw("POST", "/v1/reports", { conversationId: group, reason: "to keep open" });
    const id = (made.body as { report: { id: string } }).report.id;
    const messageId = await send("keep me");
    const before = await queue("open");
    const calls: [string, string, unknown, number][] = [
      ["GET", "/v1/admin/reports?status=closed", undefined, 400],
      ["GET", "/v1/admin/reports?status=", undefined, 400],
      ["GET", "/v1/admin/reports?status=OPEN", undefined, 400],
      ["GET", "/v1/admin/reports?status=open&status=resolved", undefined, 400],
      ["POST", "/v1/admin/reports/no-such-report/resolve", { note: "x" }, 404],
      ["POST", "/v1/admin/reports/bad%20id!/resolve", { note: "x" }, 400],
      ["POST", `/v1/admin/reports/${id}/resolve`, { note: "x".repeat(501) }, 400],
      ["POST", `/v1/admin/reports/${id}/resolve`, { note: "🙈".repeat(501) }, 400],
      ["POST", `/v1/admin/reports/${id}/resolve`, { note: "   " }, 400],
      ["POST", `/v1/admin/reports/${id}/resolve`, { note: "" }, 400],
      ["POST", `/v1/admin/reports/${id}/resolve`, { note: 42 }, 400],
      ["POST", `/v1/admin/reports/${id}/resolve`, { note: "half \ud800 a pair" }, 400],
      ["POST", `/v1/admin/reports/${id}/resolve`, [], 400],
      ["DELETE", "/v1/admin/messages/no-such-message", { reason: "x" }, 404],
      ["DELETE", "/v1/admin/messages/bad%20id!", { reason: "x" }, 400],
      ["DELETE", `/v1/admin/messages/${messageId}`, {}, 400],
      ["DELETE", `/v1/admin/messages/${messageId}`, { reason: "" }, 400],
      ["DELETE", `/v1/admin/messages/${messageId}`, { reason: "x".repeat(501) }, 400],
      ["DELETE", `/v1/admin/messages/${messageId}`, { reason: "lone \udc00" }, 400],
      ["DELETE", `/v1/admin/messages/${messageId}`, { reason: ["spam"] }, 400],
    ];
    for (const [method, path, body, status] of calls) {
      const answer = await admin(method, path, body);
      expect({ method, path, body, status: answer.status }).toEqual({ method, path, body, status });
      expect(answer.body).toMatchObject({ error: { code: status === 400 ? "bad_request" : "not_found" } });
    }
    expect(await queue("open")).toEqual(before);
    const history = (await alice.api(server).history(group)).messages;
    expect(history.find((m) => m.id === messageId)?.body).toEqual({ kind: "text", text: "keep me" });
    expect(history.some((m) => m.body.kind === "recall" && m.body.messageId === messageId)).toBe(false);
    expect(await bob.sendText(group, "still serving")).toMatchObject({ type: "ack" });
  });

  it("a moderation removal reaches a connected member as a recall message; the original reads as recalled", async () => {
    const messageId = await send("remove me 🗑️");
    const recallForAlice = alice.waitFor(
      (frame): frame is MessageFrame =>
        frame.type === "message" && frame.message.body.kind === "recall" && frame.message.body.messageId === messageId,
    );
    const answer = await admin("DELETE", `/v1/admin/messages/${messageId}`, { reason: "违规内容 🚫" });
    expect(answer.status).toBe(200);
    const { message } = answer.body as { message: MessageFrame["message"] };
    expect(message).toMatchObject({
      conversationId: group,
      senderId: "system",
      body: { kind: "recall", messageId, by: "moderation" },
    });
    expect((await recallForAlice).message).toEqual(message);
    for (const client of [alice, bob]) {
      const history = (await client.api(server).history(group)).messages;
      expect(history.find((m) => m.id === messageId)?.body).toEqual({ kind: "recalled", by: "moderation" });
    }
    const [entry] = await server.store.listAudit(1);
    expect(entry).toMatchObject({ action: "message.remove", target: messageId, reason: "违规内容 🚫", status: 200 });
    // Removing it again answers the same recall message, and pushes nothing new.
    const again = await admin("DELETE", `/v1/admin/messages/${messageId}`, { reason: "again" });
    expect(again).toMatchObject({ status: 200, body: { message: { id: message.id } } });
  });
});

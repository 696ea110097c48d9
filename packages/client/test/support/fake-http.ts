import type { HttpRequest, HttpResponse } from "../../src/ports/http";
import type { FakeServer } from "./fake-server";

/** The fake server's HTTP routes (FakeServer.http): the conversation list and history, with its failure knobs. */
export async function answerHttp(server: FakeServer, request: HttpRequest): Promise<HttpResponse> {
  server.httpRequests.push(request);
  await Promise.resolve();
  if (server.httpDown) throw new Error("connection refused");
  if (server.httpUnauthorized) return json(401, { error: { code: "unauthorized", message: "token expired" } });
  const userId = (request.headers.authorization ?? "").replace("Bearer t-", "");
  const path = new URL(request.url).pathname;
  const query = new URL(request.url).searchParams;
  if (request.method === "GET" && path === "/v1/conversations") {
    const list = Array.from(server.conversations.values())
      .filter((c) => c.memberIds.includes(userId))
      .map((c) => server.view(c.id, userId));
    return json(200, { conversations: list });
  }
  const history = /^\/v1\/conversations\/([^/]+)\/messages$/.exec(path);
  if (request.method === "GET" && history?.[1]) {
    const all = server.messages(history[1]);
    const limit = Number(query.get("limit") ?? 50);
    const before = query.get("beforeSeq");
    if (before !== null) {
      const older = all.filter((m) => m.seq < Number(before));
      return json(200, { messages: older.slice(-limit), hasMore: older.length > limit });
    }
    const after = all.filter((m) => m.seq > Number(query.get("afterSeq") ?? 0));
    return json(200, { messages: after.slice(0, limit), hasMore: after.length > limit });
  }
  return json(404, { error: { code: "not_found", message: path } });
}

function json(status: number, body: unknown): HttpResponse {
  return { status, body: JSON.stringify(body) };
}

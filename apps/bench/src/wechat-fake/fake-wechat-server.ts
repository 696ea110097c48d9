import { createServer, type IncomingMessage } from "node:http";
import { apiOfPath, FAKE_APIS, type FakeApi, fakeAnswer } from "./fake-answers";

/**
 * The bench's fake `api.weixin.qq.com`, its own process (so that its work is
 * neither the server's nor the load generator's): every WeChat call is answered
 * after FAKE_WECHAT_DELAY_MS (WeChat's own latency as seen from a server in
 * China, about 50 ms), labelled text/plain as WeChat does. `GET /healthz` is
 * the readiness probe, `GET /bench/calls` the calls per endpoint so far.
 */

const delayMs = Number(process.env.FAKE_WECHAT_DELAY_MS ?? "50");
const calls: Record<FakeApi, number> = Object.fromEntries(FAKE_APIS.map((api) => [api, 0])) as Record<FakeApi, number>;

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  if (url.pathname === "/healthz") {
    response.writeHead(200).end("ok");
    return;
  }
  if (url.pathname === "/bench/calls") {
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ...calls, connections }));
    return;
  }
  const api = apiOfPath(url.pathname);
  calls[api]++;
  readJson(request).then(
    (body) => {
      const answer = JSON.stringify(fakeAnswer(api, url.searchParams, body));
      setTimeout(() => response.writeHead(200, { "content-type": "text/plain" }).end(answer), delayMs);
    },
    () => response.writeHead(400).end("not JSON"),
  );
});
server.keepAliveTimeout = 60_000;
// Diagnostics only: how many TCP connections the servers under test opened (keep-alive keeps it near their concurrency).
let connections = 0;
server.on("connection", () => {
  connections++;
});
server.listen(Number(process.env.PORT ?? "0"), process.env.HOST ?? "127.0.0.1");
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});

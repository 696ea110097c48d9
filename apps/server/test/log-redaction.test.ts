import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devLogin, rawRequest } from "./support/api";
import { startTestServer, type TestServer } from "./support/server";

/** No log line holds a credential: bearer tokens, media tokens in the query, `token` fields. */
describe("log redaction", () => {
  let server: TestServer;
  const lines: string[] = [];
  beforeAll(async () => {
    server = await startTestServer({
      config: { logLevel: "info" },
      deps: { logStream: { write: (line) => void lines.push(line) } },
    });
  });
  afterAll(async () => server?.close());

  /** Lines logged from now until `action` is done (Fastify logs "request completed" before the answer leaves). */
  async function logOf(action: () => Promise<unknown>): Promise<string> {
    const from = lines.length;
    await action();
    return lines.slice(from).join("");
  }

  it("a request with a bearer token logs the request but not the token", async () => {
    const { token } = await devLogin(server, "logged-alice");
    const log = await logOf(() => rawRequest(server, "GET", "/v1/conversations", { token }));
    expect(log).toContain("/v1/conversations");
    expect(log).not.toContain(token);
  });

  it.each([
    ["t", "/v1/media/x?t=SECRET-MEDIA-TOKEN&size=1"],
    ["token", "/v1/conversations?token=SECRET-MEDIA-TOKEN"],
    ["access_token", "/healthz?a=1&access_token=SECRET-MEDIA-TOKEN#frag"],
  ])("a credential in the query (%s=) is replaced in the logged URL", async (_, path) => {
    const log = await logOf(() => rawRequest(server, "GET", path));
    expect(log).toContain("[Redacted]");
    expect(log).not.toContain("SECRET-MEDIA-TOKEN");
  });

  it("token fields and authorization headers are redacted wherever a log call puts them", async () => {
    const secret = "SECRET-IN-A-FIELD";
    const log = await logOf(async () => {
      server.app.log.warn({ token: secret }, "top level");
      server.app.log.warn({ login: { token: secret, sessionKey: secret } }, "one level down");
      server.app.log.warn({ body: { user: { token: secret } } }, "two levels down");
      server.app.log.warn({ headers: { authorization: `Bearer ${secret}` } }, "headers");
      server.app.log.warn({ req: { headers: { authorization: `Bearer ${secret}`, cookie: secret } } }, "req");
    });
    expect(log.split("\n").filter(Boolean)).toHaveLength(5);
    expect(log).not.toContain(secret);
  });
});

import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyIdOf, TOKEN_AUDIENCE, TOKEN_ISSUER, TokenService } from "../src/auth/tokens";
import { devLogin, rawRequest } from "./support/api";
import { TestClient } from "./support/client";
import { startTestServer, type TestServer } from "./support/server";

const OLD_SECRET = "old-secret-of-at-least-32-characters!";
const NEW_SECRET = "new-secret-of-at-least-32-characters!";

const status = async (server: TestServer, token: string) =>
  (await rawRequest(server, "GET", "/v1/me", { token })).status;

describe("rotating TOKEN_SECRET with TOKEN_SECRET_PREVIOUS", () => {
  let before: TestServer;
  let rotated: TestServer;
  let forgot: TestServer;
  beforeAll(async () => {
    before = await startTestServer({ config: { tokenSecret: OLD_SECRET } });
    // The same database (sessions) behind instances started after the rotation.
    const deps = { store: before.store };
    rotated = await startTestServer({ config: { tokenSecret: NEW_SECRET, tokenSecretPrevious: OLD_SECRET }, deps });
    forgot = await startTestServer({ config: { tokenSecret: NEW_SECRET }, deps });
  });
  afterAll(async () => {
    await rotated?.close();
    await forgot?.close();
    await before?.close();
  });

  it("accepts a token signed with the previous secret over HTTP and ws, and signs new ones with the new secret", async () => {
    const { token } = await devLogin(before, "rotating");
    expect(await status(rotated, token)).toBe(200);
    const socket = await TestClient.open(rotated);
    expect(await socket.request({ type: "auth", token })).toMatchObject({ type: "ready", userId: "rotating" });
    await socket.close();
    // Refreshing on the rotated instance moves the session to the new key.
    const answer = await rawRequest(rotated, "POST", "/v1/auth/refresh", { token });
    const refreshed = (answer.body as { token: string }).token;
    expect(JSON.parse(Buffer.from(refreshed.split(".")[0] ?? "", "base64url").toString())).toMatchObject({
      kid: keyIdOf(NEW_SECRET),
    });
    expect(await status(forgot, refreshed)).toBe(200);
  });

  it("refuses the old secret's tokens once TOKEN_SECRET_PREVIOUS is gone", async () => {
    const { token } = await devLogin(before, "left-behind");
    expect(await status(forgot, token)).toBe(401);
  });

  it("names the key in the header, not the secret", () => {
    expect(keyIdOf(OLD_SECRET)).not.toBe(keyIdOf(NEW_SECRET));
    expect(keyIdOf(OLD_SECRET)).not.toContain(OLD_SECRET.slice(0, 8));
  });
});

describe("what a token must carry", () => {
  let server: TestServer;
  let sessionId: string;
  const secret = "the-servers-secret-of-32-characters!!";
  beforeAll(async () => {
    server = await startTestServer({ config: { tokenSecret: secret } });
    await devLogin(server, "claimant");
    sessionId = "hand-made-session-000001";
    await server.store.createSession({ id: sessionId, userId: "claimant", createdAt: Date.now() });
  });
  afterAll(async () => server?.close());

  interface Variant {
    kid?: string | undefined;
    iss?: string | undefined;
    aud?: string | undefined;
    sid?: string | undefined;
    key?: string;
  }
  const mint = (variant: Variant) => {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, string> = {};
    if (variant.sid !== undefined) claims.sid = variant.sid;
    const jwt = new SignJWT(claims)
      .setProtectedHeader(
        variant.kid === undefined ? { alg: "HS256", typ: "JWT" } : { alg: "HS256", typ: "JWT", kid: variant.kid },
      )
      .setSubject("claimant")
      .setJti(`jti-${Math.random()}`)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600);
    if (variant.iss !== undefined) jwt.setIssuer(variant.iss);
    if (variant.aud !== undefined) jwt.setAudience(variant.aud);
    return jwt.sign(new TextEncoder().encode(variant.key ?? secret));
  };
  const good = (): Variant => ({ kid: keyIdOf(secret), iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sid: sessionId });

  it("accepts a hand-made token with every claim right (so that each refusal below is for its one change)", async () => {
    expect(await status(server, await mint(good()))).toBe(200);
  });

  it.each<[string, Variant]>([
    ["an unknown key id", { kid: "not-a-key-id" }],
    ["no key id", { kid: undefined }],
    ["the right key id over another secret", { key: "some-other-secret-of-at-least-32-chars" }],
    ["the wrong issuer", { iss: "someone-else" }],
    ["no issuer", { iss: undefined }],
    ["the wrong audience", { aud: "mpchat:media" }],
    ["no audience", { aud: undefined }],
    ["no session", { sid: undefined }],
    ["an unknown session", { sid: "no-such-session-000000001" }],
    ["a malformed session id", { sid: "short" }],
  ])("refuses a token with %s (HTTP 401, ws 4401)", async (_, change) => {
    const token = await mint({ ...good(), ...change });
    expect(await status(server, token)).toBe(401);
    const socket = await TestClient.open(server);
    socket.sendRaw(JSON.stringify({ type: "auth", id: "a1", token }));
    expect((await socket.closed).code).toBe(4401);
  });

  it("refuses a session of another user named in the token", async () => {
    await server.store.createSession({ id: "someone-elses-session-01", userId: "someone", createdAt: Date.now() });
    expect(await status(server, await mint({ ...good(), sid: "someone-elses-session-01" }))).toBe(401);
  });

  it("TokenService: the previous secret verifies, an unknown one does not", async () => {
    const old = new TokenService(OLD_SECRET, 60);
    const { token } = await old.issue("claimant", sessionId);
    expect(await new TokenService({ current: NEW_SECRET, previous: OLD_SECRET }, 60).verify(token)).toMatchObject({
      userId: "claimant",
      sessionId,
    });
    expect(await new TokenService(NEW_SECRET, 60).verify(token)).toBeNull();
  });
});

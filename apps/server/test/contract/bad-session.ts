import { CloseCode } from "@mpchat/protocol";
import { SignJWT } from "jose";
import { keyIdOf, TOKEN_AUDIENCE, TOKEN_ISSUER } from "../../src/auth/tokens";
import { devLogin } from "../support/api";
import type { TestClient } from "../support/client";
import type { TestServer } from "../support/server";
import { type BadInputCase, badRequest, type CaseContext, json, raw, send } from "./bad-input-case";
import { uid } from "./scenario";

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

/** Bad auth, frames before auth, and the violation limit: each closes or refuses the session. */
export const SESSION_CASES: readonly BadInputCase[] = [
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

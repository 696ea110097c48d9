import { CloseCode, ErrorCode } from "@mpchat/protocol";
import { AppError } from "../app-error";
import type { TokenClaims } from "../auth/tokens";
import type { ConnectionContext } from "./connection-context";

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; code: ErrorCode; message: string; close: number; reason: string };

/**
 * An `auth` token → its claims, or the answer and close code of a refusal. A
 * store that cannot say whether the session lives is not a refusal: the socket
 * closes with 1013 (try again later) and the client reconnects with the same token.
 */
export async function checkToken(ctx: Pick<ConnectionContext, "sessions" | "log">, token: string): Promise<TokenCheck> {
  try {
    const claims = await ctx.sessions.authenticate(token);
    if (claims) return { ok: true, claims };
    return {
      ok: false,
      code: ErrorCode.Unauthorized,
      message: "invalid, expired or revoked token",
      close: CloseCode.Unauthorized,
      reason: "invalid token",
    };
  } catch (error) {
    if (error instanceof AppError && error.code === ErrorCode.Forbidden) {
      return { ok: false, code: error.code, message: error.message, close: CloseCode.Banned, reason: "banned" };
    }
    ctx.log.warn({ err: error }, "session check failed");
    return {
      ok: false,
      code: ErrorCode.Unavailable,
      message: "cannot check the token now",
      close: CloseCode.TryAgainLater,
      reason: "try again later",
    };
  }
}

import type { ErrorCode } from "@mpchat/protocol";
import type { TestClient } from "../support/client";
import type { TestServer } from "../support/server";
import { uid } from "./scenario";

/** One case of guarantee 7 (bad-input.ts runs them): its shape, and the builders the case lists share. */
export interface CaseContext {
  server: TestServer;
  /** A group the victim's user belongs to: any bad `send` that slipped through would be stored here. */
  groupId: string;
  victimId: string;
}

export interface BadInputCase {
  name: string;
  /** Whether the victim authenticates before acting. */
  authenticated: boolean;
  act(victim: TestClient, ctx: CaseContext): void | Promise<void>;
  /** The documented answer; `id: null` means the error must carry no id (none could be read). */
  error?: { code: ErrorCode; id: string | null };
  /** How many `error` frames (default 1 when `error` is set, else 0). */
  errors?: number;
  /** The close code; when absent the connection must keep serving. */
  close?: number;
}

export const json = (value: unknown) => JSON.stringify(value);
export const send = (ctx: CaseContext, fields: Record<string, unknown>) =>
  json({
    type: "send",
    id: "s1",
    conversationId: ctx.groupId,
    clientMsgId: uid("bad"),
    body: { kind: "text", text: "should not be stored" },
    ...fields,
  });
export const raw =
  (frame: (ctx: CaseContext) => string) =>
  (victim: TestClient, ctx: CaseContext): void =>
    victim.sendRaw(frame(ctx));
export const badRequest = (id: string | null) => ({ code: "bad_request", id }) as const;

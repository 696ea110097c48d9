import type { ServerFrame } from "@mpchat/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { devLogin } from "../support/api";
import { TestClient } from "../support/client";
import { FRAME_CASES } from "./bad-frames";
import type { BadInputCase, CaseContext } from "./bad-input-case";
import { SESSION_CASES } from "./bad-session";
import { BAD_STRING_CASES } from "./bad-strings";
import type { SuiteKind } from "./fixture";
import { useGuaranteeServer } from "./part-server";
import { expectAck, TEST_TIMEOUT, uid, WAIT_MS, waitForMessage } from "./scenario";

export type { BadInputCase, CaseContext } from "./bad-input-case";

/** Short, so that "no auth in time" is quick; the default (5 s) is tested the same way in ws-auth. */
const AUTH_TIMEOUT_MS = 2000;

/**
 * At least 15 kinds of bad input, each with its documented answer (docs/protocol.md, guarantee 7):
 * the frame cases (bad-frames.ts), the session cases (bad-session.ts), then ill-formed strings in
 * every field kind (bad-strings.ts).
 */
export const BAD_INPUT_CASES: readonly BadInputCase[] = [...FRAME_CASES, ...SESSION_CASES, ...BAD_STRING_CASES];

/** Guarantee 7: every kind of bad input gets its answer, stores nothing, and costs the others nothing. */
export function describeBadInput(kind: SuiteKind): void {
  describe("7. bad input costs nothing", { timeout: TEST_TIMEOUT }, () => {
    const g = useGuaranteeServer(kind, { gateway: { authTimeoutMs: AUTH_TIMEOUT_MS } });
    let alice: TestClient;
    let bob: TestClient;
    let ctx: CaseContext;
    let turn = 0;

    const storedCount = async () => (await g.reader.getConversation(ctx.groupId))?.lastSeq ?? -1;
    /** One bystander sends, the other receives it: the server still serves everybody else. */
    const bystandersChat = async () => {
      const [from, to] = turn++ % 2 === 0 ? [alice, bob] : [bob, alice];
      const ack = expectAck(await from.sendText(ctx.groupId, `still chatting ${turn}`));
      await waitForMessage(to, ack.messageId);
      return ack;
    };

    beforeAll(async () => {
      [alice, bob] = (await g.connect(uid("alice"), uid("bob"))) as [TestClient, TestClient];
      const victimId = uid("mallory");
      await devLogin(g.server, victimId);
      const group = await alice.api(g.server).createGroup("bad input", [bob.userId, victimId]);
      ctx = { server: g.server, groupId: group.id, victimId };
    }, TEST_TIMEOUT);

    it(`has at least 15 kinds of bad input (${BAD_INPUT_CASES.length})`, () => {
      expect(BAD_INPUT_CASES.length).toBeGreaterThanOrEqual(15);
    });

    it.each(BAD_INPUT_CASES)("$name", async (badCase) => {
      const before = await storedCount();
      const victim = badCase.authenticated
        ? await TestClient.connect(g.server, ctx.victimId)
        : await TestClient.open(g.server);
      try {
        const from = victim.frames.length;
        await badCase.act(victim, ctx);
        if (badCase.close !== undefined) {
          expect((await victim.closed).code).toBe(badCase.close);
        } else {
          // Still serving: the ping's pong comes after the bad frame's answer.
          expect((await victim.request({ type: "ping", id: "still-there" }, WAIT_MS)).type).toBe("pong");
        }
        const errors = victim.frames
          .slice(from)
          .filter((f): f is Extract<ServerFrame, { type: "error" }> => f.type === "error");
        expect(errors).toHaveLength(badCase.errors ?? (badCase.error ? 1 : 0));
        if (badCase.error) {
          const [first] = errors;
          expect(first?.code).toBe(badCase.error.code);
          expect(first?.id).toBe(badCase.error.id ?? undefined);
        }
        expect(victim.invalidFrames).toEqual([]);
      } finally {
        await victim.close();
      }
      expect(await storedCount()).toBe(before);
      const ack = await bystandersChat();
      expect(ack.seq).toBe(before + 1);
    });

    it("left the bystanders' connections open throughout", async () => {
      await bystandersChat();
      for (const client of [alice, bob]) {
        expect(client.socket.readyState).toBe(client.socket.OPEN);
        expect(client.frames.filter((f) => f.type === "error")).toEqual([]);
      }
    });
  });
}

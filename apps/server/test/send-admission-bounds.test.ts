import { describe, expect, it } from "vitest";
import { AppError } from "../src/app-error";
import { SendAdmission } from "../src/chat/send-admission";
import type { AppendResult } from "../src/store/store";

/** A send that stays unanswered until `finish` is called. */
function pendingSend() {
  let finish: () => void = () => {};
  const done = new Promise<string>((resolve) => {
    finish = () => resolve("acked");
  });
  return { run: () => done, finish };
}

async function refusalOf(attempt: Promise<unknown>): Promise<AppError> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe("SendAdmission's bounds", () => {
  it("refuses a conversation whose oldest append waited maxWaitMs for the store, the others not", async () => {
    let now = 1000;
    const admission = new SendAdmission({ limit: 100, conversationLimit: 100, maxWaitMs: 2000 }, { clock: () => now });
    const commits: Array<() => void> = [];
    const appender = admission.tracking({
      append: (input) =>
        new Promise<AppendResult>((resolve) => {
          commits.push(() => resolve({ status: "duplicate", message: { ...input, seq: 1 } }));
        }),
    });
    const input = (clientMsgId: string) => ({
      id: clientMsgId,
      conversationId: "c1",
      senderId: "u",
      clientMsgId,
      body: { kind: "text", text: "t" } as const,
      createdAt: 0,
    });
    // A send that takes long before its append (a slow content check) is not the store being slow.
    const slowCheck = pendingSend();
    const checking = admission.admit("c1", slowCheck.run);
    now += 5000;
    const taken = admission.admit("c1", () => appender.append(input("a")));
    now += 1999;
    const alsoTaken = admission.admit("c1", () => appender.append(input("b")));
    now += 1;
    const refusal = await refusalOf(admission.admit("c1", async () => "never"));
    expect(refusal).toMatchObject({ code: "unavailable", retryAfterMs: 2000 });
    expect(await admission.admit("c2", async () => "other conversation")).toBe("other conversation");
    for (const commit of commits) commit();
    slowCheck.finish();
    await Promise.all([taken, alsoTaken, checking]);
    expect(admission.waiting).toBe(0);
    expect(await admission.admit("c1", async () => "admitted again")).toBe("admitted again");
  });

  it("bounds all conversations together; retryAfterMs is the oldest's wait, at least 100 ms", async () => {
    let now = 0;
    const admission = new SendAdmission({ limit: 2, conversationLimit: 2, maxWaitMs: 5000 }, { clock: () => now });
    const a = pendingSend();
    const b = pendingSend();
    const first = admission.admit("c1", a.run);
    const second = admission.admit("c2", b.run);
    expect(await refusalOf(admission.admit("c3", async () => "never"))).toMatchObject({ retryAfterMs: 100 });
    now = 700;
    expect(await refusalOf(admission.admit("c3", async () => "never"))).toMatchObject({ retryAfterMs: 700 });
    a.finish();
    await first;
    expect(await admission.admit("c3", async () => "room again")).toBe("room again");
    b.finish();
    await second;
  });

  it("frees the place of a send that failed or threw", async () => {
    const admission = new SendAdmission({ limit: 1, conversationLimit: 1, maxWaitMs: 5000 });
    await expect(admission.admit("c1", () => Promise.reject(new Error("refused by a rule")))).rejects.toThrow();
    await expect(
      admission.admit("c1", () => {
        throw new Error("threw");
      }),
    ).rejects.toThrow("threw");
    expect(admission.waiting).toBe(0);
    expect(await admission.admit("c1", async () => "ok")).toBe("ok");
  });
});

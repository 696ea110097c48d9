import type { RefreshResponse } from "@mpchat/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChatError } from "../src/errors";
import { systemTimers } from "../src/ports/timers";
import { TokenRefresher } from "../src/token-refresher";

/** A TokenRefresher on fake timers, with a scripted refresh endpoint. */
function setup(answers: Array<RefreshResponse | ChatError>) {
  const calls = { refresh: 0, reauth: [] as string[], tokens: [] as string[], refused: [] as string[], errors: 0 };
  const refresher = new TokenRefresher(
    {
      initial: () => "app-token",
      refresh: async () => {
        calls.refresh++;
        const answer = answers.shift();
        if (!answer) throw new Error("no more answers scripted");
        if (answer instanceof ChatError) throw answer;
        return answer;
      },
      reauth: async (token) => {
        calls.reauth.push(token);
      },
      timers: systemTimers,
      now: () => Date.now(),
      random: () => 0.5,
      backoff: { baseMs: 100, maxMs: 1_000 },
    },
    {
      onToken: (event) => calls.tokens.push(event.token),
      onRefused: (message) => calls.refused.push(message),
      onError: () => calls.errors++,
    },
  );
  return { refresher, calls };
}

describe("TokenRefresher", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("refreshes at half the remaining life, re-auths with the new token and uses it from then on", async () => {
    const { refresher, calls } = setup([
      { token: "second", expiresAt: Date.now() + 15_000 },
      { token: "third", expiresAt: Date.now() + 30_000 },
    ]);
    expect(refresher.current()).toBe("app-token");
    refresher.learnExpiry(Date.now() + 10_000);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(calls.refresh).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls.refresh).toBe(1);
    expect(calls.reauth).toEqual(["second"]);
    expect(calls.tokens).toEqual(["second"]);
    expect(refresher.current()).toBe("second");
    // The next one at half of what is left of the new token (15 s - 5 s elapsed = 10 s → 5 s).
    await vi.advanceTimersByTimeAsync(5_000);
    expect(calls.reauth).toEqual(["second", "third"]);
  });

  it("retries a refresh that failed on the network, with backoff", async () => {
    const { refresher, calls } = setup([
      new ChatError("network", "offline"),
      new ChatError("unavailable", "503"),
      { token: "fresh", expiresAt: Date.now() + 60_000 },
    ]);
    refresher.learnExpiry(Date.now() + 20_000);
    await vi.advanceTimersByTimeAsync(10_000 + 50 + 100);
    expect(calls.refresh).toBe(3);
    expect(calls.errors).toBe(2);
    expect(calls.reauth).toEqual(["fresh"]);
    expect(calls.refused).toEqual([]);
  });

  it("stops and reports a refused refresh (401): the session is over", async () => {
    const { refresher, calls } = setup([new ChatError("unauthorized", "logged out", 401)]);
    refresher.learnExpiry(Date.now() + 2_000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.refresh).toBe(1);
    expect(calls.refused).toEqual(["logged out"]);
    expect(refresher.current()).toBe("app-token");
  });

  it("does nothing without a known expiry (an older server), after stop(), or for an expired token", async () => {
    const { refresher, calls } = setup([{ token: "never", expiresAt: Date.now() + 60_000 }]);
    refresher.learnExpiry(undefined);
    await vi.advanceTimersByTimeAsync(60_000);
    refresher.learnExpiry(Date.now() + 10_000);
    refresher.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    refresher.learnExpiry(Date.now() - 1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.refresh).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { SessionCache } from "../src/auth/session-cache";
import type { SessionRecord } from "../src/store/store";

/** A store of sessions that counts its reads and can hold one back. */
function sessionStore() {
  const rows = new Map<string, SessionRecord>();
  let reads = 0;
  let hold: Promise<void> | undefined;
  return {
    rows,
    get reads() {
      return reads;
    },
    holdReads(until: Promise<void>) {
      hold = until;
    },
    async getSession(id: string): Promise<SessionRecord | null> {
      reads++;
      const row = rows.get(id);
      const answer = row ? { ...row } : null;
      if (hold) await hold;
      return answer;
    },
  };
}

describe("SessionCache", () => {
  it("answers a live session from memory for ttlMs, then reads again (a logout whose bus event was lost)", async () => {
    const store = sessionStore();
    let now = 1_000;
    const cache = new SessionCache(store, () => now, { ttlMs: 3_000 });
    store.rows.set("s1", { id: "s1", userId: "u", createdAt: 0, endedAt: null });
    expect(await cache.isLive("s1", "u")).toBe(true);
    store.rows.set("s1", { id: "s1", userId: "u", createdAt: 0, endedAt: 1_500 });
    now = 3_999;
    expect(await cache.isLive("s1", "u")).toBe(true);
    expect(store.reads).toBe(1);
    now = 4_000;
    expect(await cache.isLive("s1", "u")).toBe(false);
    expect(store.reads).toBe(2);
  });

  it("refuses for good once ended, without reading; refuses unknown sessions and another user's", async () => {
    const store = sessionStore();
    let now = 0;
    const cache = new SessionCache(store, () => now);
    store.rows.set("s1", { id: "s1", userId: "u", createdAt: 0, endedAt: null });
    cache.ended("s1");
    now = 1e12;
    expect(await cache.isLive("s1", "u")).toBe(false);
    expect(store.reads).toBe(0);
    expect(await cache.isLive("nope", "u")).toBe(false);
    store.rows.set("s2", { id: "s2", userId: "owner", createdAt: 0, endedAt: null });
    expect(await cache.isLive("s2", "thief")).toBe(false);
  });

  it("lets an end heard during a read win over the read's older answer, and shares concurrent reads", async () => {
    const store = sessionStore();
    const cache = new SessionCache(store, () => 0);
    store.rows.set("s1", { id: "s1", userId: "u", createdAt: 0, endedAt: null });
    let release = () => {};
    store.holdReads(new Promise<void>((resolve) => (release = resolve)));
    const first = cache.isLive("s1", "u");
    const second = cache.isLive("s1", "u");
    cache.ended("s1");
    release();
    expect(await Promise.all([first, second])).toEqual([false, false]);
    expect(store.reads).toBe(1);
    expect(await cache.isLive("s1", "u")).toBe(false);
  });

  it("answers each caller of a shared read for its own user", async () => {
    const store = sessionStore();
    const cache = new SessionCache(store, () => 0);
    store.rows.set("s1", { id: "s1", userId: "owner", createdAt: 0, endedAt: null });
    const answers = await Promise.all([cache.isLive("s1", "thief"), cache.isLive("s1", "owner")]);
    expect(answers).toEqual([false, true]);
    expect(store.reads).toBe(1);
  });
});

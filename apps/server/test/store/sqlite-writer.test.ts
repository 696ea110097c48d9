import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { afterEach, describe, expect, it } from "vitest";
import { isStoreUnavailable } from "../../src/store/errors";
import { openSqlite } from "../../src/store/sqlite/open-sqlite";
import { isSqliteUniqueViolation } from "../../src/store/sqlite/sqlite-errors";
import { SqliteStore } from "../../src/store/sqlite/sqlite-store";
import { SqliteWriter } from "../../src/store/sqlite/sqlite-writer";
import { isFreshBuild, writerEntry } from "../../src/store/sqlite/writer-entry";
import type { Store } from "../../src/store/store";
import { rawRequest } from "../support/api";
import { startTestServer } from "../support/server";
import { allMessages, input, stored, uid } from "./contract-support";

/* The SQLite store's writes run in a worker thread (sqlite-writer.ts): what that must not change. */

const FAILING_WRITER = new URL("./fixtures/failing-writer.ts", import.meta.url);

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "mpchat-writer-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return join(dir, "mpchat.db");
}

async function open(path: string, entry = writerEntry()): Promise<SqliteStore> {
  const store = await openSqlite({ path, timeoutMs: 5_000, writer: entry });
  let closed = false;
  cleanups.push(async () => {
    if (!closed) await store.close();
  });
  const close = store.close.bind(store);
  store.close = async () => {
    closed = true;
    await close();
  };
  return store;
}

async function pair(store: Store) {
  const [a, b] = [uid("u"), uid("u")];
  await store.upsertUser({ id: a, name: "A" });
  await store.upsertUser({ id: b, name: "B" });
  const { conversation } = await store.getOrCreateDirect({ id: uid("d"), a, b, now: Date.now() });
  return { a, b, conversationId: conversation.id };
}

describe("the SQLite writer worker", () => {
  it("runs the prebuilt dist/ file when present (the test setup builds it), the source through tsx when not", async () => {
    expect(writerEntry()).toMatchObject({ built: true, execArgv: [] });
    const fallback = writerEntry(new URL("./no-such-build.js", import.meta.url));
    expect(fallback.built).toBe(false);
    expect(fallback.url.pathname).toMatch(/sqlite-writer-worker\.ts$/);
    expect(fallback.execArgv[0]).toBe("--import");

    const store = await open(await tempPath(), fallback);
    const { a, conversationId } = await pair(store);
    const [result] = await store.appendMessages([input(conversationId, a, "through tsx")]);
    expect(stored(result).seq).toBe(1);
    expect((await allMessages(store, conversationId)).map((m) => m.body)).toEqual([
      { kind: "text", text: "through tsx" },
    ]);
  });

  it("takes a build as fresh only when every file it lists is older than it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "mpchat-build-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, "dist"));
    await mkdir(join(dir, "src"));
    const built = join(dir, "dist", "w.js");
    const list = join(dir, "dist", "w.sources.json");
    const source = join(dir, "src", "a.ts");
    const cases: Array<[string, () => Promise<void>, boolean]> = [
      ["sources older than the build", async () => utimes(source, 1_000, 1_000), true],
      ["a source edited after the build", async () => utimes(source, 3_000, 3_000), false],
      ["a listed source that is gone", async () => writeFile(list, JSON.stringify(["src/a.ts", "src/gone.ts"])), false],
      ["no list beside the build", async () => rm(list), false],
      ["a list that is not JSON", async () => writeFile(list, "{"), false],
      ["no build at all", async () => rm(built), false],
    ];
    for (const [what, arrange, fresh] of cases) {
      await writeFile(built, "");
      await writeFile(list, JSON.stringify(["src/a.ts"]));
      await writeFile(source, "");
      await utimes(built, 2_000, 2_000);
      await utimes(source, 1_000, 1_000);
      await arrange();
      expect(isFreshBuild(pathToFileURL(built)), what).toBe(fresh);
    }
  });

  it("lets a read that starts after a write resolved see it (appends, read cursors, groups)", async () => {
    const store = await open(await tempPath());
    const { a, b, conversationId } = await pair(store);
    for (let i = 1; i <= 30; i++) {
      const [result] = await store.appendMessages([input(conversationId, a, `m${i}`)]);
      expect(stored(result).seq).toBe(i);
      const page = await store.listMessages(conversationId, { afterSeq: i - 1, limit: 10 });
      expect(page.messages.map((m) => m.seq)).toEqual([i]);
      expect(await store.markRead(conversationId, b, i)).toBe(i);
      expect((await store.getConversationView(conversationId, b))?.unread).toBe(0);
    }
    const group = await store.createGroup({ id: uid("g"), title: "G", memberIds: [a, b], now: Date.now() });
    expect(await store.isMember(group.id, b)).toBe(true);
  });

  it("answers a mixed batch whole across the thread: stored, duplicates (in the batch and from before), not found", async () => {
    const store = await open(await tempPath());
    const { a, b, conversationId } = await pair(store);
    const [earlier] = await store.appendMessages([input(conversationId, b, "earlier", "k-before")]);
    const first = input(conversationId, a, "first", "k1");
    const batch = [
      first,
      { ...input(conversationId, a, "same key again", "k1") },
      input(uid("missing"), a, "nowhere"),
      input(conversationId, b, "repeat of before", "k-before"),
      input(conversationId, a, "second", "k2"),
    ];
    const results = await store.appendMessages(batch);
    const firstStored = { ...first, seq: 2 };
    expect(results).toEqual([
      { status: "stored", message: firstStored },
      { status: "duplicate", message: firstStored },
      { status: "not_found" },
      { status: "duplicate", message: stored(earlier) },
      { status: "stored", message: { ...(batch[4] as (typeof batch)[number]), seq: 3 } },
    ]);
    expect(await allMessages(store, conversationId)).toEqual([stored(earlier), firstStored, stored(results[4])]);
  });

  it("refuses bad writes with SQLite's own error, as on the main thread, and keeps serving", async () => {
    const store = await open(await tempPath());
    const { a, conversationId } = await pair(store);
    const session = { id: uid("s"), userId: a, createdAt: 1 };
    await store.createSession(session);
    const invite = { code: uid("i"), creatorId: a, createdAt: 1, expiresAt: 2 };
    await store.createInvite(invite);
    const refusals: Array<[string, () => Promise<unknown>]> = [
      ["a session id taken", () => store.createSession({ ...session, createdAt: 2 })],
      ["an invite code taken", () => store.createInvite({ ...invite, createdAt: 3 })],
    ];
    for (const [what, write] of refusals) {
      const error = await write().then(
        () => new Error(`${what}: stored`),
        (e: unknown) => e,
      );
      expect(isSqliteUniqueViolation(error), what).toBe(true);
      expect(isStoreUnavailable(error), what).toBe(false);
    }
    expect((await store.getSession(session.id))?.createdAt).toBe(1);
    expect((await store.findInvite(invite.code))?.createdAt).toBe(1);
    const [result] = await store.appendMessages([input(conversationId, a, "still serving")]);
    expect(stored(result).seq).toBe(1);
  });

  it("answers a full disk (SQLITE_FULL) as unavailable, stores none of the batch, and keeps reading", async () => {
    const path = await tempPath();
    const setup = await open(path);
    const { a, conversationId } = await pair(setup);
    await setup.close();
    // The store's parts by hand, to cap the writer's own connection (max_page_count is per connection).
    const client = createClient({ url: `file:${path}` });
    const writer = await SqliteWriter.start({ path, timeoutMs: 5_000 });
    const store = new SqliteStore(drizzle(client), client, writer);
    cleanups.push(() => store.close());
    const { rows } = await writer.statement("pragma page_count", [], "get");
    await writer.statement(`pragma max_page_count = ${Number((rows as number[])[0]) + 2}`, [], "run");

    const big = Array.from({ length: 40 }, (_, i) => input(conversationId, a, `${i}`.padEnd(3_000, "x")));
    const error = await store.appendMessages(big).then(
      () => new Error("stored"),
      (e: unknown) => e,
    );
    expect(isStoreUnavailable(error)).toBe(true);
    expect(await allMessages(store, conversationId)).toEqual([]);
    await store.ping();
  });

  it("drains on close: every write queued before close commits, and is there after a reopen", async () => {
    const path = await tempPath();
    const store = await open(path);
    const { a, conversationId } = await pair(store);
    const batches = Array.from({ length: 20 }, (_, b) =>
      store.appendMessages(Array.from({ length: 10 }, (_, i) => input(conversationId, a, `q${b}.${i}`))),
    );
    const read = store.markRead(conversationId, a, 200);
    const closed = store.close();
    const seqs = (await Promise.all(batches)).flat().map((r) => stored(r).seq);
    await closed;
    expect(seqs).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(await read).toBe(200);
    const after = await store.appendMessages([input(conversationId, a, "late")]).catch((e: unknown) => e);
    expect(isStoreUnavailable(after)).toBe(true);

    const reopened = await open(path);
    expect((await allMessages(reopened, conversationId)).map((m) => m.seq)).toEqual(seqs);
    expect((await reopened.getConversationView(conversationId, a))?.readSeq).toBe(200);
  });

  for (const marker of ["writer-exits", "writer-throws"]) {
    it(`reports unavailable when the worker dies (${marker}): pending and later writes, ping and /readyz`, async () => {
      const path = await tempPath();
      const store = await open(path, {
        url: FAILING_WRITER,
        execArgv: writerEntry(new URL("file:///none")).execArgv,
        built: false,
      });
      const { a, conversationId } = await pair(store);
      const [first] = await store.appendMessages([input(conversationId, a, "before")]);
      expect(stored(first).seq).toBe(1);

      const dying = await store.createSession({ id: marker, userId: a, createdAt: 1 }).catch((e: unknown) => e);
      expect(isStoreUnavailable(dying)).toBe(true);
      const later = await Promise.all(
        [
          store.appendMessages([input(conversationId, a, "after")]),
          store.markRead(conversationId, a, 1),
          store.upsertUser({ id: uid("u"), name: "C" }),
          store.ping(),
        ].map((write) => write.catch((e: unknown) => e)),
      );
      expect(later.map(isStoreUnavailable)).toEqual([true, true, true, true]);

      const server = await startTestServer({ deps: { store } });
      try {
        expect(await rawRequest(server, "GET", "/readyz")).toMatchObject({ status: 503, body: { store: "down" } });
      } finally {
        await server.close();
      }
      // Reads still answer from this thread's connection; what was acked is there.
      expect((await allMessages(store, conversationId)).map((m) => m.seq)).toEqual([1]);
      await store.close();
    });
  }
});

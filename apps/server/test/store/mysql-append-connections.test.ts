import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/mysql2";
import { createConnection } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store";
import type { Store } from "../../src/store/store";
import { suiteTitle } from "../cluster/support/env";
import { input, stored, uid } from "./contract-support";
import { createFreshDatabase, type FreshDatabase, MYSQL_SKIP_REASON, MYSQL_URL } from "./mysql-database";

/**
 * The appender keeps its connections with autocommit off (mysql-connections.ts,
 * appendTransaction). None of them may serve the pool's other users: a write
 * outside a transaction there would never be committed.
 */
describe.skipIf(!MYSQL_URL)(suiteTitle("MySQL append connections", MYSQL_URL ? undefined : MYSQL_SKIP_REASON), () => {
  let database: FreshDatabase;
  let store: Store;

  beforeAll(async () => {
    database = await createFreshDatabase(MYSQL_URL ?? "");
    store = await openStore({ databaseUrl: database.url, dataDir: "unused", poolSize: 4, timeoutMs: 5000 });
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await database?.drop();
  });

  it("more appends at once than lanes, then plain writes: every write is committed for other connections", async () => {
    const alice = uid("alice");
    await store.upsertUser({ id: alice, name: "alice" });
    const group = await store.createGroup({ id: uid("g"), title: "g", memberIds: [alice], now: Date.now() });
    // Twelve direct batches at once: twelve connections, of which the appender keeps two.
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => store.appendMessages([input(group.id, alice, `m${i}`)])),
    );
    expect(results.map((r) => stored(r[0]).seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    // Writes outside a transaction, on whatever connections the pool hands out.
    const ids = Array.from({ length: 20 }, (_, i) => uid(`u${i}`));
    for (const id of ids) await store.upsertUser({ id, name: id });
    await store.appendMessages([input(group.id, alice, "after")]);

    const reader = await createConnection({ uri: database.url });
    try {
      const db = drizzle({ client: reader });
      const [users] = await db.execute(sql`select count(*) as n from users where id in ${ids}`);
      expect(Number((users as unknown as { n: number }[])[0]?.n)).toBe(ids.length);
      const [messages] = await db.execute(sql`select count(*) as n from messages`);
      expect(Number((messages as unknown as { n: number }[])[0]?.n)).toBe(13);
    } finally {
      await reader.end();
    }
  });
});

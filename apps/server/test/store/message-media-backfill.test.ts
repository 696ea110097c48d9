import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { getTableColumns, getTableName, type SQL, sql, type Table } from "drizzle-orm";
import { drizzle as drizzleSqlite } from "drizzle-orm/libsql";
import { migrate as migrateSqlite } from "drizzle-orm/libsql/migrator";
import { drizzle as drizzleMysql } from "drizzle-orm/mysql2";
import { migrate as migrateMysql } from "drizzle-orm/mysql2/migrator";
import { createConnection } from "mysql2/promise";
import { afterEach, describe, expect, it } from "vitest";
import { MYSQL_MIGRATIONS } from "../../src/store/mysql/mysql-migrate";
import * as mysqlSchema from "../../src/store/mysql/schema";
import { openStore } from "../../src/store/open-store";
import { SQLITE_MIGRATIONS } from "../../src/store/sqlite/open-sqlite";
import * as sqliteSchema from "../../src/store/sqlite/schema";
import type { Store } from "../../src/store/store";
import { createFreshDatabase, MYSQL_SKIP_REASON, MYSQL_URL } from "./mysql-database";

/*
 * Migration 0005 creates message_media and fills it from the media bodies that
 * messages stored before it: after the upgrade, a recipient can fetch media sent
 * before it, and the collector keeps that media.
 */

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A copy of a migrations folder with only the migrations before 0005. */
async function migrationsBefore0005(source: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "mpchat-backfill-"));
  dirs.push(dir);
  const folder = join(dir, "migrations");
  await cp(source, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(await readFile(journalPath, "utf8")) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag < "0005");
  await writeFile(journalPath, JSON.stringify(journal));
  return folder;
}

/**
 * An insert of exactly the given fields: the schema of today has columns that later
 * migrations add (with defaults), which a drizzle insert would name and the old
 * tables lack. Values stay parameters; names come from the schema's columns.
 */
function insertOld(table: Table, values: readonly Record<string, unknown>[]): SQL {
  const columns = getTableColumns(table);
  const first = values[0];
  if (!first) throw new Error("no rows");
  const keys = Object.keys(first);
  const names = keys.map((key) => {
    const column = columns[key];
    if (!column) throw new Error(`no column ${key}`);
    return sql.identifier(column.name);
  });
  const tuples = values.map(
    (row) =>
      sql`(${sql.join(
        keys.map((key) => sql`${row[key]}`),
        sql`, `,
      )})`,
  );
  return sql`insert into ${sql.identifier(getTableName(table))} (${sql.join(names, sql`, `)}) values ${sql.join(tuples, sql`, `)}`;
}

const at = 1_000;
const media = (id: string, kind: "image" | "voice" | "file") => ({
  id,
  uploaderId: "alice",
  clientMediaId: `c-${id}`,
  kind,
  mime: "application/octet-stream",
  size: 1,
  storageKey: `k-${id}`,
  createdAt: at,
});
/** What an older version stored: three media messages, a text that names a media id, and media never sent. */
const rows = {
  users: ["alice", "bob", "carol"].map((id) => ({ id, name: id, createdAt: at })),
  conversations: [
    { id: "d1", kind: "direct" as const, title: "", directKey: "alice:bob", lastSeq: 4, createdAt: at, updatedAt: at },
  ],
  members: ["alice", "bob"].map((userId, position) => ({ conversationId: "d1", userId, position, joinedAt: at })),
  media: [media("img1", "image"), media("vc1", "voice"), media("fl1", "file"), media("loose1", "image")],
  messages: [
    { kind: "image", mediaId: "img1", width: 1, height: 1 },
    { kind: "voice", mediaId: "vc1", durationMs: 1000 },
    { kind: "file", mediaId: "fl1", name: "a.pdf", size: 1 },
    { kind: "text", text: "loose1" },
  ].map((body, i) => ({
    id: `m${i + 1}`,
    conversationId: "d1",
    seq: i + 1,
    senderId: "alice",
    clientMsgId: `cm${i + 1}`,
    body: JSON.stringify(body),
    createdAt: at,
  })),
};

async function expectBackfilled(store: Store): Promise<void> {
  for (const id of ["img1", "vc1", "fl1"]) {
    expect(await store.mediaSharedWith(id, "bob"), id).toBe(true);
    expect(await store.mediaSharedWith(id, "carol"), id).toBe(false);
  }
  expect(await store.mediaSharedWith("loose1", "bob")).toBe(false);
  expect((await store.unreferencedMedia(at + 1, 100)).map((m) => m.id)).toEqual(["loose1"]);
}

describe("migration 0005 backfills message_media", () => {
  it("SQLite", async () => {
    const folder = await migrationsBefore0005(SQLITE_MIGRATIONS);
    const dataDir = join(folder, "..");
    const client = createClient({ url: `file:${join(dataDir, "mpchat.db")}` });
    const db = drizzleSqlite(client);
    await migrateSqlite(db, { migrationsFolder: folder });
    await db.run(insertOld(sqliteSchema.users, rows.users));
    await db.run(insertOld(sqliteSchema.conversations, rows.conversations));
    await db.run(insertOld(sqliteSchema.members, rows.members));
    await db.run(insertOld(sqliteSchema.media, rows.media));
    await db.run(insertOld(sqliteSchema.messages, rows.messages));
    client.close();

    const store = await openStore({ dataDir });
    try {
      await expectBackfilled(store);
    } finally {
      await store.close();
    }
  });

  it.skipIf(!MYSQL_URL)(MYSQL_URL ? "MySQL" : MYSQL_SKIP_REASON, { timeout: 60_000 }, async () => {
    const database = await createFreshDatabase(MYSQL_URL ?? "");
    try {
      const folder = await migrationsBefore0005(MYSQL_MIGRATIONS);
      const connection = await createConnection({ uri: database.url });
      try {
        const db = drizzleMysql({ client: connection });
        await migrateMysql(db, { migrationsFolder: folder });
        await db.execute(insertOld(mysqlSchema.users, rows.users));
        await db.execute(insertOld(mysqlSchema.conversations, rows.conversations));
        await db.execute(insertOld(mysqlSchema.members, rows.members));
        await db.execute(insertOld(mysqlSchema.media, rows.media));
        await db.execute(insertOld(mysqlSchema.messages, rows.messages));
      } finally {
        await connection.end();
      }
      const store = await openStore({ databaseUrl: database.url, dataDir: "unused", poolSize: 2, timeoutMs: 10_000 });
      try {
        await expectBackfilled(store);
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  });
});

import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import Database from "libsql";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store";
import { SQLITE_MIGRATIONS } from "../../src/store/sqlite/open-sqlite";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A database as the version before roles left it (migrations before 0007_group_roles). */
async function databaseBeforeRoles(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "mpchat-roles-"));
  dirs.push(dir);
  const folder = join(dir, "migrations");
  await cp(SQLITE_MIGRATIONS, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(await readFile(journalPath, "utf8")) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag < "0007");
  await writeFile(journalPath, JSON.stringify(journal));
  const client = createClient({ url: `file:${join(dir, "mpchat.db")}` });
  await migrate(drizzle(client), { migrationsFolder: folder });
  client.close();
  return dir;
}

describe("the group roles migration", () => {
  it("makes each existing group's first member its owner; direct conversations get none", async () => {
    const dir = await databaseBeforeRoles();
    const raw = new Database(join(dir, "mpchat.db"));
    const conversation = raw.prepare(
      "insert into conversations (id, kind, title, direct_key, last_seq, created_at, updated_at) values (?, ?, ?, ?, 0, 1, 1)",
    );
    conversation.run(["g1", "group", "old group", null]);
    conversation.run(["d1", "direct", "", "bob:carol"]);
    const member = raw.prepare(
      "insert into members (conversation_id, user_id, read_seq, position, joined_at) values (?, ?, 0, ?, 1)",
    );
    // Inserted out of join order: the owner is the one at position 0, not the first row.
    member.run(["g1", "carol", 1]);
    member.run(["g1", "bob", 0]);
    member.run(["d1", "bob", 0]);
    member.run(["d1", "carol", 1]);
    raw.close();

    const store = await openStore({ dataDir: dir });
    try {
      expect(await store.getConversation("g1")).toMatchObject({
        ownerId: "bob",
        adminIds: [],
        mutes: [],
        mutedAllUntil: 0,
        memberIds: ["bob", "carol"],
      });
      const direct = await store.getConversation("d1");
      expect(direct?.ownerId).toBeUndefined();
      expect(direct?.dissolvedAt).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

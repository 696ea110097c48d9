import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { isWellFormedText } from "@mpchat/protocol";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import Database from "libsql";
import { afterEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store";
import { SQLITE_MIGRATIONS } from "../../src/store/sqlite/open-sqlite";

/** UTF-8 of the text with each `\uD800`-style unit written as raw (invalid) bytes, as older versions stored them. */
const LONE_HIGH = Buffer.from([0xed, 0xa0, 0x80]); // U+D800 encoded as if it were a code point
const LONE_LOW = Buffer.from([0xed, 0xbf, 0xbf]); // U+DFFF
const STRAY = Buffer.from([0xff, 0xc3]); // not UTF-8 at all
const bytes = (...parts: Array<string | Buffer>) =>
  Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A database as the version before the repair migration left it (migrations 0000–0002 only). */
async function databaseOfOlderVersion(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "mpchat-repair-"));
  dirs.push(dir);
  const folder = join(dir, "migrations");
  await cp(SQLITE_MIGRATIONS, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(await readFile(journalPath, "utf8")) as { entries: { tag: string }[] };
  journal.entries = journal.entries.filter((e) => e.tag < "0003");
  await writeFile(journalPath, JSON.stringify(journal));
  const client = createClient({ url: `file:${join(dir, "mpchat.db")}` });
  await migrate(drizzle(client), { migrationsFolder: folder });
  client.close();
  return dir;
}

describe("SQLite repair of ill-formed strings stored by older versions", () => {
  it("repairs invalid UTF-8 in every text column on open, so that reads never abort", async () => {
    const dir = await databaseOfOlderVersion();
    const raw = new Database(join(dir, "mpchat.db"));
    const asText = "cast(? as text)";
    raw
      .prepare(`insert into users (id, name, created_at) values (?, ${asText}, 1)`)
      .run(["alice", bytes("Al", LONE_HIGH, "ice")]);
    raw.prepare(`insert into users (id, name, created_at) values (?, ?, 1)`).run(["bob", "Bob 😀"]);
    raw
      .prepare(
        `insert into conversations (id, kind, title, last_seq, created_at, updated_at) values ('g1', 'group', ${asText}, 3, 1, 1)`,
      )
      .run([bytes("ti", STRAY, "tle")]);
    for (const [user, position] of [
      ["alice", 0],
      ["bob", 1],
    ] as const) {
      raw
        .prepare(
          "insert into members (conversation_id, user_id, read_seq, position, joined_at) values ('g1', ?, 0, ?, 1)",
        )
        .run([user, position]);
    }
    const insertMessage = raw.prepare(
      `insert into messages (id, conversation_id, seq, sender_id, client_msg_id, body, created_at) values (?, 'g1', ?, 'alice', ${asText}, ${asText}, 1)`,
    );
    const body = (t: Buffer) => bytes('{"kind":"text","text":"', t, '"}');
    insertMessage.run(["m1", 1, bytes("c", LONE_HIGH), body(bytes("hi"))]);
    // Two clientMsgIds that differ only in their broken bytes: repaired, they must not collide.
    insertMessage.run(["m2", 2, bytes("c", LONE_LOW), body(bytes("x", LONE_LOW))]);
    insertMessage.run(["m3", 3, bytes("fine 你好"), body(bytes("你好 😀"))]);
    raw.close();

    const store = await openStore({ dataDir: dir });
    try {
      const reads = [
        await store.getUser("alice"),
        await store.listConversations("alice"),
        await store.getConversationView("g1", "bob"),
        await store.listMessages("g1", { afterSeq: 0, limit: 50 }),
      ];
      const all = JSON.stringify(reads);
      const strings: string[] = [];
      JSON.parse(all, (_k, v: unknown) => {
        if (typeof v === "string") strings.push(v);
        return v;
      });
      for (const s of strings) expect(isWellFormedText(s), JSON.stringify(s)).toBe(true);
      expect(await store.getUser("alice")).toEqual({ id: "alice", name: "Al\ufffdice" });
      expect(await store.getUser("bob")).toEqual({ id: "bob", name: "Bob 😀" });
      expect((await store.getConversation("g1"))?.title).toBe("ti\ufffd\ufffdtle");
      const page = await store.listMessages("g1", { afterSeq: 0, limit: 50 });
      const ids = page.messages.map((m) => m.clientMsgId);
      expect(ids[0]).toBe("c\ufffd");
      expect(ids[1]?.startsWith("c\ufffd")).toBe(true);
      expect(new Set(ids).size).toBe(3);
      expect(page.messages.map((m) => m.body)).toEqual([
        { kind: "text", text: "hi" },
        { kind: "text", text: "x\ufffd" },
        { kind: "text", text: "你好 😀" },
      ]);
      expect(ids[2]).toBe("fine 你好");
    } finally {
      await store.close();
    }
  });

  it("repairs once: the marker of migration 0003 is gone after the first open", async () => {
    const dir = await databaseOfOlderVersion();
    (await openStore({ dataDir: dir })).close();
    const raw = new Database(join(dir, "mpchat.db"));
    const marker = raw
      .prepare("select count(*) as n from sqlite_master where name = '__mpchat_repair_strings'")
      .get() as { n: number };
    raw.close();
    expect(marker.n).toBe(0);
  });
});

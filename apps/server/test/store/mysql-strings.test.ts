import { isWellFormedText } from "@mpchat/protocol";
import { createConnection } from "mysql2/promise";
import { describe, expect, it } from "vitest";
import { connectionOptions } from "../../src/store/mysql/mysql-options";
import { openMysql } from "../../src/store/mysql/open-mysql";
import { createFreshDatabase, MYSQL_SKIP_REASON, MYSQL_URL } from "./mysql-database";

/**
 * What MySQL/MariaDB (utf8mb4) does with ill-formed strings below the store's guard
 * (the adapter opened directly, not through openStore): nothing ill-formed gets in
 * through any path mpchat writes by, and nothing stored can break a read.
 */
describe.skipIf(!MYSQL_URL)("MySQL: nothing ill-formed can be stored", () => {
  it("through mysql2, JSON_TABLE appends and raw bytes", async () => {
    const database = await createFreshDatabase(MYSQL_URL ?? "");
    const store = await openMysql({ url: database.url, poolSize: 2, timeoutMs: 10_000 });
    const connection = await createConnection(connectionOptions({ url: database.url, poolSize: 1, timeoutMs: 10_000 }));
    try {
      // 1. A bound string parameter: mysql2 encodes it with Node's UTF-8 encoder, which
      //    writes each unpaired surrogate as U+FFFD (silently: the guard makes it bad_request).
      await store.upsertUser({ id: "hi", name: "A\ud800" });
      await store.upsertUser({ id: "pair", name: "😀\ud83d" });
      expect(await store.getUser("hi")).toEqual({ id: "hi", name: "A\ufffd" });
      expect(await store.getUser("pair")).toEqual({ id: "pair", name: "😀\ufffd" });

      // 2. Appends go through JSON_TABLE: MariaDB decodes "\ud800" to NULL, the NOT NULL
      //    column refuses it and the batch fails whole (before protocol 1.1 this answered
      //    `internal`; now the protocol and the guard answer bad_request first).
      const group = await store.createGroup({ id: "g", title: "t", memberIds: ["hi"], now: 1 });
      const append = (clientMsgId: string, text: string) =>
        store.appendMessages([
          {
            id: `m${clientMsgId.length}${text.length}`,
            conversationId: group.id,
            senderId: "hi",
            clientMsgId,
            body: { kind: "text", text },
            createdAt: 1,
          },
        ]);
      await expect(append("c\ud800", "t")).rejects.toThrow();
      const stored = await append("c", "t\ud800"); // the body is JSON text: "\ud800" stays an escape
      expect(stored[0]?.status).toBe("stored");
      const page = await store.listMessages(group.id, { afterSeq: 0, limit: 10 });
      expect(page.messages.map((m) => m.clientMsgId)).toEqual(["c"]);

      // 3. Raw bytes written by someone else: MySQL refuses them (strict mode); MariaDB may
      //    keep an encoded surrogate (ED A0 80) or turn bytes into "?". Either way a read
      //    through mysql2 gives well-formed strings and never aborts.
      for (const bytes of [Buffer.from([0x41, 0xed, 0xa0, 0x80]), Buffer.from([0xff, 0xfe]), Buffer.from([0xc3])]) {
        const id = `b${bytes.toString("hex")}`;
        await connection
          .execute("insert into users (id, name, created_at) values (?, convert(? using utf8mb4), 1)", [id, bytes])
          .catch(() => undefined);
        const user = await store.getUser(id);
        if (user) expect(isWellFormedText(user.name), JSON.stringify(user.name)).toBe(true);
      }
      for (const user of await Promise.all(["hi", "pair"].map((id) => store.getUser(id)))) {
        expect(isWellFormedText(user?.name ?? "")).toBe(true);
      }
    } finally {
      await connection.end();
      await store.close();
      await database.drop();
    }
  });
});

describe.skipIf(Boolean(MYSQL_URL))("MySQL strings", () => {
  it.skip(MYSQL_SKIP_REASON, () => {});
});

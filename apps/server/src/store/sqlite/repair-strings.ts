import { sql } from "drizzle-orm";
import type { LibSQLDatabase } from "drizzle-orm/libsql";

/** Set by migration 0002 and dropped once the repair committed. */
const MARKER = "__mpchat_repair_strings";

/** Every TEXT column that holds a string from a client (the rest are integers). */
const TEXT_COLUMNS: Record<string, readonly string[]> = {
  users: ["id", "name"],
  conversations: ["id", "title", "direct_key"],
  members: ["conversation_id", "user_id"],
  messages: ["id", "conversation_id", "sender_id", "client_msg_id", "body"],
};

const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

/**
 * A surrogate encoded as if it were a code point (ED A0..BF 80..BF, what SQLite's JSON
 * functions make of "\ud800") becomes the three bytes of U+FFFD, so that one unpaired
 * surrogate is repaired to one U+FFFD as `toWellFormed` would; the decoder then replaces
 * any other ill-formed sequence.
 */
function withSurrogatesReplaced(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 0; i + 2 < out.length; i++) {
    const [a, b, c] = [out[i] ?? 0, out[i + 1] ?? 0, out[i + 2] ?? 0];
    if (a === 0xed && b >= 0xa0 && b <= 0xbf && c >= 0x80 && c <= 0xbf) {
      out.set([0xef, 0xbf, 0xbd], i);
      i += 2;
    }
  }
  return out;
}

/** The repaired string when the bytes are not valid UTF-8; undefined when they are. */
function repairedOf(bytes: Uint8Array): string | undefined {
  try {
    strict.decode(bytes);
    return undefined;
  } catch {
    return lenient.decode(withSurrogatesReplaced(bytes));
  }
}

function bytesOf(value: unknown): Uint8Array {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return new Uint8Array(0);
}

/**
 * Repairs rows that hold invalid UTF-8 TEXT, if migration 0002 says the repair is due.
 * Columns are read as BLOBs (a BLOB never goes through libsql's UTF-8 decoding, which is
 * what aborts), and only rows with a byte outside printable ASCII are looked at.
 * Returns how many values were repaired.
 */
export async function repairIllFormedStrings(db: LibSQLDatabase): Promise<number> {
  const due = await db.all(sql`select name from sqlite_master where type = 'table' and name = ${MARKER}`);
  if (due.length === 0) return 0;
  return db.transaction(async (tx) => {
    let repaired = 0;
    for (const [table, columns] of Object.entries(TEXT_COLUMNS)) {
      for (const column of columns) {
        const t = sql.identifier(table);
        const c = sql.identifier(column);
        const rows = await tx.all<{ r: number; b: unknown }>(
          sql`select rowid as r, cast(${c} as blob) as b from ${t} where ${c} glob '*[^ -~]*'`,
        );
        for (const row of rows) {
          const value = repairedOf(bytesOf(row.b));
          if (value === undefined) continue;
          try {
            await tx.run(sql`update ${t} set ${c} = ${value} where rowid = ${row.r}`);
          } catch {
            // Two values that differed only in their broken bytes now collide on a unique key
            // (e.g. two clientMsgIds of one sender): keep them apart by the row.
            await tx.run(sql`update ${t} set ${c} = ${`${value}\ufffd${row.r}`} where rowid = ${row.r}`);
          }
          repaired++;
        }
      }
    }
    await tx.run(sql`drop table ${sql.identifier(MARKER)}`);
    return repaired;
  });
}

import type { InferInsertModel, InferSelectModel } from "drizzle-orm";
import { getTableConfig as mysqlTableConfig } from "drizzle-orm/mysql-core";
import { getTableConfig as sqliteTableConfig } from "drizzle-orm/sqlite-core";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as mysql from "../../src/store/mysql/schema";
import * as sqlite from "../../src/store/sqlite/schema";

/**
 * Both dialects must describe the same data: same tables, columns, nullability,
 * defaults, keys and indexes (types differ by dialect, so they are compared at
 * the TypeScript level instead).
 */
type Shape = {
  columns: { name: string; notNull: boolean; hasDefault: boolean; primary: boolean }[];
  primaryKeys: string[][];
  indexes: { name: string; unique: boolean; columns: string[] }[];
};

function columnNames(columns: readonly unknown[]): string[] {
  return columns.map((c) => (c as { name: string }).name);
}

function shapeOf(config: {
  columns: readonly { name: string; notNull: boolean; hasDefault: boolean; primary: boolean }[];
  primaryKeys: readonly { columns: readonly unknown[] }[];
  indexes: readonly { config: { name: string; unique?: boolean; columns: readonly unknown[] } }[];
}): Shape {
  return {
    columns: config.columns
      .map((c) => ({ name: c.name, notNull: c.notNull, hasDefault: c.hasDefault, primary: c.primary }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    primaryKeys: config.primaryKeys.map((pk) => columnNames(pk.columns)),
    indexes: config.indexes
      .map((i) => ({ name: i.config.name, unique: Boolean(i.config.unique), columns: columnNames(i.config.columns) }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

const pairs = [
  ["users", sqlite.users, mysql.users],
  ["conversations", sqlite.conversations, mysql.conversations],
  ["members", sqlite.members, mysql.members],
  ["messages", sqlite.messages, mysql.messages],
  ["sessions", sqlite.sessions, mysql.sessions],
  ["media", sqlite.media, mysql.media],
  ["messageMedia", sqlite.messageMedia, mysql.messageMedia],
  ["invites", sqlite.invites, mysql.invites],
  ["blocks", sqlite.blocks, mysql.blocks],
  ["reports", sqlite.reports, mysql.reports],
  ["bans", sqlite.bans, mysql.bans],
  ["auditLog", sqlite.auditLog, mysql.auditLog],
  ["noticeCredits", sqlite.noticeCredits, mysql.noticeCredits],
  ["noticeMarks", sqlite.noticeMarks, mysql.noticeMarks],
  ["mediaChecks", sqlite.mediaChecks, mysql.mediaChecks],
] as const;

describe("schema parity between SQLite and MySQL", () => {
  it("exports the same tables", () => {
    const tablesOf = (module: Record<string, unknown>) => Object.keys(module).sort();
    expect(tablesOf(sqlite)).toEqual(tablesOf(mysql));
    expect(tablesOf(sqlite)).toEqual(pairs.map(([name]) => name).sort());
  });

  for (const [name, sqliteTable, mysqlTable] of pairs) {
    it(`${name}: same table name, columns, keys and indexes`, () => {
      const s = sqliteTableConfig(sqliteTable);
      const m = mysqlTableConfig(mysqlTable);
      expect(s.name).toBe(m.name);
      expect(shapeOf(s)).toEqual(shapeOf(m));
      expect(shapeOf(s).columns.length).toBeGreaterThan(2);
    });
  }

  it("infers the same row types in TypeScript", () => {
    expectTypeOf<InferSelectModel<typeof sqlite.users>>().toEqualTypeOf<InferSelectModel<typeof mysql.users>>();
    expectTypeOf<InferSelectModel<typeof sqlite.conversations>>().toEqualTypeOf<
      InferSelectModel<typeof mysql.conversations>
    >();
    expectTypeOf<InferSelectModel<typeof sqlite.members>>().toEqualTypeOf<InferSelectModel<typeof mysql.members>>();
    expectTypeOf<InferSelectModel<typeof sqlite.messages>>().toEqualTypeOf<InferSelectModel<typeof mysql.messages>>();
    expectTypeOf<InferInsertModel<typeof sqlite.messages>>().toEqualTypeOf<InferInsertModel<typeof mysql.messages>>();
    expectTypeOf<InferInsertModel<typeof sqlite.conversations>>().toEqualTypeOf<
      InferInsertModel<typeof mysql.conversations>
    >();
    expectTypeOf<InferSelectModel<typeof sqlite.media>>().toEqualTypeOf<InferSelectModel<typeof mysql.media>>();
    expectTypeOf<InferSelectModel<typeof sqlite.messageMedia>>().toEqualTypeOf<
      InferSelectModel<typeof mysql.messageMedia>
    >();
    expectTypeOf<InferSelectModel<typeof sqlite.invites>>().toEqualTypeOf<InferSelectModel<typeof mysql.invites>>();
    expectTypeOf<InferSelectModel<typeof sqlite.blocks>>().toEqualTypeOf<InferSelectModel<typeof mysql.blocks>>();
    expectTypeOf<InferSelectModel<typeof sqlite.reports>>().toEqualTypeOf<InferSelectModel<typeof mysql.reports>>();
    expectTypeOf<InferInsertModel<typeof sqlite.reports>>().toEqualTypeOf<InferInsertModel<typeof mysql.reports>>();
    expectTypeOf<InferSelectModel<typeof sqlite.noticeCredits>>().toEqualTypeOf<
      InferSelectModel<typeof mysql.noticeCredits>
    >();
    expectTypeOf<InferSelectModel<typeof sqlite.noticeMarks>>().toEqualTypeOf<
      InferSelectModel<typeof mysql.noticeMarks>
    >();
  });
});

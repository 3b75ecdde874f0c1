import type SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { BatchedInsert, SQLITE_MAX_BOUND_VALUES, databaseUrl, openLedgerConnection } from "~/server/db.server";

/**
 * The batched insert on the test database, through the writers' own kind of connection
 * (better-sqlite3, or the synchronous PostgreSQL one): every row in, in order, around the batch's
 * size; a wrong row or batch refused.
 */
let sqlite: SQLite.Database;
beforeAll(() => {
  sqlite = openLedgerConnection(databaseUrl());
  sqlite.exec("CREATE TABLE t (a INTEGER NOT NULL, b TEXT NOT NULL)");
});

afterAll(() => {
  sqlite.exec("DROP TABLE t");
  sqlite.close();
});

// every test adds its rows with ascending a
const rows = () =>
  // the statement's SELECT names exactly these columns
  (sqlite.prepare("SELECT a, b FROM t ORDER BY a").all() as { a: number | string; b: string }[]).map((row) => ({ a: Number(row.a), b: row.b }));

describe("BatchedInsert", () => {
  it("inserts every row in the order added, one short of, at and one past a batch", () => {
    for (const count of [31, 32, 33, 64, 65]) {
      sqlite.exec("DELETE FROM t");
      const insert = new BatchedInsert(sqlite, "t", ["a", "b"], 32);
      for (let i = 0; i < count; i++) insert.add(i, `r${i}`);
      insert.flush();
      expect(rows()).toEqual(Array.from({ length: count }, (_, i) => ({ a: i, b: `r${i}` })));
    }
  });

  it("refuses a row with too few or too many values, writing nothing of it", () => {
    sqlite.exec("DELETE FROM t");
    const insert = new BatchedInsert(sqlite, "t", ["a", "b"], 2);
    insert.add(1, "one");
    expect(() => insert.add(2)).toThrow(/1 values for 2 columns/);
    expect(() => insert.add(3, "three", "extra")).toThrow(/3 values for 2 columns/);
    insert.add(4, "four");
    insert.flush();
    expect(rows()).toEqual([
      { a: 1, b: "one" },
      { a: 4, b: "four" },
    ]);
  });

  it("refuses a batch that binds more values than SQLite takes, or no rows", () => {
    expect(() => new BatchedInsert(sqlite, "t", ["a", "b"], SQLITE_MAX_BOUND_VALUES / 2 + 1)).toThrow(/more than SQLite's 32766 values/);
    expect(() => new BatchedInsert(sqlite, "t", ["a", "b"], 0)).toThrow(/a batch of 0 rows/);
    expect(new BatchedInsert(sqlite, "t", ["a", "b"], SQLITE_MAX_BOUND_VALUES / 2)).toBeInstanceOf(BatchedInsert);
  });
});

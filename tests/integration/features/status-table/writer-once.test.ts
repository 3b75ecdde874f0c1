import type SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { databaseUrl, getDb, openLedgerConnection } from "~/server/db.server";
import { StatusPositionsWriter } from "~/features/status-table/queries.server";
import { ProvisionPositionsWriter } from "~/features/provisions/queries/positions.server";

/**
 * The position writers take each customer once: the open runs and gross items have no key to
 * refuse a second copy, so a caller handing a customer twice (into empty tables, where nothing is
 * cleared first) is refused instead of writing its rows twice.
 */
// the writers' own kind of connection: better-sqlite3, or the synchronous PostgreSQL one (opened
// once the test database exists)
let sqlite: SQLite.Database;
beforeAll(() => {
  sqlite = openLedgerConnection(databaseUrl());
});
afterAll(() => sqlite.close());

const documents = {
  invoices: [{ invoice_no: "W-1", issue_date: "2026-01-05", due_date: "2026-02-04", amount: 100_00 }],
  payments: [{ date: "2026-01-20", amount: 40_00, invoice_no: "W-1" }],
  adjustments: [],
};

describe("the position writers", () => {
  it("refuse a customer handed over twice and write its rows once", async () => {
    const at = "2026-01-01T00:00:00.000Z";
    const customer = await getDb()
      .insertInto("customers")
      .values({ code: "W-ONCE", name: "Once Co.", owner_id: null, region: null, credit_grade: null, credit_limit: null, created_at: at, updated_at: at })
      .returning("id")
      .executeTakeFirstOrThrow();
    const count = (table: string) =>
      // the statement's SELECT names exactly this column (a bigint string on PostgreSQL)
      Number((sqlite.prepare(`SELECT count(*) AS n FROM ${table} WHERE customer_id = ?`).get(customer.id) as { n: number | string }).n);
    expect(count("status_open_runs")).toBe(0);
    sqlite.transaction(() => {
      const writer = new StatusPositionsWriter(sqlite);
      writer.write(customer.id, documents);
      expect(() => writer.write(customer.id, documents)).toThrow(/handed over twice/);
      writer.finish();
    })();
    const runs = count("status_open_runs");
    const positions = count("status_positions");
    expect(runs).toBeGreaterThan(0);
    expect(positions).toBeGreaterThan(0);
    // a fresh writer replaces the rows: as many as one writing gives
    sqlite.transaction(() => {
      const writer = new StatusPositionsWriter(sqlite);
      writer.write(customer.id, documents);
      writer.finish();
    })();
    expect(count("status_open_runs")).toBe(runs);
    expect(count("status_positions")).toBe(positions);
  });

  it("the provision writer alone refuses a second begin of one customer", () => {
    const writer = new ProvisionPositionsWriter(sqlite);
    const invoices = [{ invoiceNo: "W-2", issueDay: 20_000, dueDay: 20_030, amount: 50_00 }];
    sqlite.transaction(() => {
      writer.begin(999_999, invoices, []);
      expect(() => writer.begin(999_999, invoices, [])).toThrow(/handed over twice/);
    })();
  });
});

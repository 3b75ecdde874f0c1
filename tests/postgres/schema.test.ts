import { sql } from "kysely";
import { describe, expect, it } from "vitest";

import { databaseGeneration, getDb } from "~/server/db.server";

/*
 * What the PostgreSQL run needs of the schema beyond what the shared integration tests see: the
 * migrations' SQLite words mean the same there (64-bit integers, identities, doubles), the
 * triggers do what SQLite's do, pg's strings for bigint and numeric arrive as numbers, and the
 * database's generation moves with every commit.
 */

const db = getDb();
const STAMP = "2026-12-07T00:00:00.000Z";

async function customer(code: string): Promise<number> {
  const row = await db
    .insertInto("customers")
    .values({ code, name: `Customer ${code}`, region: "East", credit_limit: 0, payment_terms_days: 30, created_at: STAMP, updated_at: STAMP })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("the schema on PostgreSQL", () => {
  it("makes every integer column 64-bit, ids identities and reals doubles", async () => {
    const { rows } = await sql<{ data_type: string; n: number }>`
      SELECT data_type, count(*) AS n FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name NOT LIKE 'kysely_%' GROUP BY data_type`.execute(db);
    const types = Object.fromEntries(rows.map((row) => [row.data_type, row.n]));
    // One column is added by raw SQL as `integer`: a month number, 1 to 12.
    expect(types.integer ?? 0).toBe(1);
    expect(types.real ?? 0).toBe(0);
    expect(types.bigint).toBeGreaterThan(100);
    const { rows: identities } = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.columns
      WHERE table_schema = 'public' AND column_name = 'id' AND is_identity = 'YES'`.execute(db);
    expect(identities.map((row) => row.table_name)).toEqual(expect.arrayContaining(["customers", "invoices", "payments", "plans", "users"]));
  });

  it("keeps amounts past 2^31 minor units and sums them exactly, as numbers", async () => {
    const id = await customer("BIG-1");
    const amount = 9_649_000_000_00; // 96.49 亿元 in fen
    await db
      .insertInto("invoices")
      .values([
        { invoice_no: "BIG-1-A", customer_id: id, issue_date: "2026-01-05", due_date: "2026-02-04", amount },
        { invoice_no: "BIG-1-B", customer_id: id, issue_date: "2026-01-06", due_date: "2026-02-05", amount: amount + 1 },
      ])
      .execute();
    const total = await db
      .selectFrom("invoices")
      .select((eb) => [eb.fn.sum<number>("amount").as("total"), eb.fn.countAll<number>().as("n")])
      .where("customer_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(total).toEqual({ total: 2 * amount + 1, n: 2 });
    const stored = await db.selectFrom("invoices").select(["id", "amount"]).where("invoice_no", "=", "BIG-1-A").executeTakeFirstOrThrow();
    expect(typeof stored.id).toBe("number");
    expect(stored.amount).toBe(amount);
  });

  it("marks a customer's status positions stale when its documents change, as SQLite's triggers do", async () => {
    const id = await customer("STALE-1");
    // The marks are kept outside the typed schema (the status positions' own SQL reads them).
    const marks = async () => (await sql<{ customer_id: number }>`SELECT customer_id FROM status_stale_customers`.execute(db)).rows;
    await sql`DELETE FROM status_stale_customers`.execute(db);
    await db.insertInto("invoices").values({ invoice_no: "STALE-1-A", customer_id: id, issue_date: "2026-03-01", due_date: "2026-03-31", amount: 100_00 }).execute();
    expect(await marks()).toEqual([{ customer_id: id }]);
    // A second change keeps one mark.
    await db.updateTable("invoices").set({ amount: 200_00 }).where("invoice_no", "=", "STALE-1-A").execute();
    expect(await marks()).toEqual([{ customer_id: id }]);
  });

  it("notes a customer moved outside the app's writers once, with the values the summaries count", async () => {
    const id = await customer("MOVE-1");
    await db.updateTable("customers").set({ region: "West" }).where("id", "=", id).execute();
    await db.updateTable("customers").set({ region: "North" }).where("id", "=", id).execute();
    // A write that changes none of the four columns notes nothing.
    const other = await customer("MOVE-2");
    await db.updateTable("customers").set({ name: "Renamed" }).where("id", "=", other).execute();
    const notes = await db.selectFrom("kpi_summary_pending_customers").select(["customer_id", "region"]).orderBy("customer_id").execute();
    expect(notes).toEqual([{ customer_id: id, region: "East" }]);
  });

  it("moves the generation with every commit and keeps it while nothing is written", async () => {
    const before = await databaseGeneration(db);
    expect(await databaseGeneration(db)).toBe(before);
    await customer("GEN-1");
    const after = await databaseGeneration(db);
    expect(after).not.toBe(before);
    expect(await databaseGeneration(db)).toBe(after);
  });
});

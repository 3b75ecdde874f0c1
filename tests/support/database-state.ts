import crypto from "node:crypto";

import { afterEach, beforeEach, expect, it, vi } from "vitest";

import { sql } from "kysely";

import { getDb } from "~/server/db.server";

/** Every table's rows, hashed: the database as a GET must leave it (SQLite or PostgreSQL). */
export async function databaseState(): Promise<Record<string, { rows: number; hash: string }>> {
  const db = getDb();
  const tables = (await db.introspection.getTables()).filter((table) => !table.isView).sort((a, b) => a.name.localeCompare(b.name));
  const state: Record<string, { rows: number; hash: string }> = {};
  for (const table of tables) {
    // Signing in keeps a session alive on every request: the auth layer's bookkeeping, not the page's.
    if (table.name === "sessions") continue;
    // Ordered by every column, so rows that tie on the first come in the same order on PostgreSQL too.
    const order = sql.join(table.columns.map((column) => sql.ref(column.name)));
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table.name)} ORDER BY ${order}`.execute(db);
    state[table.name] = { rows: rows.length, hash: crypto.createHash("sha256").update(JSON.stringify(rows)).digest("hex") };
  }
  return state;
}

/**
 * The fixture ledger with derived data behind, as a page may find it: one invoice changed outside
 * the import (an SQL edit) before each test, at a fixed business date. For "GETs write nothing".
 */
export function withDerivedDataBehind(today = "2025-07-31"): void {
  beforeEach(async () => {
    vi.stubEnv("QUARTERDECK_TODAY", today);
    const invoice = await getDb().selectFrom("invoices").select("amount").where("invoice_no", "=", "FX-INV-1001").executeTakeFirstOrThrow();
    await getDb().updateTable("invoices").set({ amount: invoice.amount + 1 }).where("invoice_no", "=", "FX-INV-1001").execute();
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
}

/** Each page loads with 200 and leaves every table as it was. */
export function expectPagesReadOnly(pages: [string, () => Promise<unknown>][], statusOf: (result: unknown) => number): void {
  it.each(pages)("%s answers and leaves every row as it was", async (_name, load) => {
    const before = await databaseState();
    expect(statusOf(await load())).toBe(200);
    expect(await databaseState()).toEqual(before);
  });
}

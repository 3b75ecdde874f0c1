import crypto from "node:crypto";

import { afterEach, beforeEach, expect, it, vi } from "vitest";

import { databasePath, getDb, openSqlite } from "~/server/db.server";

/** Every table's rows, hashed: the database as a GET must leave it. */
export function databaseState(): Record<string, { rows: number; hash: string }> {
  const sqlite = openSqlite(databasePath());
  try {
    const tables = sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[];
    const state: Record<string, { rows: number; hash: string }> = {};
    for (const { name } of tables) {
      // Signing in keeps a session alive on every request: the auth layer's bookkeeping, not the page's.
      if (name === "sessions") continue;
      const rows = sqlite.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all();
      state[name] = { rows: rows.length, hash: crypto.createHash("sha256").update(JSON.stringify(rows)).digest("hex") };
    }
    return state;
  } finally {
    sqlite.close();
  }
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
    const before = databaseState();
    expect(statusOf(await load())).toBe(200);
    expect(databaseState()).toEqual(before);
  });
}

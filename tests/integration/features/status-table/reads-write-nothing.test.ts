import SQLite from "better-sqlite3";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { generateDemoLedger } from "../../../../db/seed/demo-ledger";
import { databasePath, getDb, openSqlite } from "~/server/db.server";
import { importLedgerRecords } from "~/features/import/import-ledger.server";
import { catchUpStatusPositions } from "~/features/status-table/index.server";
import { loader as exportLoader } from "~/routes/_app.status.export";
import { loader as pageLoader } from "~/routes/_app.status._index";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";

/**
 * Reading the status table writes nothing, even when its stored figures are behind (customers
 * changed outside the import, no month-in-progress cache for today): the page and the exports
 * read what is there and work the month in progress out live; the background job catches up.
 */

const TODAY = "2025-07-20";
const OWNERS = ["staff@demo.quarterdeck", "chen.jing@demo.quarterdeck"];
let cookie = "";

const TABLES = ["status_positions", "status_open_runs", "status_customer_dates", "status_stale_customers", "status_day_positions", "status_day_state"];

/** Every status table's row count, and SQLite's data_version as another connection sees it. */
function snapshot(observer: SQLite.Database) {
  const counts = Object.fromEntries(
    TABLES.map((table) => [table, (observer.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n]),
  );
  return { counts, dataVersion: observer.pragma("data_version", { simple: true }) as number };
}

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  await makeUser("staff", { email: OWNERS[0] });
  const sqlite = openSqlite(databasePath());
  try {
    importLedgerRecords(sqlite, generateDemoLedger({ today: TODAY, owners: OWNERS, customerCount: 30 }), { baseCurrency: "CNY", userId: null });
  } finally {
    sqlite.close();
  }
  cookie = await signIn(head.email);
});

/** Leaves the stored figures behind, as an SQL edit and a new day without an import do. */
function fallBehind() {
  const sqlite = openSqlite(databasePath());
  try {
    // A change outside the import: the triggers mark the customer stale.
    sqlite.exec("UPDATE payments SET amount = amount + 100 WHERE id = (SELECT min(id) FROM payments)");
    sqlite.exec("DELETE FROM status_day_positions; DELETE FROM status_day_state");
  } finally {
    sqlite.close();
  }
}

beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("reading the status table", () => {
  it("the page and its exports write nothing while the stored figures are behind", async () => {
    fallBehind();
    const observer = new SQLite(databasePath(), { readonly: true });
    try {
      const before = snapshot(observer);
      expect(before.counts.status_stale_customers).toBeGreaterThan(0);
      expect(before.counts.status_day_state).toBe(0);

      for (const query of ["", "?month=2025-07", "?month=2025-06&sort=closing&dir=desc"]) {
        const result = await call(pageLoader, get(`/status${query}`, cookie));
        expect(statusOf(result)).toBe(200);
        expect(payloadOf<{ totals: { customers: number } }>(result).totals.customers).toBeGreaterThan(0);
      }
      for (const format of ["csv", "xlsx"]) {
        const result = await call(exportLoader, get(`/status/export?month=2025-07&format=${format}`, cookie));
        expect(statusOf(result)).toBe(200);
        expect((await (result as Response).arrayBuffer()).byteLength).toBeGreaterThan(100);
      }

      expect(snapshot(observer)).toEqual(before);
    } finally {
      observer.close();
    }
  });

  it("the month in progress read live equals what the background job then caches", async () => {
    fallBehind();
    const live = payloadOf<{ totals: unknown; rows: unknown[] }>(await call(pageLoader, get("/status?month=2025-07&sort=closing&dir=desc", cookie)));
    const done = await catchUpStatusPositions(getDb(), TODAY);
    expect(done.dayCached).toBe(true);
    const observer = new SQLite(databasePath(), { readonly: true });
    try {
      const after = snapshot(observer);
      expect(after.counts.status_stale_customers).toBe(0);
      expect(after.counts.status_day_state).toBe(1);
    } finally {
      observer.close();
    }
    const cached = payloadOf<{ totals: { customers: number }; rows: unknown[] }>(
      await call(pageLoader, get("/status?month=2025-07&sort=closing&dir=desc", cookie)),
    );
    expect(cached.totals.customers).toBeGreaterThan(0);
    expect({ totals: cached.totals, rows: cached.rows }).toEqual({ totals: live.totals, rows: live.rows });
  });
});

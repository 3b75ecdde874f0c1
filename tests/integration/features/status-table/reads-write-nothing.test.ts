import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { generateDemoLedger } from "../../../../db/seed/demo-ledger";
import { databasePath, databaseUrl, getDb, isPostgresUrl, openLedgerConnection } from "~/server/db.server";
import { importLedgerRecords } from "~/features/import/import-ledger.server";
import { catchUpStatusPositions } from "~/features/status-table/index.server";
import { loader as exportLoader } from "~/routes/_app.status.export";
import { loader as pageLoader } from "~/routes/_app.status._index";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { databaseState } from "../../../support/database-state";

/**
 * Reading the status table writes nothing, even when its stored figures are behind (customers
 * changed outside the import, no month-in-progress cache for today): the page and the exports
 * read what is there and work the month in progress out live; the background job catches up.
 */

const TODAY = "2025-07-20";
const OWNERS = ["staff@demo.quarterdeck", "chen.jing@demo.quarterdeck"];
let cookie = "";
/** SQLite only: the connection that watches for writes (writeMark). */
let observer: SQLite.Database | null = null;

const TABLES = ["status_positions", "status_open_runs", "status_customer_dates", "status_stale_customers", "status_day_positions", "status_day_state"];

/** Every status table's row count. */
async function counts(): Promise<Record<string, number>> {
  const entries = await Promise.all(
    TABLES.map(async (table) => {
      const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(getDb());
      return [table, Number(rows[0]?.n)] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * A mark that moves with any write, even one that leaves a row's values as they were. SQLite:
 * data_version as one other connection, open throughout, sees it (it changes when any other
 * connection commits).
 * PostgreSQL: each table's newest row version (xmin, the writing transaction's id: an insert or
 * update makes a new version, with a newer id) beside its row count (a delete lowers it).
 * Sessions are left out: signing in keeps one alive (the auth layer's bookkeeping, not the page's).
 */
async function writeMark(): Promise<unknown> {
  if (observer) return observer.pragma("data_version", { simple: true }) as number;
  const tables = (await getDb().introspection.getTables()).filter((table) => !table.isView && table.name !== "sessions");
  const mark: Record<string, string> = {};
  for (const table of tables.sort((a, b) => a.name.localeCompare(b.name))) {
    const { rows } = await sql<{ n: number; newest: string | null }>`
      SELECT count(*) AS n, max(xmin::text::bigint)::text AS newest FROM ${sql.table(table.name)}`.execute(getDb());
    mark[table.name] = `${rows[0]?.n}@${rows[0]?.newest ?? "-"}`;
  }
  return mark;
}

/** The status tables' counts, every row of every table hashed, and the write mark. */
async function snapshot() {
  return { counts: await counts(), state: await databaseState(), mark: await writeMark() };
}

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  await makeUser("staff", { email: OWNERS[0] });
  const sqlite = openLedgerConnection();
  try {
    importLedgerRecords(sqlite, generateDemoLedger({ today: TODAY, owners: OWNERS, customerCount: 30 }), { baseCurrency: "CNY", userId: null });
  } finally {
    sqlite.close();
  }
  cookie = await signIn(head.email);
  if (!isPostgresUrl(databaseUrl())) observer = new SQLite(databasePath(), { readonly: true });
});

afterAll(() => {
  observer?.close();
});

/** Leaves the stored figures behind, as an SQL edit and a new day without an import do. */
function fallBehind() {
  const sqlite = openLedgerConnection();
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
    const before = await snapshot();
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

    expect(await snapshot()).toEqual(before);
  });

  it("the month in progress read live equals what the background job then caches", async () => {
    fallBehind();
    const live = payloadOf<{ totals: unknown; rows: unknown[] }>(await call(pageLoader, get("/status?month=2025-07&sort=closing&dir=desc", cookie)));
    const done = await catchUpStatusPositions(getDb(), TODAY);
    expect(done.dayCached).toBe(true);
    const after = await counts();
    expect(after.status_stale_customers).toBe(0);
    expect(after.status_day_state).toBe(1);
    const cached = payloadOf<{ totals: { customers: number }; rows: unknown[] }>(
      await call(pageLoader, get("/status?month=2025-07&sort=closing&dir=desc", cookie)),
    );
    expect(cached.totals.customers).toBeGreaterThan(0);
    expect({ totals: cached.totals, rows: cached.rows }).toEqual({ totals: live.totals, rows: live.rows });
  });
});

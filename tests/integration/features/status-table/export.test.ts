import { sql } from "kysely";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb, isPostgres, openLedgerConnection } from "~/server/db.server";
import { loader as exportLoader } from "~/routes/_app.status.export";
import { loader as pageLoader } from "~/routes/_app.status._index";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { importBulkCustomers } from "../../../support/ledger";

/*
 * The status table's export reads its rows from a read transaction of its own, through a cursor
 * (SQLite: a statement iterated on a read-only connection; PostgreSQL: a server-side cursor in a
 * repeatable-read transaction). On both databases: every row in the page's order with the page's
 * totals, and a download abandoned halfway ends its read (no transaction left open).
 */

type PageData = Awaited<ReturnType<typeof pageLoader>>;
const TODAY = "2025-07-20";
const CUSTOMERS = 1500;
let cookie = "";

beforeAll(async () => {
  const head = await makeUser("head");
  await importBulkCustomers(CUSTOMERS, head.email);
  cookie = await signIn(head.email);
});

beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** True when no connection still holds a read transaction open on the database. */
async function noReadLeftOpen(): Promise<boolean> {
  const db = getDb();
  if (isPostgres(db)) {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*) AS n FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%'`.execute(db);
    return Number(rows[0]?.n) === 0;
  }
  // A reader's snapshot keeps the write-ahead log from being truncated: busy (1) while one is open.
  const sqlite = openLedgerConnection();
  try {
    // PRAGMA wal_checkpoint answers one row: busy, log, checkpointed
    const [busy] = sqlite.prepare("PRAGMA wal_checkpoint(TRUNCATE)").raw().get() as number[];
    return busy === 0;
  } finally {
    sqlite.close();
  }
}

describe("the status table's export", () => {
  it("exports every row in the page's order with the page's totals", async () => {
    const page = payloadOf<PageData>(await call(pageLoader, get("/status?month=2025-06&sort=closing&dir=desc", cookie)));
    expect(page.totals.customers).toBe(CUSTOMERS);
    const result = await call(exportLoader, get("/status/export?format=csv&month=2025-06&sort=closing&dir=desc", cookie));
    expect(statusOf(result)).toBe(200);
    const lines = (await (result as Response).text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines).toHaveLength(CUSTOMERS + 2);
    // The first page's rows, in its order: biggest balance first.
    expect(lines.slice(1, page.rows.length + 1).map((line) => line.split(",")[0])).toEqual(page.rows.map((row) => row.code));
    expect(lines[1]?.startsWith(`BULK-${CUSTOMERS},`)).toBe(true);
    const totals = lines.at(-1)?.split(",") ?? [];
    expect(totals[0]).toBe("Total");
    // Closing balance: 1.00 + 2.00 + ... + 1500.00
    expect(totals[10]).toBe(((CUSTOMERS * (CUSTOMERS + 1)) / 2).toFixed(2));
    expect(Number(totals[10]) * 100).toBe(page.totals.closing);
    expect(await noReadLeftOpen()).toBe(true);
  });

  it("a download abandoned after its first bytes ends its read, and the next export works", async () => {
    const result = await call(exportLoader, get("/status/export?format=csv&month=2025-06&sort=code", cookie));
    expect(statusOf(result)).toBe(200);
    const reader = (result as Response).body?.getReader();
    if (!reader) throw new Error("the export has no body");
    const first = await reader.read();
    expect(first.done).toBe(false);
    await reader.cancel();
    // The writer notices the closed stream at its next row and ends the read: a bounded number of looks.
    let ended = false;
    for (let looks = 0; looks < 100 && !ended; looks += 1) {
      ended = await noReadLeftOpen();
      if (!ended) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(ended).toBe(true);

    const again = await call(exportLoader, get("/status/export?format=xlsx&month=2025-06", cookie));
    expect(statusOf(again)).toBe(200);
    expect((await (again as Response).arrayBuffer()).byteLength).toBeGreaterThan(0);
  });
});

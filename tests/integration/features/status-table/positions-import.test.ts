import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { generateDemoLedger } from "../../../../db/seed/demo-ledger";
import { databaseUrl, getDb, isPostgresUrl, openLedgerConnection } from "~/server/db.server";
import { monthStart } from "~/kernel/dates";
import type { LedgerSnapshot } from "~/kernel/ledger/types";
import { resolveStatusMonth } from "~/features/status-table/status-table";
import { type ImportFileSpec, importLedger } from "~/features/import/import-ledger.server";
import {
  buildStatusDay,
  refreshStatusPositions,
  statusTable,
} from "~/features/status-table/queries.server";
import { withDatabaseCopy } from "../../../support/database-copy";
import { csvSource } from "../../../support/ledger";

/**
 * The import keeps the status table's positions itself: after any import they must be
 * exactly what a from-scratch rebuild gives, no customer left stale for a request to re-settle,
 * the stale-marking triggers back in place; a killed import changes none of it.
 */
/** The demo ledger runs to LEDGER_END; the app's today is earlier, so some customers have later documents. */
const LEDGER_END = "2025-07-20";
const TODAY = "2025-07-08";
const OPTIONS = { baseCurrency: "CNY", userId: null };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-status-import-"));
const postgres = isPostgresUrl(databaseUrl());
/**
 * The stale-marking triggers: SQLite's schema table, or PostgreSQL's catalogue (one trigger per
 * table there, for every event, calling status_stale_mark()).
 */
const TRIGGERS = postgres
  ? "SELECT tgname AS name, pg_get_triggerdef(oid) AS sql FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname"
  : "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name";

beforeAll(() => vi.stubEnv("QUARTERDECK_TODAY", TODAY));
afterAll(() => {
  vi.unstubAllEnvs();
  fs.rmSync(dir, { recursive: true, force: true });
});

const money = (minor: number) =>
  `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;

/** The demo ledger as the four canonical CSV files. */
function csvFiles(ledger: LedgerSnapshot): ImportFileSpec[] {
  return [
    {
      layout: { kind: "customers" },
      source: csvSource("customers.csv", [
        "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days",
        ...ledger.customers.map(
          (c) =>
            `${c.code},"${c.name.replaceAll('"', '""')}",${c.region ?? ""},${
              c.ownerEmail ?? ""
            },${c.creditGrade ?? ""},${
              c.creditLimit === null ? "" : money(c.creditLimit)
            },${c.paymentTermsDays}`
        ),
      ]),
    },
    {
      layout: { kind: "invoices" },
      source: csvSource("invoices.csv", [
        "invoice_no,customer_code,issue_date,due_date,amount",
        ...ledger.invoices.map(
          (i) =>
            `${i.invoiceNo},${i.customerCode},${i.issueDate},${
              i.dueDate
            },${money(i.amount)}`
        ),
      ]),
    },
    {
      layout: { kind: "payments" },
      source: csvSource("payments.csv", [
        "payment_no,customer_code,date,amount,invoice_no",
        ...ledger.payments.map(
          (p) =>
            `${p.paymentNo},${p.customerCode},${p.date},${money(p.amount)},${
              p.invoiceNo ?? ""
            }`
        ),
      ]),
    },
    {
      layout: { kind: "adjustments" },
      source: csvSource("adjustments.csv", [
        "adjustment_no,customer_code,date,amount,type,invoice_no",
        ...ledger.adjustments.map(
          (a) =>
            `${a.adjustmentNo},${a.customerCode},${a.date},${money(a.amount)},${
              a.type
            },${a.invoiceNo ?? ""}`
        ),
      ]),
    },
  ];
}

/** The status tables (and the triggers feeding them) as one comparable value. */
function statusState(sqlite: SQLite.Database) {
  const all = (text: string) => sqlite.prepare(text).all();
  return {
    positions: all(
      "SELECT * FROM status_positions ORDER BY customer_id, month_end"
    ),
    runs: all(
      "SELECT customer_id, to_day, from_day, due_date, open_amount, issue_date FROM status_open_runs ORDER BY 1, 2, 3, 4, 5, 6"
    ),
    dates: all("SELECT * FROM status_customer_dates ORDER BY customer_id"),
    stale: all("SELECT * FROM status_stale_customers ORDER BY customer_id"),
    day: all("SELECT * FROM status_day_state"),
    dayPositions: all(
      "SELECT * FROM status_day_positions ORDER BY customer_id"
    ),
    triggers: all(TRIGGERS),
  };
}

/** Still-open runs against `open_items`, which the import's settlement engine writes independently. */
function openRunsMatchOpenItems() {
  withDb((sqlite) => {
    const runs = sqlite
      .prepare("SELECT customer_id, due_date, open_amount, issue_date FROM status_open_runs WHERE to_day = '9999-12-31' ORDER BY 1, 2, 3, 4")
      .all();
    const items = sqlite.prepare("SELECT customer_id, due_date, open_amount, issue_date FROM open_items ORDER BY 1, 2, 3, 4").all();
    expect(items.length).toBeGreaterThan(50);
    expect(runs).toEqual(items);
  });
}

/** The same tables worked out from scratch, on a copy: every customer re-settled, today's month rebuilt. */
async function rebuiltState(): Promise<ReturnType<typeof statusState>> {
  return withDatabaseCopy((copy) => {
    const sqlite = openLedgerConnection(copy);
    try {
      sqlite.exec(
        "DELETE FROM status_positions; DELETE FROM status_open_runs; DELETE FROM status_customer_dates; DELETE FROM status_day_state"
      );
      sqlite.exec(
        // WHERE true: SQLite reads an ON CONFLICT right after a SELECT's FROM as a join's
        "INSERT INTO status_stale_customers (customer_id) SELECT id FROM customers WHERE true ON CONFLICT DO NOTHING"
      );
      expect(refreshStatusPositions(copy)).toBeGreaterThan(0);
      sqlite
        .transaction(() =>
          buildStatusDay(sqlite, { start: monthStart(TODAY), closingDate: TODAY })
        )
        .immediate();
      return statusState(sqlite);
    } finally {
      sqlite.close();
    }
  });
}

function withDb<T>(run: (sqlite: SQLite.Database) => T): T {
  const sqlite = openLedgerConnection();
  try {
    return run(sqlite);
  } finally {
    sqlite.close();
  }
}

async function importInto(files: ImportFileSpec[], deferIndexes?: boolean) {
  const sqlite = openLedgerConnection();
  try {
    return await importLedger(sqlite, files, { ...OPTIONS, deferIndexes });
  } finally {
    sqlite.close();
  }
}

const ledger = generateDemoLedger({
  today: LEDGER_END,
  owners: ["owner.a@example.test", "owner.b@example.test"],
  customerCount: 40,
});

describe("status positions kept by the import", () => {
  let triggersBefore: unknown;

  it("a bulk first import leaves every customer's positions, open runs and month in progress as a rebuild does", async () => {
    triggersBefore = withDb((sqlite) => statusState(sqlite).triggers);
    // invoices, payments and adjustments: one per event on SQLite, one for all three on PostgreSQL
    expect(
      (triggersBefore as { name: string }[]).filter((t) =>
        t.name.includes("_status_stale")
      )
    ).toHaveLength(postgres ? 3 : 9);
    // deferIndexes: the bulk path, which on SQLite suspends the stale-marking triggers during the load
    const outcome = await importInto(csvFiles(ledger), true);
    expect(outcome.ok).toBe(true);
    const state = withDb(statusState);
    expect(state.stale).toEqual([]);
    expect(state.triggers).toEqual(triggersBefore);
    expect(state.day).toEqual([
      { id: 1, day: TODAY, month_start: monthStart(TODAY) },
    ]);
    // several multi-row batches of open runs, later documents included
    expect(state.runs.length).toBeGreaterThan(1000);
    expect(
      ledger.payments.some((p) => p.date > TODAY) ||
        ledger.invoices.some((i) => i.issueDate > TODAY)
    ).toBe(true);
    expect(state).toEqual(await rebuiltState());
    openRunsMatchOpenItems();
  });

  it("an import that moves, changes and adds documents re-settles exactly the customers it touched", async () => {
    const payment = ledger.payments.find((p) => p.invoiceNo !== null)!;
    const b = ledger.customers.find((c) => c.code === payment.customerCode)!;
    const a = ledger.customers.find(
      (c) =>
        c.code !== b.code &&
        ledger.invoices.some(
          (i) => i.customerCode === c.code && i.invoiceNo !== payment.invoiceNo
        )
    )!;
    const invoice = ledger.invoices.find((i) => i.customerCode === a.code)!;
    const outcome = await importInto([
      // an invoice moved to another customer, a payment made smaller, a credit note and an offset added
      {
        layout: { kind: "invoices" },
        source: csvSource("moved.csv", [
          "invoice_no,customer_code,issue_date,due_date,amount",
          `${invoice.invoiceNo},${b.code},${invoice.issueDate},${
            invoice.dueDate
          },${money(invoice.amount)}`,
        ]),
      },
      {
        layout: { kind: "payments" },
        source: csvSource("changed.csv", [
          "payment_no,customer_code,date,amount,invoice_no",
          `${payment.paymentNo},${b.code},${payment.date},${money(
            Math.max(1, Math.floor(payment.amount / 2))
          )},${payment.invoiceNo}`,
        ]),
      },
      {
        layout: { kind: "adjustments" },
        source: csvSource("added.csv", [
          "adjustment_no,customer_code,date,amount,type,invoice_no",
          `ADJ-T-1,${a.code},2025-07-01,12.34,credit_note,`,
          `ADJ-T-2,${b.code},${TODAY},56.78,offset,`,
        ]),
      },
    ]);
    expect(outcome.ok && outcome.customersResettled).toBe(2);
    const state = withDb(statusState);
    expect(state.stale).toEqual([]);
    expect(state.triggers).toEqual(triggersBefore);
    expect(state).toEqual(await rebuiltState());
    openRunsMatchOpenItems();
  });

  it("a bulk load that more than doubles the ledger and changes older rows matches a rebuild too", async () => {
    const existing = withDb((sqlite) => (sqlite.prepare("SELECT count(*) AS n FROM invoices").get() as { n: number }).n);
    const codes = ledger.customers.slice(0, 5).map((c) => c.code);
    const invoices = ["invoice_no,customer_code,issue_date,due_date,amount"];
    const payments = ["payment_no,customer_code,date,amount,invoice_no"];
    for (let i = 0; i < existing + 500; i++) {
      const code = codes[i % codes.length];
      const day = String((i % 28) + 1).padStart(2, "0");
      invoices.push(`BULK-I-${i},${code},2025-06-${day},2025-07-${day},${(i % 700) + 1}.50`);
      // most paid in full, some in part, some unnamed; a few dated after today
      if (i % 4 !== 3) payments.push(`BULK-P-${i},${code},2025-07-${String((i % 19) + 1).padStart(2, "0")},${i % 4 === 2 ? "0.75" : `${(i % 700) + 1}.50`},${i % 8 === 5 ? "" : `BULK-I-${i}`}`);
    }
    // and an older payment changed (its row id is below the load's)
    const older = ledger.payments.find((p) => p.invoiceNo !== null)!;
    payments.push(`${older.paymentNo},${older.customerCode},${older.date},${money(older.amount + 1)},`);
    const outcome = await importInto(
      [
        { layout: { kind: "invoices" }, source: csvSource("bulk-invoices.csv", invoices) },
        { layout: { kind: "payments" }, source: csvSource("bulk-payments.csv", payments) },
      ],
      true,
    );
    expect(outcome.ok).toBe(true);
    const state = withDb(statusState);
    expect(state.stale).toEqual([]);
    expect(state.triggers).toEqual(triggersBefore);
    expect(state).toEqual(await rebuiltState());
    openRunsMatchOpenItems();
  });

  it("the month in progress read from the day cache equals the live query", async () => {
    const resolved = resolveStatusMonth(TODAY.slice(0, 7), TODAY);
    if (!resolved.ok) throw new Error(resolved.message);
    const spec = {
      month: resolved.month,
      scope: { kind: "all" as const },
      filters: { overdueOnly: false, overLimitOnly: false },
    };
    const view = {
      sort: "closing" as const,
      dir: "desc" as const,
      page: 1,
      pageSize: 500,
    };
    const cached = await statusTable(getDb(), spec, view);
    // Without the cache (and unable to build it: the write lock is held) the live query serves.
    const blocker = openLedgerConnection();
    blocker.exec("DELETE FROM status_day_state");
    blocker.exec("BEGIN IMMEDIATE");
    try {
      const live = await statusTable(getDb(), spec, view);
      expect(live.rows.length).toBeGreaterThan(10);
      expect(live).toEqual(cached);
    } finally {
      blocker.exec("ROLLBACK");
      blocker.close();
    }
  });

  it("a killed bulk import leaves the positions, marks and triggers exactly as they were", async () => {
    const before = withDb(statusState);
    const [a, b] = ledger.customers;
    if (!a || !b) throw new Error("the fixture ledger has two customers");
    const rows = ["invoice_no,customer_code,issue_date,amount"];
    for (let i = 0; i < 300_000; i++)
      rows.push(
        `KILL-${i},${i % 2 ? a.code : b.code},2025-06-${String(
          (i % 28) + 1
        ).padStart(2, "0")},${(i % 9000) + 1}.25`
      );
    const big = path.join(dir, "big.csv");
    fs.writeFileSync(big, `${rows.join("\n")}\n`);
    const env = { ...process.env, DATABASE_URL: databaseUrl() };
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "db/cli/import.ts", "--invoices", big],
      { env, stdio: "ignore" }
    );
    // At most 400 looks 50 ms apart (about 20 s) for the import to start running.
    for (let look = 0; look < 400; look++) {
      const running = withDb(
        (sqlite) =>
          sqlite
            .prepare(
              "SELECT count(*) AS n FROM import_runs WHERE status = 'running'"
            )
            .get() as { n: number }
      );
      if (running.n > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 700));
    expect(child.exitCode).toBeNull();
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(withDb(statusState)).toEqual(before);
  }, 60_000);
});

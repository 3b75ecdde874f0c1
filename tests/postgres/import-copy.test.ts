import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Db, copierOf, createDb, databaseUrl, deferringWrites, openLedgerConnection } from "~/server/db.server";
import { encodeCopyRows } from "~/server/pg-copy";
import type { FileKind } from "~/features/import/canonical";
import { type ImportOutcome, importLedger } from "~/features/import/import-ledger.server";
import type { ImportSource } from "~/features/import/source";
import { migrateToLatest } from "../../db/migrate";
import { csvSource } from "../support/ledger";

// On PostgreSQL the import streams customers, invoices, payments and adjustments by COPY into
// staging tables: awkward
// text survives the trip, a bad row anywhere (even after a piece already copied) leaves nothing
// behind and is reported as on SQLite, and the same files imported again change nothing.

const AWKWARD = [
  "plain",
  "comma, and \"double\" and 'single' quotes",
  "tab\there",
  "line 1\nline 2\r\nline 3",
  "back\\slash \\N \\. \\t",
  "\\.",
  "上海某某贸易有限公司 · 发票",
  "",
  null,
];

/**
 * Two customers (one with an owner not yet a user), then `count` invoices and a payment of each,
 * with awkward (but valid) document numbers first, and two adjustments.
 */
function ledger(count: number, { badInvoiceLine = 0, badPayment = false, badAdjustment = false } = {}): { kind: FileKind; source: () => ImportSource }[] {
  const quote = (text: string) => `"${text.replaceAll('"', '""')}"`;
  const numbers = ['INV,"逗号"', "INV\\7", "发票-甲", ...Array.from({ length: Math.max(0, count - 3) }, (_, i) => `INV-${String(i + 1).padStart(6, "0")}`)].slice(0, count);
  const invoiceLines = numbers.map((no, i) => `${quote(no)},C1,2026-01-${String((i % 28) + 1).padStart(2, "0")},2026-03-01,${(i % 500) + 1}.25`);
  if (badInvoiceLine > 0) invoiceLines[badInvoiceLine - 2] = "INV-BAD,C1,2026-13-45,2026-03-01,-5";
  const paymentLines = numbers.map((no) => `${quote(`PAY-${no}`)},C1,2026-02-01,1.00,${quote(no)}`);
  if (badPayment) paymentLines.push("PAY-NOWHERE,C1,2026-02-01,1.00,INV-MISSING");
  const adjustmentLines = ['"ADJ,""甲""\\1",C1,2026-02-10,3.50,credit_note,"INV\\7"', "ADJ-2,C2,2026-02-11,7.00,write_off,"];
  if (badAdjustment) adjustmentLines.push("ADJ-BAD,C2,2026-02-12,1.00,refund,", "ADJ-NOWHERE,C1,2026-02-12,1.00,credit_note,INV-MISSING");
  return [
    {
      kind: "customers",
      source: () =>
        csvSource("customers.csv", [
          "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days",
          'C1,"Harbour, ""Trading"" 港湾",East,,A,1000000,30',
          "C2,北方\\贸易 Co.,North,New.Owner@Example.com,B,,45",
        ]),
    },
    { kind: "invoices", source: () => csvSource("invoices.csv", ["invoice_no,customer_code,issue_date,due_date,amount", ...invoiceLines]) },
    { kind: "payments", source: () => csvSource("payments.csv", ["payment_no,customer_code,date,amount,invoice_no", ...paymentLines]) },
    { kind: "adjustments", source: () => csvSource("adjustments.csv", ["adjustment_no,customer_code,date,amount,type,invoice_no", ...adjustmentLines]) },
  ];
}

async function importInto(
  connection: SQLite.Database,
  files: { kind: FileKind; source: () => ImportSource }[],
  beforeCommit?: () => void,
): Promise<ImportOutcome> {
  return importLedger(
    connection,
    files.map((file) => ({ source: file.source(), layout: { kind: file.kind } })),
    { baseCurrency: "CNY", userId: null, now: new Date("2026-04-01T08:00:00Z"), beforeCommit },
  );
}

async function onBoth(files: { kind: FileKind; source: () => ImportSource }[], sqliteFile: string) {
  const pg = openLedgerConnection(databaseUrl());
  const lite = openLedgerConnection(sqliteFile);
  try {
    return { pg: await importInto(pg, files), lite: await importInto(lite, files) };
  } finally {
    pg.close();
    lite.close();
  }
}

function withoutIds(json: string): Record<string, unknown> {
  // the audit's before and after are JSON objects
  return Object.fromEntries(Object.entries(JSON.parse(json) as Record<string, unknown>).filter(([key]) => !/(^|_)id$/.test(key)));
}

/** The ledger's documents and what the import derives from them, as text, ids left out. */
function contents(connection: SQLite.Database): Record<string, Record<string, unknown>[]> {
  // better-sqlite3 (and its PostgreSQL stand-in) gives rows as objects of the SELECT's columns
  const read = (sql: string) => connection.prepare(sql).all() as Record<string, unknown>[];
  return {
    // in id order: new customers get their ids in file order on both
    customers: read(
      `SELECT c.code, c.name, c.region, u.email AS owner, u.active AS owner_active, c.credit_grade, c.credit_limit, c.payment_terms_days, c.status, c.created_at, c.updated_at
       FROM customers c LEFT JOIN users u ON u.id = c.owner_id ORDER BY c.id`,
    ),
    invoices: read("SELECT i.invoice_no, c.code, i.issue_date, i.due_date, i.amount FROM invoices i JOIN customers c ON c.id = i.customer_id ORDER BY i.id"),
    payments: read("SELECT p.payment_no, p.date, p.amount, i.invoice_no FROM payments p LEFT JOIN invoices i ON i.id = p.invoice_id ORDER BY p.id"),
    adjustments: read(
      "SELECT a.adjustment_no, c.code, a.date, a.amount, a.type, i.invoice_no FROM adjustments a JOIN customers c ON c.id = a.customer_id LEFT JOIN invoices i ON i.id = a.invoice_id ORDER BY a.id",
    ),
    credits: read("SELECT c.code, u.amount FROM unapplied_credits u JOIN customers c ON c.id = u.customer_id ORDER BY c.code"),
    openItems: read("SELECT i.invoice_no, o.open_amount FROM open_items o JOIN invoices i ON i.id = o.invoice_id ORDER BY i.id"),
    paidDates: read("SELECT i.invoice_no, p.paid_on FROM invoice_paid_dates p JOIN invoices i ON i.id = p.invoice_id ORDER BY i.id"),
    // row ids differ: PostgreSQL's identities do not give back the numbers a rolled-back import took
    audit: (read("SELECT entity, action, before, after FROM audit_log WHERE action = 'import-update' ORDER BY id") as { before: string; after: string }[]).map(
      (entry) => ({ ...entry, before: withoutIds(entry.before), after: withoutIds(entry.after) }),
    ),
  };
}

describe("the PostgreSQL import's COPY", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-copy-"));
  const sqliteFile = path.join(dir, "same.db");
  let sqliteDb: Db;

  beforeAll(async () => {
    sqliteDb = createDb(sqliteFile);
    await migrateToLatest(sqliteDb);
  });

  afterAll(async () => {
    await sqliteDb.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("carries commas, quotes, tabs, newlines, backslashes, Chinese text and NULLs through unchanged", () => {
    expect(databaseUrl()).toMatch(/^postgres/);
    const connection = openLedgerConnection(databaseUrl());
    try {
      const copy = copierOf(connection);
      expect(copy).not.toBeNull();
      connection.exec("BEGIN");
      connection.exec("CREATE TEMPORARY TABLE copied (n integer, t text, m bigint) ON COMMIT DROP");
      const rows = AWKWARD.map((text, n) => [n, text, n === 0 ? null : 2 ** 40 + n]);
      // two pieces, as the writer sends them
      expect(copy?.("COPY copied (n, t, m) FROM STDIN", [encodeCopyRows(rows.slice(0, 4)), encodeCopyRows(rows.slice(4))])).toBe(AWKWARD.length);
      expect(connection.prepare("SELECT n, t, m FROM copied ORDER BY n").raw().all()).toEqual(rows);
      connection.exec("ROLLBACK");
    } finally {
      connection.close();
    }
  });

  it("sends deferred writes without waiting, in order, and throws the first that failed", () => {
    const connection = openLedgerConnection(databaseUrl());
    try {
      connection.exec("BEGIN");
      connection.exec("CREATE TEMPORARY TABLE deferred (n integer PRIMARY KEY, t text NOT NULL) ON COMMIT DROP");
      const insert = connection.prepare("INSERT INTO deferred (n, t) VALUES (?, ?)");
      const remove = connection.prepare("DELETE FROM deferred WHERE n = ?");
      deferringWrites(connection, () => {
        for (let n = 1; n <= 500; n += 1) insert.run(n, `row ${n}`);
        remove.run(7);
        // a read waits for the writes before it
        expect(connection.prepare("SELECT count(*) AS n FROM deferred").get()).toEqual({ n: 499 });
      });
      expect(() =>
        deferringWrites(connection, () => {
          insert.run(501, "fine");
          insert.run(1, "a duplicate key");
          insert.run(502, "after the failure");
        }),
      ).toThrow(/duplicate key/);
      connection.exec("ROLLBACK");
    } finally {
      connection.close();
    }
  });

  it("imports nothing when a row is bad, even after a piece went in, and reports the errors SQLite reports", async () => {
    // More invoices than one COPY piece holds, the bad one near the end; a payment naming no
    // invoice; an adjustment of no known type and one naming no invoice.
    const files = ledger(20_050, { badInvoiceLine: 20_040, badPayment: true, badAdjustment: true });
    const { pg, lite } = await onBoth(files, sqliteFile);
    expect(pg.ok).toBe(false);
    expect(pg).toEqual(lite);
    if (pg.ok) return;
    expect(pg.report).toContain("invoices.csv:20040");
    expect(pg.report).toContain("INV-MISSING");
    expect(pg.report).toContain("adjustments.csv:4");
    expect(pg.report).toContain("adjustments.csv:5");
    const connection = openLedgerConnection(databaseUrl());
    try {
      expect(contents(connection)).toEqual({
        customers: [],
        invoices: [],
        payments: [],
        adjustments: [],
        credits: [],
        openItems: [],
        paidDates: [],
        audit: [],
      });
      // nor the owner the customers file named
      expect(connection.prepare("SELECT count(*) AS n FROM users WHERE email = 'new.owner@example.com'").get()).toEqual({ n: 0 });
    } finally {
      connection.close();
    }
  });

  it("imports awkward document numbers as SQLite does, and the same files again change nothing", async () => {
    const files = ledger(40);
    const first = await onBoth(files, sqliteFile);
    if (!first.pg.ok) expect(first.pg.report).toBe("");
    expect(first.pg.ok).toBe(true);
    expect(first.pg).toEqual(first.lite);
    const pg = openLedgerConnection(databaseUrl());
    const lite = openLedgerConnection(sqliteFile);
    try {
      const before = contents(pg);
      expect(before.invoices?.slice(0, 3)).toEqual([
        { invoice_no: 'INV,"逗号"', code: "C1", issue_date: "2026-01-01", due_date: "2026-03-01", amount: 125 },
        { invoice_no: "INV\\7", code: "C1", issue_date: "2026-01-02", due_date: "2026-03-01", amount: 225 },
        { invoice_no: "发票-甲", code: "C1", issue_date: "2026-01-03", due_date: "2026-03-01", amount: 325 },
      ]);
      expect(before.customers?.map((customer) => customer["code"])).toEqual(["C1", "C2"]);
      expect(before.customers?.[1]).toMatchObject({ name: "北方\\贸易 Co.", owner: "new.owner@example.com", owner_active: 0 });
      expect(before.adjustments).toEqual([
        { adjustment_no: 'ADJ,"甲"\\1', code: "C1", date: "2026-02-10", amount: 350, type: "credit_note", invoice_no: "INV\\7" },
        { adjustment_no: "ADJ-2", code: "C2", date: "2026-02-11", amount: 700, type: "write_off", invoice_no: null },
      ]);
      expect(before).toEqual(contents(lite));

      const again = await importInto(pg, files);
      expect(again.ok).toBe(true);
      if (!again.ok) return;
      expect(again.files.map((file) => file.counts)).toEqual([
        { customers: { added: 0, updated: 0, unchanged: 2 } },
        { invoices: { added: 0, updated: 0, unchanged: 40 } },
        { payments: { added: 0, updated: 0, unchanged: 40 } },
        { adjustments: { added: 0, updated: 0, unchanged: 2 } },
      ]);
      expect(contents(pg)).toEqual(before);
    } finally {
      pg.close();
      lite.close();
    }
  });

  it("updates changed rows and adds new ones with the same counts and audit entries as SQLite", async () => {
    const changed: { kind: FileKind; source: () => ImportSource }[] = [
      {
        kind: "customers",
        source: () =>
          csvSource("customers-2.csv", [
            "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days",
            // a new customer first: ids follow the file, whatever the existing rows
            "C3,Third 第三,West,new.owner@example.com,C,500000,60",
            'C1,"Harbour Trading, renamed",East,,A,1000000,30',
            "C2,北方\\贸易 Co.,North,Other.Owner@Example.com,B,,45",
          ]),
      },
      {
        kind: "adjustments",
        source: () =>
          csvSource("adjustments-2.csv", [
            "adjustment_no,customer_code,date,amount,type,invoice_no",
            '"ADJ,""甲""\\1",C1,2026-02-10,4.50,credit_note,"INV\\7"',
            "ADJ-NEW,C1,2026-03-03,20.00,offset,INV-NEW",
            "ADJ-2,C2,2026-02-11,7.00,write_off,",
          ]),
      },
      {
        kind: "invoices",
        source: () =>
          csvSource("invoices-2.csv", [
            "invoice_no,customer_code,issue_date,due_date,amount",
            '"INV,""逗号""",C1,2026-01-01,2026-03-01,999.00',
            "INV-000001,C1,2026-01-04,2026-03-01,4.25",
            "INV-NEW,C1,2026-03-01,2026-04-01,50.00",
          ]),
      },
      {
        kind: "payments",
        source: () =>
          csvSource("payments-2.csv", [
            "payment_no,customer_code,date,amount,invoice_no",
            '"PAY-INV\\7",C1,2026-02-02,2.00,"INV\\7"',
            "PAY-INV-000002,C1,2026-02-01,1.00,",
            "PAY-NEW,C1,2026-03-02,50.00,INV-NEW",
          ]),
      },
    ];
    const { pg, lite } = await onBoth(changed, sqliteFile);
    if (!pg.ok) expect(pg.report).toBe("");
    expect(pg.ok).toBe(true);
    expect(pg).toEqual(lite);
    if (!pg.ok) return;
    expect(pg.files.map((file) => file.counts)).toEqual([
      { customers: { added: 1, updated: 2, unchanged: 0 } },
      { invoices: { added: 1, updated: 1, unchanged: 1 } },
      { payments: { added: 1, updated: 2, unchanged: 0 } },
      { adjustments: { added: 1, updated: 1, unchanged: 1 } },
    ]);
    const onPg = openLedgerConnection(databaseUrl());
    const onLite = openLedgerConnection(sqliteFile);
    try {
      const after = contents(onPg);
      expect(after.audit?.map((entry) => entry["entity"])).toEqual(["customer", "customer", "invoice", "payment", "payment", "adjustment"]);
      expect(after.audit?.slice(0, 2)).toEqual([
        {
          entity: "customer",
          action: "import-update",
          before: { name: 'Harbour, "Trading" 港湾', region: "East", credit_grade: "A", credit_limit: 100000000, payment_terms_days: 30 },
          after: { name: "Harbour Trading, renamed", region: "East", credit_grade: "A", credit_limit: 100000000, payment_terms_days: 30 },
        },
        {
          entity: "customer",
          action: "import-update",
          before: { name: "北方\\贸易 Co.", region: "North", credit_grade: "B", credit_limit: null, payment_terms_days: 45 },
          after: { name: "北方\\贸易 Co.", region: "North", credit_grade: "B", credit_limit: null, payment_terms_days: 45 },
        },
      ]);
      expect(after.customers?.map((customer) => [customer["code"], customer["owner"]])).toEqual([
        ["C1", null],
        ["C2", "other.owner@example.com"],
        ["C3", "new.owner@example.com"],
      ]);
      expect(after.adjustments?.slice(-1)).toEqual([{ adjustment_no: "ADJ-NEW", code: "C1", date: "2026-03-03", amount: 2000, type: "offset", invoice_no: "INV-NEW" }]);
      expect(after).toEqual(contents(onLite));
    } finally {
      onPg.close();
      onLite.close();
    }
  });

  it("stages customers and adjustments by COPY and leaves the staging tables empty", async () => {
    const files: { kind: FileKind; source: () => ImportSource }[] = [
      {
        kind: "customers",
        source: () =>
          csvSource("customers-3.csv", ["code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days", "C4,Fourth,South,,A,1000,30", "C1,Harbour again,East,,A,1000000,30"]),
      },
      {
        kind: "adjustments",
        source: () => csvSource("adjustments-3.csv", ["adjustment_no,customer_code,date,amount,type,invoice_no", "ADJ-C4,C4,2026-03-04,1.00,credit_note,"]),
      },
    ];
    const connection = openLedgerConnection(databaseUrl());
    const staged: Record<string, number> = {};
    try {
      // the rows this transaction put into each staging table (this transaction's own statistics)
      const inserted = connection.prepare("SELECT relname, n_tup_ins FROM pg_stat_xact_user_tables WHERE relname LIKE 'qd_stage_%'");
      const outcome = await importInto(connection, files, () => {
        for (const row of inserted.all() as { relname: string; n_tup_ins: number }[]) staged[row.relname] = Number(row.n_tup_ins);
      });
      expect(outcome.ok).toBe(true);
      expect(staged).toMatchObject({ qd_stage_customers: 2, qd_stage_adjustments: 1 });
      for (const table of ["qd_stage_customers", "qd_stage_invoices", "qd_stage_payments", "qd_stage_adjustments"]) {
        expect(connection.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
      }
    } finally {
      connection.close();
    }
    const lite = openLedgerConnection(sqliteFile);
    try {
      expect(await importInto(lite, files)).toMatchObject({ ok: true });
      const onPg = openLedgerConnection(databaseUrl());
      try {
        expect(contents(onPg)).toEqual(contents(lite));
      } finally {
        onPg.close();
      }
    } finally {
      lite.close();
    }
  });
});

import type SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { databaseUrl, isPostgresUrl, openLedgerConnection } from "~/server/db.server";
import { IBM_ACCOUNTS_RECEIVABLE } from "~/features/import/mapping";
import { type ImportSource, sourceFromBuffer } from "~/features/import/source";
import { type ImportFileSpec, importLedger, importLedgerRecords } from "~/features/import/import-ledger.server";
import { PNG_BYTES, csvFile, xlsxFile } from "../../../fixtures/import/helpers";
import fs from "node:fs";
import path from "node:path";

// The import's own connection: better-sqlite3 on SQLite, its synchronous stand-in on PostgreSQL.
let sqlite: SQLite.Database;
const onPostgres = isPostgresUrl(databaseUrl());

beforeAll(() => {
  sqlite = openLedgerConnection();
});
afterAll(() => sqlite.close());

const OPTIONS = { baseCurrency: "CNY", userId: null };

function spec(kind: "customers" | "invoices" | "payments" | "adjustments", source: ImportSource): ImportFileSpec {
  return { source, layout: { kind } };
}

/** Everything a bad import must leave untouched, as one comparable value. */
function ledgerState() {
  const dump = (table: string) => sqlite.prepare(`SELECT * FROM ${table} ORDER BY 1`).all();
  return JSON.stringify(
    ["customers", "invoices", "payments", "adjustments", "open_items", "unapplied_credits", "users", "audit_log"].map(dump),
  );
}

const customers = csvFile("customers.csv", [
  "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days",
  "C1,华东机电设备有限公司,华东,owner.one@example.test,A,\"100,000.00\",30",
  "C2,南方贸易,华南,,B,0,60",
  "C3,Prepay Ltd,海外,,,,30",
]);
const invoices = csvFile("invoices.csv", [
  "invoice_no,customer_code,issue_date,due_date,amount",
  "I-1,C1,2026-01-05,,1000.50",
  "I-2,C1,2026-02-01,2026-03-03,200",
  "I-3,C2,2026-03-01,,\"¥5,000\"",
]);
const payments = csvFile("payments.csv", [
  "payment_no,customer_code,date,amount,invoice_no",
  "P-1,C1,2026-02-10,300,",
  "P-2,C2,2026-03-05,1000,I-3",
  "P-3,C3,2026-03-05,500,",
]);
const adjustments = csvFile("adjustments.csv", [
  "adjustment_no,customer_code,date,amount,type,invoice_no",
  "A-1,C2,2026-03-20,100,credit_note,I-3",
]);

describe("importing the four canonical files", () => {
  it("adds everything in one transaction and keeps open items current", async () => {
    const outcome = await importLedger(
      sqlite,
      // given out of order on purpose: customers must still go first
      [spec("payments", payments), spec("adjustments", adjustments), spec("invoices", invoices), spec("customers", customers)],
      OPTIONS,
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.files.map((f) => [f.file, f.counts])).toEqual([
      ["customers.csv", { customers: { added: 3, updated: 0, unchanged: 0 } }],
      ["invoices.csv", { invoices: { added: 3, updated: 0, unchanged: 0 } }],
      ["payments.csv", { payments: { added: 3, updated: 0, unchanged: 0 } }],
      ["adjustments.csv", { adjustments: { added: 1, updated: 0, unchanged: 0 } }],
    ]);
    // due date defaults to issue + the customer's terms (C2: 60 days)
    expect(sqlite.prepare("SELECT due_date FROM invoices WHERE invoice_no = 'I-3'").get()).toEqual({ due_date: "2026-04-30" });
    // C1: 1000.50 + 200 - 300 unreferenced, applied oldest first; C2: 5000 - 1000 - 100; C3: prepayment
    const open = sqlite
      .prepare(
        `SELECT i.invoice_no, o.open_amount FROM open_items o JOIN invoices i ON i.id = o.invoice_id ORDER BY i.invoice_no`,
      )
      .all();
    expect(open).toEqual([
      { invoice_no: "I-1", open_amount: 70050 },
      { invoice_no: "I-2", open_amount: 20000 },
      { invoice_no: "I-3", open_amount: 390000 },
    ]);
    expect(sqlite.prepare("SELECT c.code, u.amount FROM unapplied_credits u JOIN customers c ON c.id = u.customer_id").all()).toEqual([
      { code: "C3", amount: 50000 },
    ]);
    // an unknown owner email becomes an inactive staff user
    expect(sqlite.prepare("SELECT role, active, password_hash FROM users WHERE email = 'owner.one@example.test'").get()).toEqual({
      role: "staff",
      active: 0,
      password_hash: null,
    });
  });

  it("changes nothing when the same files are imported again", async () => {
    const before = ledgerState();
    const outcome = await importLedger(
      sqlite,
      [spec("customers", customers), spec("invoices", invoices), spec("payments", payments), spec("adjustments", adjustments)],
      OPTIONS,
    );
    expect(outcome.ok && outcome.files.map((f) => Object.values(f.counts)[0])).toEqual([
      { added: 0, updated: 0, unchanged: 3 },
      { added: 0, updated: 0, unchanged: 3 },
      { added: 0, updated: 0, unchanged: 3 },
      { added: 0, updated: 0, unchanged: 1 },
    ]);
    expect(ledgerState()).toBe(before);
  });

  it("updates a changed row, re-settles its customer and writes before and after to the audit log", async () => {
    const changed = csvFile("invoices.csv", [
      "invoice_no,customer_code,issue_date,due_date,amount",
      "I-1,C1,2026-01-05,,1000.50",
      "I-2,C1,2026-02-01,2026-03-03,250",
      "I-3,C2,2026-03-01,,\"¥5,000\"",
    ]);
    const outcome = await importLedger(sqlite, [spec("invoices", changed)], { ...OPTIONS, userId: null });
    expect(outcome.ok && outcome.files[0]?.counts.invoices).toEqual({ added: 0, updated: 1, unchanged: 2 });
    const audit = sqlite
      .prepare("SELECT entity, action, before, after FROM audit_log WHERE entity = 'invoice' ORDER BY id DESC LIMIT 1")
      .get() as { entity: string; action: string; before: string; after: string };
    expect(audit.action).toBe("import-update");
    expect(JSON.parse(audit.before)).toMatchObject({ invoice_no: "I-2", amount: 20000 });
    expect(JSON.parse(audit.after)).toMatchObject({ invoice_no: "I-2", amount: 25000 });
    expect(sqlite.prepare("SELECT open_amount FROM open_items WHERE invoice_id = (SELECT id FROM invoices WHERE invoice_no = 'I-2')").get()).toEqual({
      open_amount: 25000,
    });
  });
});

describe("bad input: a clear row error and nothing changed", () => {
  const invoiceHeader = "invoice_no,customer_code,issue_date,due_date,amount";
  const cases: [string, () => Promise<ImportFileSpec[]> | ImportFileSpec[], RegExp][] = [
    ["a negative amount", () => [spec("invoices", csvFile("bad.csv", [invoiceHeader, "X-1,C1,2026-01-01,,-5"]))], /^bad\.csv:2: amount: .*greater than 0/],
    ["a zero amount", () => [spec("invoices", csvFile("bad.csv", [invoiceHeader, "X-1,C1,2026-01-01,,0"]))], /^bad\.csv:2: amount: .*greater than 0/],
    ["three decimals", () => [spec("invoices", csvFile("bad.csv", [invoiceHeader, "X-1,C1,2026-01-01,,1.005"]))], /^bad\.csv:2: amount: .*2 decimal/],
    ["text in an amount", () => [spec("invoices", csvFile("bad.csv", [invoiceHeader, "X-1,C1,2026-01-01,,twelve"]))], /^bad\.csv:2: amount: /],
    ["an impossible date", () => [spec("invoices", csvFile("bad.csv", [invoiceHeader, "X-1,C1,2025-02-30,,10"]))], /^bad\.csv:2: issue_date: .*not a real date/],
    ["a due date before the issue date", () => [spec("invoices", csvFile("bad.csv", [invoiceHeader, "X-1,C1,2026-02-01,2026-01-31,10"]))], /^bad\.csv:2: due_date: .*before the issue date/],
    ["an unknown customer", () => [spec("invoices", csvFile("bad.csv", [invoiceHeader, "X-1,NOPE,2026-01-01,,10"]))], /^bad\.csv:2: customer_code: unknown customer NOPE/],
    [
      "an invoice of another customer",
      () => [spec("payments", csvFile("bad.csv", ["payment_no,customer_code,date,amount,invoice_no", "X-P,C2,2026-04-01,10,I-1"]))],
      /^bad\.csv:2: invoice_no: .*belongs to customer C1/,
    ],
    ["a duplicate key inside one file", () => [spec("invoices", csvFile("bad.csv", [invoiceHeader, "X-1,C1,2026-01-01,,10", "X-1,C1,2026-01-02,,20"]))], /^bad\.csv:3: invoice_no: .*line 2/],
    ["a missing required column", () => [spec("invoices", csvFile("bad.csv", ["invoice_no,customer_code,issue_date", "X-1,C1,2026-01-01"]))], /^bad\.csv:1: amount: .*missing/],
    ["an empty file", () => [spec("invoices", sourceFromBuffer("bad.csv", Buffer.alloc(0)))], /^bad\.csv: .*empty/i],
    ["a header only", () => [spec("invoices", csvFile("bad.csv", [invoiceHeader]))], /^bad\.csv:1: .*no data rows/],
    [
      "a wrong currency",
      () => [spec("invoices", csvFile("bad.csv", [`${invoiceHeader},currency`, "X-1,C1,2026-01-01,,10,USD"]))],
      /^bad\.csv:2: currency: .*USD.*CNY/,
    ],
    ["a 0-byte XLSX", () => [spec("invoices", sourceFromBuffer("bad.xlsx", Buffer.alloc(0)))], /^bad\.xlsx: .*empty/i],
    ["a renamed PNG", () => [spec("invoices", sourceFromBuffer("bad.xlsx", PNG_BYTES))], /^bad\.xlsx: .*not a CSV or XLSX.*PNG/],
    [
      "a good customers file with a bad invoices file (all or nothing)",
      () => [
        spec("customers", csvFile("new-customers.csv", ["code,name", "C9,New Customer"])),
        spec("invoices", csvFile("bad.csv", [invoiceHeader, "X-1,C9,2026-01-01,,10", "X-2,C9,2026-01-01,,1e5"])),
      ],
      /^bad\.csv:3: amount: /,
    ],
  ];

  it.each(cases)("%s", async (_, files, message) => {
    const before = ledgerState();
    const outcome = await importLedger(sqlite, await files(), OPTIONS);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.report.split("\n")[0]).toMatch(message);
    expect(ledgerState()).toBe(before);
  });

  it("knows the invoices of this import through the database, and a rejected invoice still through the context", async () => {
    const before = ledgerState();
    const paymentHeader = "payment_no,customer_code,date,amount,invoice_no";
    const outcome = await importLedger(
      sqlite,
      [
        spec("invoices", csvFile("invoices.csv", [invoiceHeader, "W-1,C1,2026-01-01,,10", "W-2,C2,2026-01-01,,-5"])),
        spec(
          "payments",
          csvFile("payments.csv", [
            paymentHeader,
            "WP-1,C1,2026-02-01,5,W-1", // written earlier in this import: found in the database
            "WP-2,C2,2026-02-01,5,W-2", // its invoice row was rejected: no second error
            "WP-3,C2,2026-02-01,5,W-1", // belongs to C1
          ]),
        ),
      ],
      OPTIONS,
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.report.split("\n")).toEqual([
      expect.stringMatching(/^invoices\.csv:3: amount: /),
      expect.stringMatching(/^payments\.csv:4: invoice_no: invoice W-1 belongs to customer C1, not C2/),
    ]);
    expect(ledgerState()).toBe(before);
  });

  it("sees an invoice moved to another customer earlier in the same import", async () => {
    const paymentHeader = "payment_no,customer_code,date,amount,invoice_no";
    const outcome = await importLedger(
      sqlite,
      [
        spec("invoices", csvFile("first.csv", [invoiceHeader, "M-1,C1,2026-01-01,,10"])),
        spec("invoices", csvFile("second.csv", [invoiceHeader, "M-1,C2,2026-01-01,,10"])),
        spec("payments", csvFile("payments.csv", [paymentHeader, "MP-1,C1,2026-02-01,5,M-1"])),
      ],
      OPTIONS,
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.report).toMatch(/^payments\.csv:2: invoice_no: invoice M-1 belongs to customer C2, not C1/);
  });

  it("reports every bad row (the first 100, then a count)", async () => {
    const rows = Array.from({ length: 130 }, (_, i) => `X-${i},C1,2026-01-01,,-1`);
    const outcome = await importLedger(sqlite, [spec("invoices", csvFile("many.csv", [invoiceHeader, ...rows]))], OPTIONS);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errorCount).toBe(130);
    const lines = outcome.report.split("\n");
    expect(lines).toHaveLength(101);
    expect(lines[100]).toBe("… and 30 more errors");
  });
});

describe("other layouts", () => {
  it("stores a formula-looking name and a quoted newline as plain text", async () => {
    const file = csvFile("customers.csv", ["code,name,region", 'F1,"=1+1",华东', 'F2,"Two\nLines Ltd",华北']);
    const outcome = await importLedger(sqlite, [spec("customers", file)], OPTIONS);
    expect(outcome.ok).toBe(true);
    expect(sqlite.prepare("SELECT code, name FROM customers WHERE code IN ('F1','F2') ORDER BY code").all()).toEqual([
      { code: "F1", name: "=1+1" },
      { code: "F2", name: "Two\nLines Ltd" },
    ]);
  });

  it("reads GBK-encoded CSV with Chinese headers and XLSX with an Excel date", async () => {
    const gbk = csvFile("客户.csv", ["客户编码,客户名称,区域", "G1,广州五金,华南"], "gbk");
    const xlsx = await xlsxFile("发票.xlsx", {
      Sheet1: [
        ["发票号", "客户编码", "开票日期", "金额"],
        ["GX-1", "G1", new Date(Date.UTC(2026, 4, 6)), 1234.56],
      ],
    });
    const outcome = await importLedger(sqlite, [spec("customers", gbk), spec("invoices", xlsx)], OPTIONS);
    expect(outcome.ok).toBe(true);
    expect(sqlite.prepare("SELECT issue_date, due_date, amount FROM invoices WHERE invoice_no = 'GX-1'").get()).toEqual({
      issue_date: "2026-05-06",
      due_date: "2026-06-05",
      amount: 123456,
    });
  });

  it("imports the IBM export unedited through its column mapping, and again changes nothing", async () => {
    const file = fs.readFileSync(path.resolve("tests/fixtures/import/ibm-accounts-receivable.csv"));
    const ibm = (): ImportFileSpec => ({
      source: sourceFromBuffer("ibm-accounts-receivable.csv", file),
      layout: { mapping: IBM_ACCOUNTS_RECEIVABLE },
    });
    const first = await importLedger(sqlite, [ibm()], OPTIONS);
    expect(first.ok && first.files[0]?.counts).toEqual({
      customers: { added: 100, updated: 0, unchanged: 0 },
      invoices: { added: 2466, updated: 0, unchanged: 0 },
      payments: { added: 2466, updated: 0, unchanged: 0 },
    });
    // every invoice of the sample is settled in full
    const open = sqlite
      .prepare("SELECT count(*) AS n FROM open_items o JOIN invoices i ON i.id = o.invoice_id WHERE i.invoice_no NOT LIKE 'I-%' AND i.invoice_no NOT LIKE 'GX-%'")
      .get();
    expect(open).toEqual({ n: 0 });
    const before = ledgerState();
    const again = await importLedger(sqlite, [ibm()], OPTIONS);
    expect(again.ok && again.files[0]?.counts).toEqual({
      invoices: { added: 0, updated: 0, unchanged: 2466 },
      payments: { added: 0, updated: 0, unchanged: 2466 },
    });
    expect(ledgerState()).toBe(before);
  });
});

describe("large imports", () => {
  // SQLite's bulk import drops the document indexes and builds them again after the rows; on
  // PostgreSQL it keeps them. Either way the same indexes are there afterwards.
  const indexes = () =>
    onPostgres
      ? sqlite.prepare("SELECT indexname AS name, tablename AS tbl_name, indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname").all()
      : sqlite.prepare("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all();
  // SQLite's integrity check reads every page and index; PostgreSQL's counterpart for an index
  // built or rebuilt is its valid flag.
  const intact = () =>
    onPostgres ? sqlite.prepare("SELECT count(*) AS n FROM pg_index WHERE NOT indisvalid").pluck().get() === 0 : sqlite.pragma("integrity_check", { simple: true }) === "ok";
  // SQLite's enforcement is a per-connection pragma the import turns off around its transaction;
  // PostgreSQL's cannot be turned off per connection short of replica mode (no trigger fires).
  const foreignKeysEnforced = () =>
    onPostgres ? sqlite.prepare("SELECT current_setting('session_replication_role')").pluck().get() === "origin" : sqlite.pragma("foreign_keys", { simple: true }) === 1;
  // Rows naming no parent: SQLite's foreign-key check; on PostgreSQL every foreign key is checked
  // as rows are written, and one added NOT VALID (rows never checked) is the only way to have one.
  const orphans = () =>
    onPostgres ? sqlite.prepare("SELECT conname FROM pg_constraint WHERE contype = 'f' AND NOT convalidated").all() : sqlite.pragma("foreign_key_check");

  it("build the document indexes after the rows; a rejected import leaves them as they were", async () => {
    const before = indexes();
    const stateBefore = ledgerState();
    const header = "invoice_no,customer_code,issue_date,amount";
    const bad = csvFile("late-bad.csv", [header, "L-1,C1,2026-04-01,10", "L-2,C1,2026-02-30,5"]);
    const rejected = await importLedger(sqlite, [spec("invoices", bad)], { ...OPTIONS, deferIndexes: true });
    expect(rejected.ok).toBe(false);
    expect(indexes()).toEqual(before);
    expect(ledgerState()).toBe(stateBefore);

    const good = csvFile("late.csv", [header, "L-1,C1,2026-04-01,10", "L-2,C1,2026-04-02,5"]);
    const paid = csvFile("late-payments.csv", ["payment_no,customer_code,date,amount,invoice_no", "LP-1,C1,2026-04-03,4,L-2"]);
    const outcome = await importLedger(sqlite, [spec("invoices", good), spec("payments", paid)], { ...OPTIONS, deferIndexes: true });
    expect(outcome.ok).toBe(true);
    expect(indexes()).toEqual(before);
    expect(intact()).toBe(true);
    expect(sqlite.prepare("SELECT open_amount FROM open_items o JOIN invoices i ON i.id = o.invoice_id WHERE i.invoice_no = 'L-2'").get()).toEqual({
      open_amount: 100,
    });
  });

  it("write without per-row foreign-key checks yet leave no orphan row, and the connection enforcing them again", async () => {
    expect(foreignKeysEnforced()).toBe(true);
    const header = "invoice_no,customer_code,issue_date,amount";
    const bad = csvFile("fk-bad.csv", [header, "FK-1,C1,2026-04-01,10", "FK-2,NOPE,2026-04-01,5"]);
    const rejected = await importLedger(sqlite, [spec("invoices", bad)], { ...OPTIONS, deferIndexes: true });
    expect(rejected.ok).toBe(false);
    expect(foreignKeysEnforced()).toBe(true);

    const good = csvFile("fk.csv", [header, "FK-1,C1,2026-04-01,10", "FK-2,C2,2026-04-01,5"]);
    const paid = csvFile("fk-payments.csv", ["payment_no,customer_code,date,amount,invoice_no", "FKP-1,C2,2026-04-03,7,FK-2", "FKP-2,C1,2026-04-03,1,"]);
    const credit = csvFile("fk-adjustments.csv", ["adjustment_no,customer_code,date,amount,type,invoice_no", "FKA-1,C1,2026-04-04,2,write_off,FK-1"]);
    const outcome = await importLedger(sqlite, [spec("invoices", good), spec("payments", paid), spec("adjustments", credit)], {
      ...OPTIONS,
      deferIndexes: true,
    });
    expect(outcome.ok).toBe(true);
    expect(foreignKeysEnforced()).toBe(true);
    // every customer and invoice id written (documents, open items, status runs) names a row
    expect(orphans()).toEqual([]);
    // ... and a write that breaks one is refused again after the import
    expect(() => sqlite.prepare("INSERT INTO open_items (invoice_id, customer_id, issue_date, due_date, open_amount) VALUES (999999, 1, '2026-01-01', '2026-01-31', 1)").run()).toThrow(/FOREIGN KEY constraint failed|violates foreign key constraint/);
  });

  it("insert new invoices and payments in batches and still tell added, updated and unchanged rows apart", async () => {
    const header = "invoice_no,customer_code,issue_date,amount";
    const invoiceRow = (i: number, amount = 100 + i) => `B-${String(i).padStart(3, "0")},C2,2026-05-${String((i % 28) + 1).padStart(2, "0")},${amount}`;
    const first = csvFile("batch-1.csv", [header, ...Array.from({ length: 70 }, (_, i) => invoiceRow(i))]);
    const paymentHeader = "payment_no,customer_code,date,amount,invoice_no";
    const paymentRow = (i: number, amount = 10) => `BP-${String(i).padStart(3, "0")},C2,2026-06-01,${amount},B-${String(i).padStart(3, "0")}`;
    const paid = csvFile("batch-p1.csv", [paymentHeader, ...Array.from({ length: 40 }, (_, i) => paymentRow(i))]);
    const outcome = await importLedger(sqlite, [spec("invoices", first), spec("payments", paid)], OPTIONS);
    expect(outcome.ok && outcome.files.map((f) => f.counts)).toEqual([
      { invoices: { added: 70, updated: 0, unchanged: 0 } },
      { payments: { added: 40, updated: 0, unchanged: 0 } },
    ]);
    const auditBefore = (sqlite.prepare("SELECT count(*) AS n FROM audit_log").get() as { n: number }).n;

    // 35 the same, 15 changed, 20 new: every full batch of 32 holds a mixture
    const second = csvFile("batch-2.csv", [
      header,
      ...Array.from({ length: 70 }, (_, i) => (i < 35 ? invoiceRow(i) : i < 50 ? invoiceRow(i, 999) : invoiceRow(i + 20))),
    ]);
    const paidAgain = csvFile("batch-p2.csv", [
      paymentHeader,
      ...Array.from({ length: 40 }, (_, i) => (i < 30 ? paymentRow(i) : paymentRow(i, 20))),
      ...Array.from({ length: 10 }, (_, i) => paymentRow(40 + i)),
    ]);
    const again = await importLedger(sqlite, [spec("invoices", second), spec("payments", paidAgain)], OPTIONS);
    expect(again.ok && again.files.map((f) => f.counts)).toEqual([
      { invoices: { added: 20, updated: 15, unchanged: 35 } },
      { payments: { added: 10, updated: 10, unchanged: 30 } },
    ]);
    expect((sqlite.prepare("SELECT count(*) AS n FROM audit_log").get() as { n: number }).n - auditBefore).toBe(25);
    expect(sqlite.prepare("SELECT amount FROM invoices WHERE invoice_no = 'B-040'").get()).toEqual({ amount: 99900 });
    expect(sqlite.prepare("SELECT count(*) AS n FROM invoices WHERE invoice_no LIKE 'B-%'").get()).toEqual({ n: 90 });
    // B-035 (999.00 now) has a payment changed to 20.00, B-040 a new one of 10.00
    const open = sqlite.prepare("SELECT open_amount FROM open_items o JOIN invoices i ON i.id = o.invoice_id WHERE i.invoice_no = ?").pluck();
    expect([open.get("B-035"), open.get("B-040"), open.get("B-089")]).toEqual([97900, 98900, 18900]);
  });

  it("write records handed in directly in batches too, a key given twice updating as row by row", () => {
    const invoice = (i: number, amount: number) => ({
      invoiceNo: `R-${String(i).padStart(3, "0")}`,
      customerCode: "C3",
      issueDate: "2026-07-01",
      dueDate: "2026-07-31",
      amount,
    });
    const invoices = Array.from({ length: 40 }, (_, i) => invoice(i, 1000 + i));
    invoices[20] = invoice(3, 777);
    const counts = importLedgerRecords(sqlite, { customers: [], invoices, payments: [], adjustments: [] }, OPTIONS);
    expect(counts.invoices).toEqual({ added: 39, updated: 1, unchanged: 0 });
    expect(sqlite.prepare("SELECT amount FROM invoices WHERE invoice_no = 'R-003'").get()).toEqual({ amount: 777 });
    expect(sqlite.prepare("SELECT count(*) AS n FROM invoices WHERE invoice_no LIKE 'R-%'").get()).toEqual({ n: 39 });
  });

  it("write records naming each key once (on PostgreSQL by COPY, as a file import) with the same counts and settlement", () => {
    const customer = { code: "C4", name: "Records Ltd", region: null, ownerEmail: null, creditGrade: null, creditLimit: null, paymentTermsDays: 30 };
    const invoice = (i: number, amount = 1000 + i) => ({
      invoiceNo: `S-${String(i).padStart(3, "0")}`,
      customerCode: "C4",
      issueDate: "2026-07-01",
      dueDate: "2026-07-31",
      amount,
    });
    const paid = { paymentNo: "SP-1", customerCode: "C4", date: "2026-07-10", amount: 500, invoiceNo: "S-005" };
    const first = importLedgerRecords(
      sqlite,
      { customers: [customer], invoices: Array.from({ length: 10 }, (_, i) => invoice(i)), payments: [paid], adjustments: [] },
      OPTIONS,
    );
    expect([first.customers, first.invoices, first.payments]).toEqual([
      { added: 1, updated: 0, unchanged: 0 },
      { added: 10, updated: 0, unchanged: 0 },
      { added: 1, updated: 0, unchanged: 0 },
    ]);
    // again, with S-003 changed, S-010 new and a payment of it
    const again = importLedgerRecords(
      sqlite,
      {
        customers: [],
        invoices: Array.from({ length: 11 }, (_, i) => invoice(i, i === 3 ? 2000 : 1000 + i)),
        payments: [paid, { paymentNo: "SP-2", customerCode: "C4", date: "2026-07-20", amount: 10, invoiceNo: "S-010" }],
        adjustments: [],
      },
      OPTIONS,
    );
    expect([again.invoices, again.payments]).toEqual([
      { added: 1, updated: 1, unchanged: 9 },
      { added: 1, updated: 0, unchanged: 1 },
    ]);
    const open = sqlite.prepare("SELECT open_amount FROM open_items o JOIN invoices i ON i.id = o.invoice_id WHERE i.invoice_no = ?").pluck();
    expect([open.get("S-000"), open.get("S-003"), open.get("S-005"), open.get("S-010")]).toEqual([1000, 2000, 505, 1000]);
  });
});


/**
 * The bulk import on a ledger shaped like a real department's (the benchmark's "uneven" profile
 * in small): customers of Pareto-spread sizes, half the payments naming no invoice, partial, split,
 * late and over-payments, payments dated before the invoice they name, credit notes, write-offs
 * and offsets (some unreferenced), blank due dates. Whatever the bulk path does to be fast
 * (deferred indexes, captured columns, one sweep per customer, no per-row foreign-key checks),
 * its open items, unapplied credit and month-end positions must be those of the plain open-item
 * rules (KPIS.md section 3, `openItemsAsOf`) applied to the documents it stored.
 */
import type SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { importLedger } from "~/features/import/import-ledger.server";
import { addDays } from "~/kernel/dates";
import { openItemsAsOf } from "~/kernel/ledger/open-items";
import type { AdjustmentType, LedgerSnapshot } from "~/kernel/ledger/types";
import { openLedgerConnection } from "~/server/db.server";

import { csvFile } from "../../../fixtures/import/helpers";

// The import's own connection: better-sqlite3 on SQLite, its synchronous stand-in on PostgreSQL.
let sqlite: SQLite.Database;

beforeAll(() => {
  sqlite = openLedgerConnection();
});
afterAll(() => sqlite.close());

/** mulberry32: a small seeded generator, so every run sees the same ledger. */
function generator(seed: number) {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function unevenLedgerCsv(seed: number, customerCount: number, invoiceCount: number) {
  const random = generator(seed);
  const terms = Array.from({ length: customerCount }, (_, c) => [0, 30, 45, 90][c % 4]!);
  const customers = ["code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days"];
  terms.forEach((days, c) => customers.push(`U${c},Customer ${c},R${c % 3},,${"ABC"[c % 3]},${(c % 4) * 5000},${days}`));
  // Zipf weights 1/rank: customer 0 holds about a third of the documents.
  const cumulative: number[] = [];
  let total = 0;
  for (let c = 0; c < customerCount; c += 1) cumulative.push((total += 1 / (c + 1)));
  const pick = () => {
    const target = random() * total;
    return cumulative.findIndex((value) => value >= target);
  };
  const money = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
  const invoices = ["invoice_no,customer_code,issue_date,due_date,amount"];
  const payments = ["payment_no,customer_code,date,amount,invoice_no"];
  const adjustments = ["adjustment_no,customer_code,date,amount,type,invoice_no"];
  const pay = (customer: number, date: string, cents: number, invoiceNo: string) => {
    const named = random() < 0.5 ? invoiceNo : "";
    payments.push(`UP-${payments.length},U${customer},${date},${money(Math.max(1, cents))},${named}`);
  };
  for (let i = 0; i < invoiceCount; i += 1) {
    const c = pick();
    const invoiceNo = `UI-${i}`;
    // few distinct days, so many documents share a day (ties are where order rules bite)
    const issue = addDays("2025-01-01", Math.floor((i / invoiceCount) * 400) + Math.floor(random() * 3));
    const cents = 100 + Math.floor(random() * 500_000);
    const due = random() < 0.25 ? "" : addDays(issue, terms[c]! + [0, 0, 15][i % 3]!);
    invoices.push(`${invoiceNo},U${c},${issue},${due},${money(cents)}`);
    const r = random();
    const days = terms[c]!;
    if (r < 0.1) {
      // unpaid
    } else if (r < 0.5) pay(c, addDays(issue, Math.floor(random() * (days + 20))), cents, invoiceNo);
    else if (r < 0.6) pay(c, addDays(issue, days + 60 + Math.floor(random() * 200)), cents, invoiceNo);
    else if (r < 0.66) pay(c, addDays(issue, Math.floor(random() * 10)), cents + 1 + Math.floor(random() * 20_000), invoiceNo);
    else if (r < 0.7) pay(c, addDays(issue, -1 - Math.floor(random() * 5)), cents, invoiceNo);
    else if (r < 0.82) pay(c, addDays(issue, Math.floor(random() * (days + 40))), Math.floor(cents * (0.2 + 0.6 * random())), invoiceNo);
    else {
      const first = Math.floor(cents * (0.3 + 0.4 * random()));
      pay(c, addDays(issue, Math.floor(random() * (days + 1))), first, invoiceNo);
      pay(c, addDays(issue, days + Math.floor(random() * 120)), cents - first, invoiceNo);
    }
    if (random() < 0.12) {
      const a = random();
      const type: AdjustmentType = a < 0.5 ? "credit_note" : a < 0.7 ? "write_off" : "offset";
      const adjusted = type === "write_off" ? Math.max(1, Math.floor(cents * random())) : Math.max(1, Math.floor(cents * 0.2 * random()));
      const named = random() < 0.75 ? invoiceNo : "";
      const date = addDays(issue, type === "write_off" ? days + 100 + Math.floor(random() * 100) : Math.floor(random() * 90));
      adjustments.push(`UA-${adjustments.length},U${c},${date},${money(adjusted)},${type},${named}`);
    }
  }
  // A customer paying ahead: an over-payment left as unapplied credit, and one paying for an invoice
  // issued later.
  customers.push("U-PRE,Prepays Ltd,R0,,A,0,30");
  invoices.push("UI-PRE-1,U-PRE,2025-03-01,,100.00", "UI-PRE-2,U-PRE,2025-05-01,2025-05-31,50.00");
  payments.push("UP-PRE-1,U-PRE,2025-02-01,400.00,", "UP-PRE-2,U-PRE,2025-04-01,50.00,UI-PRE-2");
  return { customers, invoices, payments, adjustments };
}

/**
 * The documents as stored (due dates filled in by the import), as the plain rules read them. The
 * aliases are quoted: PostgreSQL folds an unquoted one to lower case.
 */
function storedSnapshot(): LedgerSnapshot {
  const invoices = sqlite
    .prepare(
      `SELECT i.invoice_no AS "invoiceNo", c.code AS "customerCode", i.issue_date AS "issueDate", i.due_date AS "dueDate", i.amount
       FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE c.code LIKE 'U%'`,
    )
    .all() as LedgerSnapshot["invoices"];
  const payments = sqlite
    .prepare(
      `SELECT p.payment_no AS "paymentNo", c.code AS "customerCode", p.date, p.amount, i.invoice_no AS "invoiceNo"
       FROM payments p JOIN customers c ON c.id = p.customer_id LEFT JOIN invoices i ON i.id = p.invoice_id WHERE c.code LIKE 'U%'`,
    )
    .all() as LedgerSnapshot["payments"];
  const adjustments = sqlite
    .prepare(
      `SELECT a.adjustment_no AS "adjustmentNo", c.code AS "customerCode", a.date, a.amount, a.type, i.invoice_no AS "invoiceNo"
       FROM adjustments a JOIN customers c ON c.id = a.customer_id LEFT JOIN invoices i ON i.id = a.invoice_id WHERE c.code LIKE 'U%'`,
    )
    .all() as LedgerSnapshot["adjustments"];
  return { customers: [], invoices, payments, adjustments };
}

describe("a bulk import of an uneven ledger", () => {
  it("settles every customer exactly as the plain open-item rules do, at the end and at every month end", { timeout: 120_000 }, async () => {
    const csv = unevenLedgerCsv(20261207, 12, 3000);
    const outcome = await importLedger(
      sqlite,
      [
        { source: csvFile("u-customers.csv", csv.customers), layout: { kind: "customers" } },
        { source: csvFile("u-invoices.csv", csv.invoices), layout: { kind: "invoices" } },
        { source: csvFile("u-payments.csv", csv.payments), layout: { kind: "payments" } },
        { source: csvFile("u-adjustments.csv", csv.adjustments), layout: { kind: "adjustments" } },
      ],
      // the bulk path, as a million-row load takes it
      { baseCurrency: "CNY", userId: null, deferIndexes: true },
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.files.map((f) => f.rows)).toEqual([13, 3002, csv.payments.length - 1, csv.adjustments.length - 1]);

    const snapshot = storedSnapshot();
    // the awkward cases are all there
    expect(snapshot.payments.filter((p) => p.invoiceNo === null).length).toBeGreaterThan(snapshot.payments.length / 3);
    expect(new Set(snapshot.adjustments.map((a) => a.type))).toEqual(new Set(["credit_note", "write_off", "offset"]));
    const perCustomer = new Map<string, number>();
    for (const invoice of snapshot.invoices) perCustomer.set(invoice.customerCode, (perCustomer.get(invoice.customerCode) ?? 0) + 1);
    expect(Math.max(...perCustomer.values())).toBeGreaterThan(10 * Math.min(...perCustomer.values()));

    // After every document: the stored open items and unapplied credit.
    const final = openItemsAsOf(snapshot, "2100-01-01");
    const expectedOpen = final.customers
      .flatMap((customer) => customer.invoices.filter((invoice) => invoice.openAmount > 0).map((invoice) => [invoice.invoiceNo, invoice.openAmount]))
      .sort();
    const storedOpen = (
      sqlite
        .prepare("SELECT i.invoice_no, o.open_amount FROM open_items o JOIN invoices i ON i.id = o.invoice_id WHERE i.invoice_no LIKE 'UI-%'")
        .raw()
        .all() as [string, number][]
    ).sort();
    expect(storedOpen.length).toBeGreaterThan(100);
    expect(storedOpen).toEqual(expectedOpen);
    const expectedCredit = final.customers
      .filter((customer) => customer.unappliedCredit > 0)
      .map((customer) => [customer.customerCode, customer.unappliedCredit])
      .sort();
    const storedCredit = (
      sqlite
        .prepare("SELECT c.code, u.amount FROM unapplied_credits u JOIN customers c ON c.id = u.customer_id WHERE c.code LIKE 'U%'")
        .raw()
        .all() as [string, number][]
    ).sort();
    expect(storedCredit).toContainEqual(["U-PRE", 30000]);
    expect(storedCredit).toEqual(expectedCredit);

    // Through time: each stored month-end balance equals the rules' open receivables at that date.
    const monthEnds = sqlite
      .prepare(
        `SELECT c.code, s.month_end, s.ar_total FROM status_positions s JOIN customers c ON c.id = s.customer_id
         WHERE c.code LIKE 'U%' AND s.month_end <= '2026-06-30' ORDER BY s.month_end`,
      )
      .raw()
      .all() as [string, string, number][];
    expect(monthEnds.length).toBeGreaterThan(100);
    const byDate = new Map<string, Map<string, number>>();
    for (const [, monthEnd] of monthEnds) {
      if (byDate.has(monthEnd)) continue;
      byDate.set(monthEnd, new Map(openItemsAsOf(snapshot, monthEnd).customers.map((c) => [c.customerCode, c.arTotal])));
    }
    const mismatches = monthEnds.filter(([code, monthEnd, arTotal]) => byDate.get(monthEnd)!.get(code) !== arTotal);
    expect(mismatches).toEqual([]);
  });
});

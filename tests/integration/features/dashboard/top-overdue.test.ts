import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";

import { topOverdueOf } from "~/features/dashboard/dashboard.server";
import { getDb, openLedgerConnection } from "~/server/db.server";
import type { DashboardViewer } from "~/features/dashboard/request";
import { type KpiScope, parseScope } from "~/features/kpi/scope";
import { topOverdueCustomers } from "~/features/kpi/series";
import { openItemsAsOf } from "~/kernel/ledger/open-items";
import { latestDocumentDate } from "~/features/ledger/queries/ledger.server";
import { loadLedgerSnapshot, scopeCustomerIds } from "~/features/kpi/queries/ledger.server";
import { ensureStatusPositions } from "~/features/status-table/index.server";
import { makeUser } from "../../../support/app";
import { csvSource, importIntoTestDb, importLedgerFixture } from "../../../support/ledger";
import { defined } from "../../../support/defined";

/**
 * The dashboard's top-overdue list as of any date is read from the open items the import keeps
 * (`open_items`, and the open runs of the customers with documents dated after that date); it
 * must be the engine's own answer: the scope's documents settled as of the date.
 */

const emails = { head: "head@demo.quarterdeck", staff: "staff@demo.quarterdeck" };
const viewers: Record<"head" | "staff", DashboardViewer> = {
  head: { id: 0, role: "head", email: emails.head },
  staff: { id: 0, role: "staff", email: emails.staff },
};

// Before every document, between them (including due days and days with later documents for
// some customers only), and after the last one (2025-11-12).
const DATES = ["2024-12-31", "2025-02-10", "2025-03-31", "2025-05-01", "2025-06-16", "2025-06-30", "2025-07-04", "2025-08-31", "2025-10-01", "2025-11-05", "2026-06-30"];
const SCOPES = [
  "company",
  `owner:${emails.head}`,
  `owner:${emails.staff}`,
  "region:Coast",
  "region:East",
  "grade:A",
  "grade:B",
  "customer:FX001",
  "customer:TO05",
  "customer:TO09",
];

const money = (minor: number) => (minor / 100).toFixed(2);
const day = (month: number, dayOfMonth: number) => `2025-${String(month).padStart(2, "0")}-${String(dayOfMonth).padStart(2, "0")}`;

/**
 * Twelve customers TO01..TO12 (owners head / staff / none, two regions, three grades), three
 * invoices each; partial and excess payments naming invoices, unnamed payments (the pool), a
 * payment naming an invoice not issued yet, credit notes and write-offs, and post-dated payments
 * for half of them. TO06 repeats TO05's documents: a tie broken by code.
 */
function extraLedger() {
  const customers = ["code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days"];
  const invoices = ["invoice_no,customer_code,issue_date,due_date,amount"];
  const payments = ["payment_no,customer_code,date,amount,invoice_no"];
  const adjustments = ["adjustment_no,customer_code,date,amount,type,invoice_no"];
  for (let i = 1; i <= 12; i += 1) {
    const code = `TO${String(i).padStart(2, "0")}`;
    const owner = i % 3 === 0 ? emails.staff : i % 3 === 1 ? emails.head : "";
    customers.push(`${code},Top overdue ${i} 逾期客户,${i % 2 === 0 ? "Coast" : "Inland"},${owner},${"ABC"[i % 3]},5000,30`);
    const n = i === 6 ? 5 : i; // TO06 mirrors TO05
    const amounts: [number, number, number] = [n * 10_000 + 3_700, n * 7_000 + 1_234, n * 5_000 + 50];
    const inv = (k: number) => `TO-INV-${code}-${k}`;
    invoices.push(`${inv(1)},${code},${day(1, n)},${day(2, n)},${money(amounts[0])}`);
    invoices.push(`${inv(2)},${code},${day(4, n)},${day(5, n)},${money(amounts[1])}`);
    invoices.push(`${inv(3)},${code},${day(8, n)},${day(9, n)},${money(amounts[2])}`);
    payments.push(`TO-PAY-${code}-1,${code},${day(3, 10 + n)},${money(5_000)},${inv(1)}`);
    if (n % 2 === 0) payments.push(`TO-PAY-${code}-2,${code},${day(6, 15)},${money(15_000)},`);
    if (n % 4 === 1) payments.push(`TO-PAY-${code}-3,${code},${day(5, 20)},${money(amounts[1] + 8_000)},${inv(2)}`);
    if (n % 5 === 2) payments.push(`TO-PAY-${code}-4,${code},${day(7, 1)},${money(9_900)},${inv(3)}`);
    if (n <= 6) payments.push(`TO-PAY-${code}-5,${code},${day(11, n)},${money(n * 3_000)},`);
    if (n === 3) adjustments.push(`TO-ADJ-${code}-1,${code},${day(5, 5)},${money(4_000)},credit_note,${inv(2)}`);
    if (n === 9) adjustments.push(`TO-ADJ-${code}-2,${code},${day(10, 1)},${money(20_000)},write_off,${inv(1)}`);
    if (n === 10) adjustments.push(`TO-ADJ-${code}-3,${code},${day(6, 16)},${money(7_000)},offset,`);
  }
  return [
    { kind: "customers" as const, source: csvSource("to-customers.csv", customers) },
    { kind: "invoices" as const, source: csvSource("to-invoices.csv", invoices) },
    { kind: "payments" as const, source: csvSource("to-payments.csv", payments) },
    { kind: "adjustments" as const, source: csvSource("to-adjustments.csv", adjustments) },
  ];
}

beforeAll(async () => {
  viewers.head.id = (await makeUser("head", { email: emails.head })).id;
  viewers.staff.id = (await makeUser("staff", { email: emails.staff })).id;
  await importLedgerFixture();
  await importIntoTestDb(extraLedger());
});

function scopeOf(text: string): KpiScope {
  const parsed = parseScope(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.scope;
}

async function scopeIds(scope: KpiScope): Promise<number[] | null> {
  const ids = await scopeCustomerIds(getDb(), scope);
  if (ids === "unknown") throw new Error(`unknown scope ${JSON.stringify(scope)}`);
  return ids;
}

/** The engine's answer: the scope's (staff: their own) documents settled as of the date. */
async function engineTop(viewer: DashboardViewer, scope: KpiScope, asOf: string) {
  let ids = await scopeIds(scope);
  if (viewer.role === "staff") {
    const own = new Set((await scopeIds({ type: "owner", email: viewer.email })) ?? []);
    ids = ids === null ? [...own] : ids.filter((id) => own.has(id));
  }
  const snapshot = await loadLedgerSnapshot(getDb(), ids, asOf);
  return topOverdueCustomers(openItemsAsOf(snapshot, asOf), snapshot.customers);
}

async function fastTop(viewer: DashboardViewer, scope: KpiScope, asOf: string) {
  return topOverdueOf(getDb(), viewer, { asOf, scope }, await scopeIds(scope));
}

/** The customers whose open runs wait to be brought up to date. */
async function staleCustomers(): Promise<number[]> {
  const result = await sql<{ customer_id: number }>`SELECT customer_id FROM status_stale_customers ORDER BY customer_id`.execute(getDb());
  return result.rows.map((row) => row.customer_id);
}

/** Customers with a document dated after `asOf`. */
async function customersWithLaterDocuments(asOf: string): Promise<string[]> {
  const rows = await getDb()
    .selectFrom("customers as c")
    .select("c.code")
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom("invoices as i").select("i.id").whereRef("i.customer_id", "=", "c.id").where("i.issue_date", ">", asOf)),
        eb.exists(eb.selectFrom("payments as p").select("p.id").whereRef("p.customer_id", "=", "c.id").where("p.date", ">", asOf)),
        eb.exists(eb.selectFrom("adjustments as a").select("a.id").whereRef("a.customer_id", "=", "c.id").where("a.date", ">", asOf)),
      ]),
    )
    .execute();
  return rows.map((row) => row.code);
}

describe("dashboard top overdue customers as of any date", () => {
  it("equals the engine's answer for every date, scope and viewer", async () => {
    let compared = 0;
    let nonEmptyWithLaterDocuments = 0;
    for (const asOf of DATES) {
      const later = new Set(await customersWithLaterDocuments(asOf));
      for (const text of SCOPES) {
        const scope = scopeOf(text);
        for (const viewer of [viewers.head, viewers.staff]) {
          const expected = await engineTop(viewer, scope, asOf);
          const actual = await fastTop(viewer, scope, asOf);
          expect(actual, `${asOf} ${text} ${viewer.role}`).toEqual({ customers: expected, ownCustomersOnly: viewer.role === "staff" });
          compared += 1;
          if (expected.some((row) => later.has(row.code))) nonEmptyWithLaterDocuments += 1;
        }
      }
    }
    expect(compared).toBe(DATES.length * SCOPES.length * 2);
    // The comparisons are not vacuous: many lists name customers whose later documents change them.
    expect(nonEmptyWithLaterDocuments).toBeGreaterThan(20);
  });

  it("names at most ten customers, largest overdue first, ties by code", async () => {
    const asOf = "2025-10-01";
    expect((await customersWithLaterDocuments(asOf)).length).toBeGreaterThan(0);
    const { customers } = await fastTop(viewers.head, { type: "company" }, asOf);
    expect(customers).toHaveLength(10);
    for (let i = 1; i < customers.length; i += 1) {
      const [a, b] = [defined(customers[i - 1]), defined(customers[i])];
      expect(a.overdue > b.overdue || (a.overdue === b.overdue && a.code < b.code)).toBe(true);
    }
    // TO06 mirrors TO05's documents: equal amounts, listed by code.
    const early = (await fastTop(viewers.head, { type: "company" }, "2025-02-10")).customers;
    const to05 = early.findIndex((c) => c.code === "TO05");
    expect(to05).toBeGreaterThanOrEqual(0);
    expect(early[to05 + 1]).toMatchObject({ code: "TO06", overdue: early[to05]?.overdue });
    for (const customer of customers) {
      expect(customer.overdue).toBeGreaterThan(0);
      expect(customer.oldestDaysPastDue).toBeGreaterThan(0);
      expect(customer.arTotal).toBeGreaterThanOrEqual(customer.overdue);
    }
    expect(await fastTop(viewers.head, { type: "company" }, "2024-12-31")).toEqual({ customers: [], ownCustomersOnly: false });
  });

  it("shows staff only their own customers, whatever the scope", async () => {
    const own = new Set(
      (await getDb().selectFrom("customers").select("code").where("owner_id", "=", viewers.staff.id).execute()).map((r) => r.code),
    );
    for (const asOf of ["2025-07-04", "2025-10-01"]) {
      for (const text of ["company", "region:Coast", `owner:${emails.staff}`]) {
        const top = await fastTop(viewers.staff, scopeOf(text), asOf);
        expect(top.ownCustomersOnly).toBe(true);
        expect(top.customers.length, `${asOf} ${text}`).toBeGreaterThan(0);
        for (const customer of top.customers) expect(own.has(customer.code), customer.code).toBe(true);
      }
      const head = await fastTop(viewers.head, { type: "company" }, asOf);
      expect(head.customers.some((c) => !own.has(c.code))).toBe(true);
    }
  });

  it("still answers exactly while an import holds the write lock and the open runs are stale", async () => {
    const db = getDb();
    const customer = await db.selectFrom("customers").select("id").where("code", "=", "TO05").executeTakeFirstOrThrow();
    await sql`INSERT INTO status_stale_customers (customer_id) VALUES (${customer.id}) ON CONFLICT DO NOTHING`.execute(db);
    const latest = await latestDocumentDate(db);
    // The ledger writers' own connection: BEGIN IMMEDIATE is SQLite's write lock, on PostgreSQL the advisory lock every writer takes.
    const lock = openLedgerConnection();
    try {
      lock.exec("BEGIN IMMEDIATE");
      // One date with documents after it (the documents are settled), one after them all (open_items).
      for (const asOf of ["2025-07-04", "2026-06-30"]) {
        expect(latest! > asOf).toBe(asOf === "2025-07-04");
        for (const viewer of [viewers.head, viewers.staff]) {
          expect(await fastTop(viewer, { type: "company" }, asOf)).toEqual({
            customers: await engineTop(viewer, { type: "company" }, asOf),
            ownCustomersOnly: viewer.role === "staff",
          });
        }
      }
      // The runs could not be brought up to date meanwhile.
      expect(await staleCustomers()).toContain(customer.id);
    } finally {
      if (lock.inTransaction) lock.exec("ROLLBACK");
      lock.close();
    }
    expect(await fastTop(viewers.head, { type: "company" }, "2025-07-04")).toEqual({
      customers: await engineTop(viewers.head, { type: "company" }, "2025-07-04"),
      ownCustomersOnly: false,
    });
    // A read leaves the runs as they are: the status table's writer brings them up to date.
    expect(await staleCustomers()).toContain(customer.id);
    await ensureStatusPositions(db);
    expect(await staleCustomers()).toEqual([]);
    expect(await fastTop(viewers.head, { type: "company" }, "2025-07-04")).toEqual({
      customers: await engineTop(viewers.head, { type: "company" }, "2025-07-04"),
      ownCustomersOnly: false,
    });
  });
});


import fc from "fast-check";

import { addDays } from "~/kernel/dates";
import { ADJUSTMENT_TYPES, type LedgerSnapshot } from "~/kernel/ledger/types";
import { defined } from "../../support/defined";

/**
 * Small random ledgers for the KPI summary property tests: a few customers spread over owners,
 * regions and grades, invoices with shared due dates and tricky invoice numbers, payments and
 * adjustments naming their own invoices, another customer's, unknown ones or none, and dates
 * that cluster so that documents share days and as-of dates fall before, between and after them.
 */
export const LEDGER_START = "2023-01-01";
/** Documents are dated within this many days from LEDGER_START. */
export const LEDGER_DAYS = 900;

export const CUSTOMER_CODES = ["C1", "C2", "C3", "C4"];
export const OWNER_EMAILS = ["ann@example.test", "bob@example.test"];
export const REGIONS = ["East", "West"];
export const GRADES = ["A", "B"];
const INVOICE_NOS = ["INV-1", "INV-2", "INV-9", "INV-10", "inv-3", "B", "Z", "发票-1", "a-1", "INV-01", "X-1", "X-2"];

const day = fc.oneof(
  fc.integer({ min: 0, max: LEDGER_DAYS }),
  fc.constantFrom(0, 30, 31, 60, 90, 91, 365, 366, 400, 731, LEDGER_DAYS),
);
const amount = fc.oneof(fc.integer({ min: 1, max: 300_000 }), fc.constantFrom(100, 1_000, 5_000, 10_000));
const terms = fc.constantFrom(0, 0, 30, 30, 45, 60, 90, 400);

export const customerArbitrary = (code: string) =>
  fc.record({
    code: fc.constant(code),
    name: fc.constant(`Customer ${code}`),
    region: fc.option(fc.constantFrom(...REGIONS)),
    ownerEmail: fc.option(fc.constantFrom(...OWNER_EMAILS)),
    creditGrade: fc.option(fc.constantFrom(...GRADES)),
    creditLimit: fc.option(fc.oneof(fc.constantFrom(0, 1_000, 10_000), fc.integer({ min: 1, max: 500_000 }))),
    paymentTermsDays: fc.constant(30),
  });

export const ledgerArbitrary: fc.Arbitrary<LedgerSnapshot> = fc
  .record({
    customers: fc.tuple(...CUSTOMER_CODES.map(customerArbitrary)),
    invoiceNos: fc.uniqueArray(fc.constantFrom(...INVOICE_NOS), { maxLength: INVOICE_NOS.length }),
    invoiceFacts: fc.array(fc.record({ customer: fc.constantFrom(...CUSTOMER_CODES), day, terms, amount }), {
      minLength: INVOICE_NOS.length,
      maxLength: INVOICE_NOS.length,
    }),
    payments: fc.array(
      fc.record({
        customer: fc.constantFrom(...CUSTOMER_CODES),
        day,
        amount,
        // an index into the invoices (mostly the customer's own), or none
        invoice: fc.option(fc.nat(), { freq: 2 }),
        ownInvoice: fc.boolean(),
      }),
      { maxLength: 14 },
    ),
    adjustments: fc.array(
      fc.record({
        customer: fc.constantFrom(...CUSTOMER_CODES),
        day,
        amount,
        invoice: fc.option(fc.nat(), { freq: 2 }),
        ownInvoice: fc.boolean(),
        type: fc.constantFrom(...ADJUSTMENT_TYPES),
      }),
      { maxLength: 8 },
    ),
  })
  .map(({ customers, invoiceNos, invoiceFacts, payments, adjustments }) => {
    const invoices = invoiceNos.map((invoiceNo, i) => {
      const fact = defined(invoiceFacts[i], `the facts of invoice ${i}`);
      const issueDate = addDays(LEDGER_START, fact.day);
      return { invoiceNo, customerCode: fact.customer, issueDate, dueDate: addDays(issueDate, fact.terms), amount: fact.amount };
    });
    const pick = (customer: string, index: number | null, own: boolean): string | null => {
      if (index === null || invoices.length === 0) return null;
      const mine = invoices.filter((invoice) => invoice.customerCode === customer);
      const from = own && mine.length > 0 ? mine : invoices;
      return defined(from[index % from.length]).invoiceNo;
    };
    return {
      customers: [...customers],
      invoices,
      payments: payments.map((p, i) => ({
        paymentNo: `P${i}`,
        customerCode: p.customer,
        date: addDays(LEDGER_START, p.day),
        amount: p.amount,
        invoiceNo: pick(p.customer, p.invoice, p.ownInvoice),
      })),
      adjustments: adjustments.map((a, i) => ({
        adjustmentNo: `A${i}`,
        customerCode: a.customer,
        date: addDays(LEDGER_START, a.day),
        amount: a.amount,
        type: a.type,
        invoiceNo: pick(a.customer, a.invoice, a.ownInvoice),
      })),
    };
  });

/** As-of dates around the ledger: before it, inside it, on band edges, and long after it. */
export const asOfArbitrary = fc.oneof(
  fc.integer({ min: -40, max: LEDGER_DAYS + 1_300 }),
  fc.integer({ min: 0, max: LEDGER_DAYS }),
  fc.constantFrom(-1, 0, 1, 89, 90, 365, 366, LEDGER_DAYS, LEDGER_DAYS + 1, LEDGER_DAYS + 1_096, LEDGER_DAYS + 1_500),
).map((offset) => addDays(LEDGER_START, offset));

export interface ScopedSnapshot {
  scope: string;
  snapshot: LedgerSnapshot;
}

/** The ledger cut to every scope the KPIs know (KPIS.md section 4), as `computeKpis` takes it. */
export function scopedSnapshots(ledger: LedgerSnapshot): ScopedSnapshot[] {
  const cut = (scope: string, keep: (c: LedgerSnapshot["customers"][number]) => boolean): ScopedSnapshot => {
    const customers = ledger.customers.filter(keep);
    const codes = new Set(customers.map((c) => c.code));
    return {
      scope,
      snapshot: {
        customers,
        invoices: ledger.invoices.filter((d) => codes.has(d.customerCode)),
        payments: ledger.payments.filter((d) => codes.has(d.customerCode)),
        adjustments: ledger.adjustments.filter((d) => codes.has(d.customerCode)),
      },
    };
  };
  const scopes: ScopedSnapshot[] = [{ scope: "company", snapshot: ledger }];
  for (const customer of ledger.customers) scopes.push(cut(`customer:${customer.code}`, (c) => c.code === customer.code));
  for (const email of OWNER_EMAILS) scopes.push(cut(`owner:${email}`, (c) => c.ownerEmail === email));
  for (const region of REGIONS) scopes.push(cut(`region:${region}`, (c) => c.region === region));
  for (const grade of GRADES) scopes.push(cut(`grade:${grade}`, (c) => c.creditGrade === grade));
  return scopes;
}

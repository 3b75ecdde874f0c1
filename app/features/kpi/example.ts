/**
 * The help page's worked example: one customer's documents over a quarter, put through the same
 * engine as the real ledger (openItemsAsOf, kpiInputsFromSnapshot, kpisFromInputs). The page
 * shows the documents, the open items and every intermediate number, so a finance user can redo
 * the sums in a spreadsheet; nothing on it is typed in by hand.
 */
import { days } from "~/kernel/dates";
import {
  type AgingBucket,
  type KpiInputs,
  type KpiPeriod,
  type KpiValues,
  type MonthlySales,
  agingBucket,
  countbackSales,
  kpiInputsFromSnapshot,
  kpisFromInputs,
  resolveKpiPeriod,
} from "~/features/kpi/kpis";
import type { IsoDate, LedgerSnapshot } from "~/kernel/ledger/types";
import { openItemsAsOf } from "~/kernel/ledger/open-items";

export const EXAMPLE_AS_OF: IsoDate = "2025-06-30";

const CUSTOMER = "EX01";

/** Q2 2025 of one customer: an invoice from Q1, four from Q2, two payments and three adjustments. */
export const EXAMPLE_LEDGER: LedgerSnapshot = {
  customers: [
    {
      code: CUSTOMER,
      name: "Harbour Trading",
      region: null,
      ownerEmail: null,
      creditGrade: "B",
      creditLimit: 1_500_000,
      paymentTermsDays: 30,
    },
  ],
  invoices: [
    { invoiceNo: "INV-1", customerCode: CUSTOMER, issueDate: "2025-03-01", dueDate: "2025-03-31", amount: 1_000_000 },
    { invoiceNo: "INV-2", customerCode: CUSTOMER, issueDate: "2025-04-10", dueDate: "2025-05-10", amount: 600_000 },
    { invoiceNo: "INV-3", customerCode: CUSTOMER, issueDate: "2025-05-20", dueDate: "2025-06-19", amount: 500_000 },
    { invoiceNo: "INV-4", customerCode: CUSTOMER, issueDate: "2025-05-31", dueDate: "2025-06-30", amount: 300_000 },
    { invoiceNo: "INV-5", customerCode: CUSTOMER, issueDate: "2025-06-15", dueDate: "2025-07-15", amount: 400_000 },
  ],
  payments: [
    { paymentNo: "PAY-1", customerCode: CUSTOMER, date: "2025-04-20", amount: 800_000, invoiceNo: "INV-1" },
    { paymentNo: "PAY-2", customerCode: CUSTOMER, date: "2025-06-05", amount: 500_000, invoiceNo: null },
  ],
  adjustments: [
    { adjustmentNo: "OFF-1", customerCode: CUSTOMER, date: "2025-06-10", amount: 100_000, type: "offset", invoiceNo: "INV-2" },
    { adjustmentNo: "CN-1", customerCode: CUSTOMER, date: "2025-06-20", amount: 50_000, type: "credit_note", invoiceNo: "INV-3" },
    { adjustmentNo: "WO-1", customerCode: CUSTOMER, date: "2025-06-25", amount: 20_000, type: "write_off", invoiceNo: "INV-3" },
  ],
};

export type ExampleDocumentKind = "invoice" | "payment" | "credit_note" | "write_off" | "offset";

export interface ExampleDocument {
  kind: ExampleDocumentKind;
  number: string;
  date: IsoDate;
  dueDate: IsoDate | null;
  amount: number;
  /** the invoice a payment or adjustment names; null when it names none */
  invoiceNo: string | null;
}

export interface ExampleOpenInvoice {
  invoiceNo: string;
  dueDate: IsoDate;
  amount: number;
  openAmount: number;
  daysPastDue: number;
  bucket: AgingBucket;
}

export interface CountbackStep {
  /** first and last day of the month counted (the as-of month runs to the as-of day) */
  start: IsoDate;
  end: IsoDate;
  sales: number;
  /** receivables left before this month */
  remainingBefore: number;
  /** days this month adds: all of them, or the share the remaining receivables cover */
  daysCounted: number;
}

export interface WorkedExample {
  asOf: IsoDate;
  period: KpiPeriod;
  documents: ExampleDocument[];
  openInvoices: ExampleOpenInvoice[];
  inputs: Omit<KpiInputs, "countbackMonths" | "position">;
  countback: CountbackStep[];
  values: KpiValues;
}

/** The countback walk of KPIS.md section 4, one row per month it counts (for display). */
export function countbackSteps(arTotal: number, months: readonly MonthlySales[]): CountbackStep[] {
  const steps: CountbackStep[] = [];
  let remaining = arTotal;
  for (const month of months) {
    if (remaining <= 0) break;
    const full = remaining >= month.sales;
    steps.push({
      start: month.start,
      end: month.end,
      sales: month.sales,
      remainingBefore: remaining,
      daysCounted: full ? month.days : (month.days * remaining) / month.sales,
    });
    if (!full) break;
    remaining -= month.sales;
  }
  return steps;
}

export function workedExample(snapshot: LedgerSnapshot = EXAMPLE_LEDGER, asOf: IsoDate = EXAMPLE_AS_OF): WorkedExample {
  const period = resolveKpiPeriod({ asOf, fiscalStartMonth: 1 });
  const { position, countbackMonths, ...inputs } = kpiInputsFromSnapshot(snapshot, period);
  const values = kpisFromInputs({ position, countbackMonths, ...inputs });
  const documents: ExampleDocument[] = [
    ...snapshot.invoices.map((i) => ({
      kind: "invoice" as const,
      number: i.invoiceNo,
      date: i.issueDate,
      dueDate: i.dueDate,
      amount: i.amount,
      invoiceNo: null,
    })),
    ...snapshot.payments.map((p) => ({
      kind: "payment" as const,
      number: p.paymentNo,
      date: p.date,
      dueDate: null,
      amount: p.amount,
      invoiceNo: p.invoiceNo,
    })),
    ...snapshot.adjustments.map((a) => ({
      kind: a.type,
      number: a.adjustmentNo,
      date: a.date,
      dueDate: null,
      amount: a.amount,
      invoiceNo: a.invoiceNo,
    })),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const openInvoices = openItemsAsOf(snapshot, asOf).customers.flatMap((customer) =>
    customer.invoices.map((invoice) => ({
      invoiceNo: invoice.invoiceNo,
      dueDate: invoice.dueDate,
      amount: invoice.amount,
      openAmount: invoice.openAmount,
      daysPastDue: days(invoice.dueDate, asOf),
      bucket: agingBucket(days(invoice.dueDate, asOf)),
    })),
  );
  return {
    asOf,
    period,
    documents,
    openInvoices,
    inputs,
    countback: countbackSteps(values.ar_total, countbackSales(snapshot.invoices, asOf)),
    values,
  };
}

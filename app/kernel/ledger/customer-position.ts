/**
 * One customer's receivables position at the end of a date, worked out exactly from that
 * customer's documents (KPIS.md sections 3 and 4, customer scope), and their settlement
 * history. Pure: the customer page loads the documents and calls these.
 */
import { days } from "~/kernel/dates";
import { type Aging, type AgingBucket, agingBucket, emptyAging } from "~/kernel/ledger/aging";
import type { AdjustmentRecord, AdjustmentType, IsoDate, PaymentRecord } from "~/kernel/ledger/types";
import { type CustomerLedger, compareCodeUnits, customerOpenItems } from "~/kernel/ledger/open-items";

export interface OpenInvoiceLine {
  invoiceNo: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  amount: number;
  openAmount: number;
  /** days(due_date, asOf): 0 when due that day, negative before */
  daysPastDue: number;
  bucket: AgingBucket;
}

export interface CustomerPosition {
  asOf: IsoDate;
  /** gross open receivables (`ar_total`) */
  arTotal: number;
  overdueTotal: number;
  current: number;
  unappliedCredit: number;
  /** overdue / ar_total; null when nothing is open */
  overdueRatio: number | null;
  /** ar_total / credit limit; null when the customer has no limit (null or 0) */
  creditUtilisation: number | null;
  aging: Aging;
  /** invoices with money open at the date, oldest first (the order the pool is applied in) */
  openInvoices: OpenInvoiceLine[];
  /** documents dated after the date: in the ledger, not in these figures */
  laterDocuments: number;
}

export function customerPosition(
  customerCode: string,
  ledger: CustomerLedger,
  creditLimit: number | null,
  asOf: IsoDate,
): CustomerPosition {
  const settled = customerOpenItems(customerCode, ledger, asOf);
  const aging = emptyAging();
  const openInvoices: OpenInvoiceLine[] = [];
  for (const invoice of settled.invoices) {
    if (invoice.openAmount === 0) continue;
    const daysPastDue = days(invoice.dueDate, asOf);
    const bucket = agingBucket(daysPastDue);
    aging[bucket] += invoice.openAmount;
    openInvoices.push({
      invoiceNo: invoice.invoiceNo,
      issueDate: invoice.issueDate,
      dueDate: invoice.dueDate,
      amount: invoice.amount,
      openAmount: invoice.openAmount,
      daysPastDue,
      bucket,
    });
  }
  const arTotal = settled.arTotal;
  const overdueTotal = arTotal - aging.current;
  const laterDocuments =
    ledger.invoices.filter((i) => i.issueDate > asOf).length +
    ledger.payments.filter((p) => p.date > asOf).length +
    ledger.adjustments.filter((a) => a.date > asOf).length;
  return {
    asOf,
    arTotal,
    overdueTotal,
    current: aging.current,
    unappliedCredit: settled.unappliedCredit,
    overdueRatio: arTotal === 0 ? null : overdueTotal / arTotal,
    creditUtilisation: creditLimit === null || creditLimit === 0 ? null : arTotal / creditLimit,
    aging,
    openInvoices,
    laterDocuments,
  };
}

export type SettlementKind = "payment" | AdjustmentType;

export interface SettlementLine {
  kind: SettlementKind;
  documentNo: string;
  date: IsoDate;
  amount: number;
  /** the invoice the document names; null when it names none (it joined the customer's pool) */
  invoiceNo: string | null;
  /** dated after the as-of date, so not counted in the figures */
  afterAsOf: boolean;
}

/** Payments and adjustments together, newest first (same date: higher document number first). */
export function settlementHistory(
  payments: readonly PaymentRecord[],
  adjustments: readonly AdjustmentRecord[],
  asOf: IsoDate,
): SettlementLine[] {
  const lines: SettlementLine[] = [
    ...payments.map((p) => ({
      kind: "payment" as const,
      documentNo: p.paymentNo,
      date: p.date,
      amount: p.amount,
      invoiceNo: p.invoiceNo,
      afterAsOf: p.date > asOf,
    })),
    ...adjustments.map((a) => ({
      kind: a.type,
      documentNo: a.adjustmentNo,
      date: a.date,
      amount: a.amount,
      invoiceNo: a.invoiceNo,
      afterAsOf: a.date > asOf,
    })),
  ];
  return lines.sort((a, b) => compareCodeUnits(b.date, a.date) || compareCodeUnits(b.documentNo, a.documentNo));
}

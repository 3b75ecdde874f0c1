/** Where an invoice stands at a date, as the invoice list filters and shows it. */
import type { IsoDate } from "~/kernel/ledger/types";

export const INVOICE_STATUSES = ["open", "overdue", "settled"] as const;
/** `open`: money open, not past due (due that day included); `overdue`: open and past due; `settled`: nothing open. */
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export function invoiceStatus(openAmount: number, dueDate: IsoDate, asOf: IsoDate): InvoiceStatus {
  if (openAmount <= 0) return "settled";
  return dueDate < asOf ? "overdue" : "open";
}

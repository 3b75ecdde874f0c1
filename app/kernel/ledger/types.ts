/**
 * The receivables ledger as the domain sees it (KPIS.md section 2).
 * Amounts are integer minor units (fen/cents); dates are ISO calendar dates `YYYY-MM-DD`.
 * These are the canonical records after import validation; storage rows add ids and timestamps.
 */

export type IsoDate = string;

export type AdjustmentType = "credit_note" | "write_off" | "offset";
export const ADJUSTMENT_TYPES: readonly AdjustmentType[] = ["credit_note", "write_off", "offset"];

export interface CustomerRecord {
  code: string;
  name: string;
  region: string | null;
  ownerEmail: string | null;
  creditGrade: string | null;
  /** minor units; null when no limit is set */
  creditLimit: number | null;
  paymentTermsDays: number;
}

export interface InvoiceRecord {
  invoiceNo: string;
  customerCode: string;
  issueDate: IsoDate;
  dueDate: IsoDate;
  /** minor units, > 0 */
  amount: number;
}

export interface PaymentRecord {
  paymentNo: string;
  customerCode: string;
  date: IsoDate;
  /** minor units, > 0 */
  amount: number;
  invoiceNo: string | null;
}

export interface AdjustmentRecord {
  adjustmentNo: string;
  customerCode: string;
  date: IsoDate;
  /** minor units, > 0; reduces the receivable */
  amount: number;
  type: AdjustmentType;
  invoiceNo: string | null;
}

/** Everything the KPI engine needs about one slice of the ledger (already filtered by scope). */
export interface LedgerSnapshot {
  customers: CustomerRecord[];
  invoices: InvoiceRecord[];
  payments: PaymentRecord[];
  adjustments: AdjustmentRecord[];
}

/** Terse builders for hand-worked ledgers in the domain tests. Amounts are minor units. */
import type {
  AdjustmentRecord,
  AdjustmentType,
  CustomerRecord,
  InvoiceRecord,
  IsoDate,
  LedgerSnapshot,
  PaymentRecord,
} from "~/kernel/ledger/types";

export function customer(code: string, creditLimit: number | null = null): CustomerRecord {
  return {
    code,
    name: `Customer ${code}`,
    region: null,
    ownerEmail: null,
    creditGrade: null,
    creditLimit,
    paymentTermsDays: 30,
  };
}

export function invoice(
  invoiceNo: string,
  issueDate: IsoDate,
  dueDate: IsoDate,
  amount: number,
  customerCode = "C1"
): InvoiceRecord {
  return { invoiceNo, customerCode, issueDate, dueDate, amount };
}

let paymentSeq = 0;
export function payment(
  date: IsoDate,
  amount: number,
  invoiceNo: string | null = null,
  customerCode = "C1"
): PaymentRecord {
  paymentSeq += 1;
  return { paymentNo: `P${paymentSeq}`, customerCode, date, amount, invoiceNo };
}

let adjustmentSeq = 0;
export function adjustment(
  type: AdjustmentType,
  date: IsoDate,
  amount: number,
  invoiceNo: string | null = null,
  customerCode = "C1"
): AdjustmentRecord {
  adjustmentSeq += 1;
  return { adjustmentNo: `A${adjustmentSeq}`, customerCode, date, amount, type, invoiceNo };
}

export function ledger(parts: Partial<LedgerSnapshot> = {}): LedgerSnapshot {
  return {
    customers: parts.customers ?? [customer("C1")],
    invoices: parts.invoices ?? [],
    payments: parts.payments ?? [],
    adjustments: parts.adjustments ?? [],
  };
}

/** One row of each ledger list, as the models return it and the tables show it (money in minor units). */
import type { InvoiceStatus } from "~/kernel/ledger/invoice-status";
import type { IsoDate } from "~/kernel/ledger/types";

export interface CustomerListRow {
  code: string;
  name: string;
  region: string | null;
  ownerName: string | null;
  creditGrade: string | null;
  creditLimit: number | null;
  status: "active" | "inactive";
  /** open receivables at the list's date (minor units) */
  balance: number;
  /** of which past due at that date */
  overdue: number;
  unappliedCredit: number;
}

export interface InvoiceListRow {
  invoiceNo: string;
  customerCode: string;
  customerName: string;
  ownerName: string | null;
  issueDate: IsoDate;
  dueDate: IsoDate;
  amount: number;
  /** open at the list's date; 0 when settled */
  openAmount: number;
  status: InvoiceStatus;
  /** days(due_date, asOf) */
  daysPastDue: number;
}

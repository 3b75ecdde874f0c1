/**
 * Open items as of D (KPIS.md section 3): what is left of each invoice, and of each
 * customer's unapplied money, at the end of day D. Pure integer arithmetic in minor units.
 *
 * Conventions beyond the contract's words:
 * - Payments and adjustments of every type reduce receivables alike here; only the KPIs
 *   distinguish collections from credit notes and write-offs.
 * - A document naming an invoice that is not one of ITS customer's invoices issued <= D
 *   (issued later, unknown to the snapshot, or belonging to another customer) joins its own
 *   customer's pool. The import forbids the cross-customer case; this keeps the engine total.
 * - Invoice numbers are unique (the import's natural key).
 */
import type {
  AdjustmentRecord,
  InvoiceRecord,
  IsoDate,
  LedgerSnapshot,
  PaymentRecord,
} from "~/kernel/ledger/types";
import { isValidIsoDate } from "~/kernel/dates";

export interface OpenInvoice extends InvoiceRecord {
  /** What is left of the invoice at the end of D, minor units, 0..amount. */
  openAmount: number;
}

export interface CustomerOpenItems {
  customerCode: string;
  /** Invoices issued <= D, oldest first (the pool's order), including fully settled ones. */
  invoices: OpenInvoice[];
  /** Sum of the invoices' open amounts (gross, before unapplied credit). */
  arTotal: number;
  /** What is left of the pool after covering every open invoice. */
  unappliedCredit: number;
}

export interface OpenItems {
  asOf: IsoDate;
  /** Every customer in the snapshot plus any customer code seen on a document dated <= D. */
  customers: CustomerOpenItems[];
}

/** The documents that can reduce a receivable; `invoiceNo` null means unreferenced. */
type Settlement = Pick<
  PaymentRecord | AdjustmentRecord,
  "customerCode" | "date" | "amount" | "invoiceNo"
>;

export interface CustomerLedger {
  invoices: readonly InvoiceRecord[];
  payments: readonly PaymentRecord[];
  adjustments: readonly AdjustmentRecord[];
}

/**
 * Plain UTF-16 code-unit order (what `<` does on strings), not locale or numeric order:
 * "INV-10" sorts before "INV-9". Deterministic on every machine and easy to reproduce in SQL
 * with a binary collation.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Oldest first, as the pool is applied: by due date, then issue date, then invoice number. */
export function compareInvoicesOldestFirst(
  a: Pick<InvoiceRecord, "dueDate" | "issueDate" | "invoiceNo">,
  b: Pick<InvoiceRecord, "dueDate" | "issueDate" | "invoiceNo">
): number {
  // ISO dates compare correctly as strings.
  return (
    compareCodeUnits(a.dueDate, b.dueDate) ||
    compareCodeUnits(a.issueDate, b.issueDate) ||
    compareCodeUnits(a.invoiceNo, b.invoiceNo)
  );
}

function checkAsOf(asOf: IsoDate): void {
  if (!isValidIsoDate(asOf))
    throw new RangeError(`As-of date must be YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
}

/**
 * Settles one customer's documents. Expects that customer's documents only (any dates);
 * filters to <= D itself.
 */
function settleCustomer(
  customerCode: string,
  ledger: CustomerLedger,
  asOf: IsoDate
): CustomerOpenItems {
  const invoices = ledger.invoices.filter((invoice) => invoice.issueDate <= asOf);
  const remaining = new Map<string, number>(
    invoices.map((invoice) => [invoice.invoiceNo, invoice.amount])
  );
  let pool = 0;

  const settlements: Settlement[] = [...ledger.payments, ...ledger.adjustments];
  for (const settlement of settlements) {
    if (settlement.date > asOf) continue;
    const left = settlement.invoiceNo === null ? undefined : remaining.get(settlement.invoiceNo);
    if (settlement.invoiceNo === null || left === undefined) {
      pool += settlement.amount;
      continue;
    }
    // Whatever exceeds the named invoice goes to the pool; which document "overflowed" does not matter.
    const applied = Math.min(left, settlement.amount);
    remaining.set(settlement.invoiceNo, left - applied);
    pool += settlement.amount - applied;
  }

  const open: OpenInvoice[] = [];
  let arTotal = 0;
  for (const invoice of [...invoices].sort(compareInvoicesOldestFirst)) {
    const left = remaining.get(invoice.invoiceNo) ?? 0;
    const fromPool = Math.min(pool, left);
    pool -= fromPool;
    const openAmount = left - fromPool;
    arTotal += openAmount;
    open.push({ ...invoice, openAmount });
  }

  return { customerCode, invoices: open, arTotal, unappliedCredit: pool };
}

/** Open items of one customer at the end of D. The ledger may hold other customers' documents too. */
export function customerOpenItems(
  customerCode: string,
  ledger: CustomerLedger,
  asOf: IsoDate
): CustomerOpenItems {
  checkAsOf(asOf);
  const ofCustomer = <T extends { customerCode: string }>(rows: readonly T[]) =>
    rows.filter((row) => row.customerCode === customerCode);
  return settleCustomer(
    customerCode,
    {
      invoices: ofCustomer(ledger.invoices),
      payments: ofCustomer(ledger.payments),
      adjustments: ofCustomer(ledger.adjustments),
    },
    asOf
  );
}

/** Open items of every customer in the snapshot at the end of D. */
export function openItemsAsOf(snapshot: LedgerSnapshot, asOf: IsoDate): OpenItems {
  checkAsOf(asOf);
  const byCustomer = new Map<string, Omit<LedgerSnapshot, "customers">>();
  const ledgerOf = (customerCode: string) => {
    let ledger = byCustomer.get(customerCode);
    if (!ledger) {
      ledger = { invoices: [], payments: [], adjustments: [] };
      byCustomer.set(customerCode, ledger);
    }
    return ledger;
  };

  snapshot.customers.forEach((customer) => ledgerOf(customer.code));
  for (const invoice of snapshot.invoices) {
    if (invoice.issueDate <= asOf) ledgerOf(invoice.customerCode).invoices.push(invoice);
  }
  for (const payment of snapshot.payments) {
    if (payment.date <= asOf) ledgerOf(payment.customerCode).payments.push(payment);
  }
  for (const adjustment of snapshot.adjustments) {
    if (adjustment.date <= asOf) ledgerOf(adjustment.customerCode).adjustments.push(adjustment);
  }

  const customers = [...byCustomer].map(([customerCode, ledger]) =>
    settleCustomer(customerCode, ledger, asOf)
  );
  return { asOf, customers };
}

/** Every invoice issued <= D across the customers, with its open amount. */
export function openInvoicesOf(openItems: OpenItems): OpenInvoice[] {
  return openItems.customers.flatMap((customer) => customer.invoices);
}

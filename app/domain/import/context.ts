/**
 * What the validator may look up about the ledger: the database (through a resolver the DB
 * layer implements) plus whatever earlier files of the same import defined, which wins because
 * it is what the database will contain once the import commits.
 */

/** Implemented by the database layer; synchronous (better-sqlite3 is). */
export interface LedgerResolver {
  /** The customer's payment_terms_days; undefined when no such customer exists. */
  customerTermsDays(code: string): number | undefined;
  /** The customer code an invoice belongs to; undefined when no such invoice exists. */
  invoiceCustomer(invoiceNo: string): string | undefined;
}

/** An empty ledger: nothing exists yet. */
export const EMPTY_LEDGER: LedgerResolver = {
  customerTermsDays: () => undefined,
  invoiceCustomer: () => undefined,
};

/** One import run (several files, in the order customers, invoices, payments, adjustments). */
export class ImportContext implements LedgerResolver {
  private readonly customers = new Map<string, number>();
  private readonly invoices = new Map<string, string>();

  constructor(private readonly ledger: LedgerResolver = EMPTY_LEDGER) {}

  defineCustomer(code: string, termsDays: number): void {
    this.customers.set(code, termsDays);
  }

  defineInvoice(invoiceNo: string, customerCode: string): void {
    this.invoices.set(invoiceNo, customerCode);
  }

  customerTermsDays(code: string): number | undefined {
    return this.customers.get(code) ?? this.ledger.customerTermsDays(code);
  }

  invoiceCustomer(invoiceNo: string): string | undefined {
    return this.invoices.get(invoiceNo) ?? this.ledger.invoiceCustomer(invoiceNo);
  }

  /** True when the customer is defined by this import (not only in the database). */
  definesCustomer(code: string): boolean {
    return this.customers.has(code);
  }
}

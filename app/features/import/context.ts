/**
 * What the validator may look up about the ledger: the database (through a resolver the DB
 * layer implements) plus whatever earlier files of the same import defined, which wins because
 * it is what the database will contain once the import commits.
 */

import { CompactKeyMap } from "./compact-key-map";

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

export interface ImportContextOptions {
  /**
   * The caller writes each valid record to the database `ledger` reads (its own uncommitted
   * rows included) and reports every written invoice through `invoiceWritten`: those are
   * forgotten here and answered by the ledger, so a million-invoice import does not keep them all.
   */
  ledgerSeesWrites?: boolean;
}

/** A written invoice in ImportContext's map: no customer code is empty (defineInvoice is given none). */
const WRITTEN = "";
/** Invoices defined between two passes of ImportContext.dropWritten (its map stays this small). */
const DROP_WINDOW = 1024;

/** One import run (several files, in the order customers, invoices, payments, adjustments). */
export class ImportContext implements LedgerResolver {
  private readonly customers = new Map<string, number>();
  /** invoice number -> index into `customerCodes` (a million invoices, a few thousand customers) */
  private readonly invoices = new CompactKeyMap();
  /**
   * with `ledgerSeesWrites`: the defined invoices, invoice number -> customer code, or WRITTEN
   * once written as defined. Written ones are dropped a window at a time (see dropWritten): a
   * delete per invoice made V8 shrink and regrow the map's table every few rows, ~80 bytes of
   * old-generation garbage per invoice.
   */
  private unwrittenInvoices: Map<string, string> | null;
  /** the map's size at which dropWritten runs next */
  private dropAt = DROP_WINDOW;
  private readonly customerCodes: string[] = [];
  private readonly customerCodeIndex = new Map<string, number>();
  /** The customer customerTermsDays() was asked about last, and its answer (forgotten when a customer is defined). */
  private lastCustomer: string | null = null;
  private lastTerms: number | undefined;

  constructor(
    private readonly ledger: LedgerResolver = EMPTY_LEDGER,
    options: ImportContextOptions = {},
  ) {
    this.unwrittenInvoices = options.ledgerSeesWrites ? new Map() : null;
  }

  defineCustomer(code: string, termsDays: number): void {
    this.customers.set(code, termsDays);
    this.lastCustomer = null;
  }

  defineInvoice(invoiceNo: string, customerCode: string): void {
    if (this.unwrittenInvoices) {
      this.unwrittenInvoices.set(invoiceNo, customerCode);
      if (this.unwrittenInvoices.size >= this.dropAt) this.dropWritten(this.unwrittenInvoices);
      return;
    }
    let index = this.customerCodeIndex.get(customerCode);
    if (index === undefined) {
      index = this.customerCodes.push(customerCode) - 1;
      this.customerCodeIndex.set(customerCode, index);
    }
    this.invoices.set(invoiceNo, index);
  }

  /**
   * With `ledgerSeesWrites`: the invoice is now in the database as defined, so the ledger answers
   * for it (unless a later definition here differs, which still wins).
   */
  invoiceWritten(invoiceNo: string, customerCode: string): void {
    // A value set on a key the map has does not reallocate its table (a delete may).
    if (this.unwrittenInvoices?.get(invoiceNo) === customerCode) this.unwrittenInvoices.set(invoiceNo, WRITTEN);
  }

  /** Keeps only the definitions not written; next time when as many more have been defined. */
  private dropWritten(defined: Map<string, string>): void {
    const kept = new Map<string, string>();
    for (const [invoiceNo, code] of defined) if (code !== WRITTEN) kept.set(invoiceNo, code);
    this.unwrittenInvoices = kept;
    this.dropAt = Math.max(DROP_WINDOW, kept.size * 2);
  }

  customerTermsDays(code: string): number | undefined {
    // A row asks about its customer twice or more (known? payment terms?), with the same string.
    if (code === this.lastCustomer) return this.lastTerms;
    const terms = this.customers.get(code) ?? this.ledger.customerTermsDays(code);
    this.lastCustomer = code;
    this.lastTerms = terms;
    return terms;
  }

  invoiceCustomer(invoiceNo: string): string | undefined {
    if (this.unwrittenInvoices) {
      const code = this.unwrittenInvoices.get(invoiceNo);
      return code === undefined || code === WRITTEN ? this.ledger.invoiceCustomer(invoiceNo) : code;
    }
    const index = this.invoices.get(invoiceNo);
    return index === undefined ? this.ledger.invoiceCustomer(invoiceNo) : this.customerCodes[index];
  }

  /** True when the customer is defined by this import (not only in the database). */
  definesCustomer(code: string): boolean {
    return this.customers.has(code);
  }
}

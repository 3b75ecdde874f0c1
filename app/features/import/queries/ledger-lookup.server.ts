import SQLite from "better-sqlite3";

import type { LedgerResolver } from "~/features/import/context";

/**
 * The ledger as committed before an import, for the validator on the import's reading thread:
 * a read-only connection of its own (WAL lets it read beside the import's write transaction).
 * It cannot see the import's own rows; the reading thread's ImportContext remembers those, and
 * what an import defines wins over the database anyway (context.ts).
 */
export function openLedgerLookup(databaseFile: string): LedgerResolver & { close(): void } {
  const sqlite = new SQLite(databaseFile, { readonly: true, fileMustExist: true });
  const termsByCode = sqlite.prepare("SELECT payment_terms_days FROM customers WHERE code = ?").pluck();
  const invoiceCustomerId = sqlite.prepare("SELECT customer_id FROM invoices WHERE invoice_no = ?").pluck();
  const codeById = sqlite.prepare("SELECT code FROM customers WHERE id = ?").pluck();
  // Customers are few and asked about on every document row; their codes never change.
  const terms = new Map<string, number | undefined>();
  const codes = new Map<number, string>();
  return {
    customerTermsDays(code) {
      if (terms.has(code)) return terms.get(code);
      // better-sqlite3 types a plucked value as unknown: the column is an integer, and no row is undefined.
      const days = termsByCode.get(code) as number | undefined;
      terms.set(code, days);
      return days;
    },
    invoiceCustomer(invoiceNo) {
      // As above: customer_id is an integer, and an invoice not stored gives undefined.
      const customerId = invoiceCustomerId.get(invoiceNo) as number | undefined;
      if (customerId === undefined) return undefined;
      let code = codes.get(customerId);
      // customer_id is a foreign key to customers, so its code exists; code is a text column.
      if (code === undefined) codes.set(customerId, (code = codeById.get(customerId) as string));
      return code;
    },
    close: () => sqlite.close(),
  };
}

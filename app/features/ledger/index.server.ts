/** The server-side use cases and reads other features (and the ledger's routes) may use of this one. */
export { countCustomers, customerDocuments, customerFilterOptions, findCustomer, listCustomers } from "./queries/customers.server";
export type { CustomerFilters } from "./queries/customers.server";
export { countInvoices, listInvoices } from "./queries/invoices.server";
export type { InvoiceFilters } from "./queries/invoices.server";
export { firstDocumentDate, latestDocumentDate } from "./queries/ledger.server";

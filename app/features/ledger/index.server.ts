/** The server-side use cases and reads other features may use of this one. */
export { customerFilterOptions, findCustomer } from "./queries/customers.server";
export { latestDocumentDate } from "./queries/ledger.server";

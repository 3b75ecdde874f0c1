/**
 * What a bulk writer (the ledger import's process) needs of this feature: keeping the KPI
 * summaries in step with the documents it writes. Narrower than ../index.server.ts on purpose:
 * the import's process then loads none of the KPI pages' code, whose graph reaches the API,
 * the credit features, Remix and the XLSX exports (~50 MB of the import's resident memory).
 */
export { KpiSummaryMaintainer } from "../queries/summary.server";
export type { CustomerDocuments, SummaryCustomer } from "../queries/summary.server";

/** The server-side use cases and reads other features may use of this one. */
export { allKpiValues, kpiValues, resolveKpiRequest, unknownScope } from "./kpi.server";
export { kpisForApi } from "./api.server";
export { loadLedgerSnapshot, scopeCustomerIds } from "./queries/ledger.server";
export { kpiScopeChoices, scopeNames, searchCustomers } from "./queries/scope.server";
export { KpiSummaryMaintainer, changeCustomerKeepingSummaries, moveNotedCustomers, movingNotedCustomersOnce, summaryMovePutOff } from "./queries/summary.server";
export type { CustomerDocuments, SummaryCustomer } from "./queries/summary.server";
export { kpiSummariesBehind } from "./queries/summary-status.server";

/** What other features may use of this one (server code: index.server.ts). */
export { CREDIT_KPI_KEYS } from "./kpis";
export type { AllKpiValues, CreditKpiKey, CreditKpiValues } from "./kpis";

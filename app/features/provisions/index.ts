/** What other features may use of this one (server code: index.server.ts). */
export { CLI_NAMES, resolveProvisionRequest } from "./request";
export type { ProvisionMethod, ProvisionRequest, ResolvedProvisionRequest } from "./request";
export { PROVISION_KPI_KEYS, isProvisionKpiKey, provisionKpiJson, provisionKpisFrom } from "./kpis";
export type { ProvisionKpiKey, ProvisionKpiValues } from "./kpis";

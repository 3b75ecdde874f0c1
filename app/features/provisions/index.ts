/** What other features may use of this one (server code: index.server.ts). */
// First: the KPI register (kpi/register.ts) reads these keys while this index is still loading when it is the first to load.
export { PROVISION_KPI_KEYS, isProvisionKpiKey, provisionKpiJson, provisionKpisFrom } from "./kpis";
export type { ProvisionKpiKey, ProvisionKpiValues } from "./kpis";
export { CLI_NAMES, resolveProvisionRequest } from "./request";
export type { ProvisionMethod, ProvisionRequest, ResolvedProvisionRequest } from "./request";
export type { YearProvisionMovement } from "./movement";

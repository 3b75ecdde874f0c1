/** The server-side use cases and writers other features may use of this one. */
export { ProvisionPositionsWriter } from "./queries/positions.server";
export { provisionsForApi } from "./api.server";
export { computeProvision, provisionJson } from "./provision.server";
export type { ProvisionJson, ProvisionResult } from "./provision.server";
export { loadProvisionPage } from "./page.server";
export type { ProvisionPageData } from "./page.server";
export { approveProvisionAdjustment, endSpecificProvision, proposeAdjustment, saveRateTable, saveSpecific } from "./edit.server";
export { exportProvisions } from "./export.server";
export { approveProvisionRun, draftProvisionRun, loadRunList, loadRunPage, runsPeriodParam } from "./runs.server";
export type { RunPageData } from "./runs.server";
export { defaultRunDraft } from "./runs";
export { provisionKpiValues } from "./kpis.server";
export { yearProvisionMovement } from "./year-movement.server";

/** The server-side use cases and reads other features may use of this one. */
export { KpiReader, createItem, createItems, createPlan, dashboardPlan, getPlan, planProgress, quarterOfPlan } from "./plans.server";
export type { KpiViewer } from "./plans.server";
export { findPlanCovering, plansStartingIn } from "./queries/plans.server";

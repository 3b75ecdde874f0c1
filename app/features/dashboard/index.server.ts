/** The server-side use cases and reads other features may use of this one. */
export { dashboardScopeChoices, kpiMemo, loadDashboard } from "./dashboard.server";

/** What other features may use of this one (server code: index.server.ts). */
export { PLAN_CATEGORIES, PLAN_CATEGORY_NAMES } from "./categories";
export type { CloseOutcome, ItemStatus, PlanCategory } from "./categories";
export { targetToInput } from "./kpi";
export type { Actor, PlanState } from "./lifecycle";
export type { KpiProgress, PlanRollup, TrackStatus } from "./progress";
export { itemFieldsSchema, scopeFormFields } from "./schema";
export { COMMENT_MAX, TITLE_MAX, tooLong } from "./schema";

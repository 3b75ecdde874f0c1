/** What other features may use of this one (server code: index.server.ts). */
export { METRIC_UNIT, gradeRank } from "./grades";
export type { Comparator, CreditGrade, CreditMetric, CreditPolicy, CreditRule } from "./grades";

/** What other features may use of this one (server code: index.server.ts). */
export { kpiAccess } from "./access";
export type { KpiAccess } from "./access";
export { kpiCards } from "./cards";
export type { CardComparison, KpiCard, KpiMethod, KpiTarget, ScalarKpiKey, TargetView } from "./cards";
export { compactAmount, formatFixed, formatKpiDelta, formatKpiNumber, monthLabel, quarterLabel } from "./format";
export { AGING_BUCKETS, emptyAging } from "./kpis";
export type { Aging, AgingBucket, KpiJson, KpiValues } from "./kpis";
export { LINKABLE_KPIS, isKpiKey, isLinkableKpiKey, kpiDefinition } from "./register";
export type { KpiUnit, LocalizedText, RegisterKey } from "./register";
export { parseScope, scopeText } from "./scope";
export type { KpiScope } from "./scope";
export { TOP_OVERDUE_CUSTOMERS, dashboardDates, monthlyTrend, quarterlyCollection, topOverdueCustomers } from "./series";
export type { DashboardDates, KpisAt, MonthPoint, MonthlyTrendPoint, OverdueCustomer, QuarterlyCollectionPoint } from "./series";
export type { CustomerHistory } from "./summary";

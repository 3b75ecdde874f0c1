/**
 * The shape of the dashboard's figures, as the server's query functions (dashboard.server.ts)
 * return them and the dashboard components take them. Plain serialisable data.
 */
import type { KpiCard } from "~/domain/kpi-cards";
import type { MonthlyTrendPoint, OverdueCustomer, QuarterlyCollectionPoint } from "~/domain/kpi-series";
import type { IsoDate } from "~/domain/ledger-types";

export interface HeadlineKpis {
  asOf: IsoDate;
  /** the KPI period of the as-of date (quarter to date unless a period start is given) */
  period: { start: IsoDate; end: IsoDate };
  currency: string;
  cards: KpiCard[];
}

export interface TopOverdue {
  customers: OverdueCustomer[];
  /** staff see only their own customers here, whatever the scope's totals cover */
  ownCustomersOnly: boolean;
}

export interface DashboardFigures {
  /** `company`, `region:华东`, ... (KPIS.md's scope words) */
  scope: string;
  fiscalStartMonth: number;
  headline: HeadlineKpis;
  monthly: MonthlyTrendPoint[];
  quarterly: QuarterlyCollectionPoint[];
  topOverdue: TopOverdue;
}

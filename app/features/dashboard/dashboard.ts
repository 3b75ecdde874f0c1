/**
 * The shape of the dashboard's figures, as the server's query functions (dashboard.server.ts)
 * return them and the dashboard components take them. Plain serialisable data.
 */
import type { KpiCard } from "~/features/kpi";
import type { MonthlyTrendPoint, OverdueCustomer, QuarterlyCollectionPoint } from "~/features/kpi";
import type { IsoDate } from "~/kernel/ledger/types";
import type { QuarterNumber } from "~/kernel/dates";
import type { RegisterKey } from "~/features/kpi";
import type { ItemStatus } from "~/features/plans";
import type { PlanState } from "~/features/plans";
import type { KpiProgress, PlanRollup, TrackStatus } from "~/features/plans";

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
  /** The quarter's plan in force on the as-of date (null: none approved yet). */
  plan: DashboardPlan | null;
  /** The KPI cards' forecasts by KPI, where items of that plan link the KPI in this scope. */
  projected?: Partial<Record<RegisterKey, CardProjection>>;
}

export interface DashboardPlanItem {
  id: number;
  title: string;
  ownerName: string | null;
  status: ItemStatus;
  kpi: RegisterKey;
  scope: string;
  baseline: number | null;
  baselineDate: IsoDate | null;
  target: number | null;
  current: number | null;
  progress: KpiProgress | null;
  track: TrackStatus | null;
  /** Why the figures are left out for this viewer (an i18n key), or null when they are shown. */
  hidden: string | null;
  /** the item's due date, else its plan's last day */
  dueDate: IsoDate;
}

/** A KPI card's forecast: the KPI projected to the nearest due date of the open items linked to it in the viewed scope. */
export interface CardProjection {
  date: IsoDate;
  /** null: the forecast cannot project it (DSO without sales) */
  value: number | null;
  target: number | null;
  /** the projected value on the wrong side of the item's target */
  misses: boolean;
  /** the linked item it is projected for */
  item: string;
}

export interface DashboardPlan {
  id: number;
  /** The plan's name as made (under `fiscalStartMonth`) and its own dates. */
  fiscalYear: number;
  quarter: QuarterNumber;
  fiscalStartMonth: number;
  start: IsoDate;
  end: IsoDate;
  state: PlanState;
  measuredOn: IsoDate;
  rollup: PlanRollup;
  owners: Record<number, string>;
  linked: DashboardPlanItem[];
  /** Owners' and customers' names by scope text, for the linked items' scopes. */
  scopeNames: Record<string, string>;
  /** Targets of items linked to the dashboard's own scope, by KPI: the first item's wins. */
  targets: Partial<Record<RegisterKey, { value: number; source: string }>>;
}

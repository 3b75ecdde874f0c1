/**
 * The dashboard's KPI cards as data: which KPIs, how each figure moved against the previous
 * quarter end and the same date last year, and whether that is good news. Which direction is
 * good comes from the register (`better`), so a falling DSO is green and a falling collection
 * rate is red. Pure; the card component only formats what this returns.
 */
import { type KpiUnit, kpiDefinition } from "~/features/kpi/register";
import type { AllKpiValues } from "~/features/credit";
import type { IsoDate } from "~/kernel/ledger/types";
import { COMPARISON_BASES, type ComparisonBasis } from "~/features/kpi/series";

/** The KPIs whose value is one number (not a breakdown such as aging). */
export type ScalarKpiKey = { [K in keyof AllKpiValues]: AllKpiValues[K] extends number | null ? K : never }[keyof AllKpiValues];

/**
 * How a card says what its figure measures: a balance at the end of the day, DSO on 90 days of
 * sales, the countback walk, or a sum over the period (quarter to date by default).
 */
export type KpiMethod = "balance" | "dso90" | "countback" | "period";

export interface CardSpec {
  key: ScalarKpiKey;
  /** a companion figure shown smaller on the same card */
  secondary?: ScalarKpiKey;
  method: KpiMethod;
}

export const DASHBOARD_CARDS: readonly CardSpec[] = [
  { key: "ar_total", method: "balance" },
  { key: "overdue_total", method: "balance" },
  { key: "overdue_ratio", method: "balance" },
  { key: "dso", method: "dso90" },
  { key: "dso_countback", method: "countback" },
  { key: "bpdso", secondary: "add", method: "dso90" },
  { key: "collection_rate", method: "period" },
  { key: "cei", method: "period" },
  { key: "unapplied_credit", method: "balance" },
  { key: "customers_overdue", method: "balance" },
  { key: "customers_over_limit", method: "balance" },
  { key: "written_off", secondary: "bad_debt_ratio", method: "period" },
  { key: "customers_on_hold", method: "balance" },
  { key: "promise_kept_rate", method: "period" },
  { key: "confirmation_return_rate", secondary: "confirmation_mismatch_rate", method: "period" },
  { key: "provision_total", secondary: "provision_ratio", method: "balance" },
  { key: "expected_loss_rate", method: "balance" },
];

/**
 * The smallest change the card shows for each unit (one fen, one customer, a tenth of a day or
 * of a percentage point). A smaller change reads as "no change" rather than a coloured 0.0.
 */
export const DISPLAY_STEP: Record<KpiUnit, number> = { money: 1, count: 1, days: 0.1, percent: 0.1, ratio: 0.001 };

export type Tone = "good" | "bad" | "neutral";
export type Direction = "up" | "down" | "flat";

export interface KpiChange {
  previous: number | null;
  /** current - previous, in the KPI's own unit; null when either side has no value */
  delta: number | null;
  direction: Direction | null;
  tone: Tone;
}

export function kpiChange(current: number | null, previous: number | null, unit: KpiUnit, better: "up" | "down"): KpiChange {
  if (current === null || previous === null) return { previous, delta: null, direction: null, tone: "neutral" };
  const delta = current - previous;
  if (Math.abs(delta) < DISPLAY_STEP[unit] / 2) return { previous, delta, direction: "flat", tone: "neutral" };
  const direction: Direction = delta > 0 ? "up" : "down";
  return { previous, delta, direction, tone: direction === better ? "good" : "bad" };
}

/** A KPI target set by a plan item (flow 1); plans supply these, the dashboard only shows them. */
export interface KpiTarget {
  value: number;
  /** what set it, e.g. the plan item's title */
  source: string;
}

export type TargetStatus = "met" | "not-met" | "unknown";

export interface TargetView extends KpiTarget {
  status: TargetStatus;
  /** how far the figure still is from the target (target - value); 0 once met; null without a value */
  remaining: number | null;
}

export function targetView(value: number | null, target: KpiTarget, better: "up" | "down"): TargetView {
  if (value === null) return { ...target, status: "unknown", remaining: null };
  const met = better === "up" ? value >= target.value : value <= target.value;
  return { ...target, status: met ? "met" : "not-met", remaining: met ? 0 : target.value - value };
}

export interface CardComparison {
  basis: ComparisonBasis;
  date: IsoDate;
  change: KpiChange;
}

export interface KpiCard {
  key: ScalarKpiKey;
  unit: KpiUnit;
  better: "up" | "down";
  method: KpiMethod;
  value: number | null;
  secondary: { key: ScalarKpiKey; unit: KpiUnit; value: number | null } | null;
  comparisons: CardComparison[];
  target: TargetView | null;
}

export interface CardInputs {
  current: AllKpiValues;
  /** the KPI values at each comparison date; a KPI left out there is shown without that comparison */
  previous: Record<ComparisonBasis, { date: IsoDate; values: Partial<AllKpiValues> }>;
  targets?: Partial<Record<ScalarKpiKey, KpiTarget>>;
  specs?: readonly CardSpec[];
}

export function kpiCards({ current, previous, targets = {}, specs = DASHBOARD_CARDS }: CardInputs): KpiCard[] {
  return specs.map((spec) => {
    const { unit, better } = kpiDefinition(spec.key);
    const value = current[spec.key];
    const target = targets[spec.key];
    return {
      key: spec.key,
      unit,
      better,
      method: spec.method,
      value,
      secondary: spec.secondary
        ? { key: spec.secondary, unit: kpiDefinition(spec.secondary).unit, value: current[spec.secondary] }
        : null,
      comparisons: COMPARISON_BASES.map((basis) => ({
        basis,
        date: previous[basis].date,
        change: kpiChange(value, previous[basis].values[spec.key] ?? null, unit, better),
      })),
      target: target ? targetView(value, target, better) : null,
    };
  });
}

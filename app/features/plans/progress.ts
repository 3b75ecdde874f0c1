/**
 * How far a plan has come (PRODUCT.md flow 3): KPI progress from baseline to target, the
 * on track / at risk / off track colour, the plan header's roll-ups, and "My tasks" order.
 */
import { days, type DateRange } from "~/kernel/dates";
import type { KpiScope } from "~/features/kpi";
import type { RegisterKey } from "~/features/kpi";
import type { IsoDate } from "~/kernel/ledger/types";
import {
  PLAN_CATEGORIES,
  type ItemStatus,
  type PlanCategory,
  isOpenStatus,
} from "~/features/plans/categories";

/** A plan item's link to a register KPI. `better` is copied from the register, never typed in. */
export interface KpiLink {
  kpi: RegisterKey;
  scope: KpiScope;
  better: "up" | "down";
  /** Captured as of the quarter's start; null until captured (or when the KPI was empty then). */
  baseline: number | null;
  baselineDate: IsoDate | null;
  target: number | null;
}

export interface KpiProgress {
  /** Share of the way from baseline to target: negative when worse than baseline, >1 past target. */
  raw: number;
  /** `raw` clamped to 0..1, for progress bars. */
  bar: number;
  /** The target is met or beaten (direction-aware). */
  reached: boolean;
}

function isNumber(value: number | null | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/**
 * Progress of a KPI from `baseline` towards `target`. The one formula
 * (current - baseline) / (target - baseline) serves both directions: DSO 100 -> 80 with
 * target 60 gives (80 - 100) / (60 - 100) = 0.5. Null when a value is missing, when
 * baseline equals target (no way to go), or when the target is not an improvement in the
 * KPI's better direction (a "don't get worse than" target has no share of the way).
 */
export function kpiProgress(
  link: Pick<KpiLink, "better" | "baseline" | "target">,
  current: number | null | undefined
): KpiProgress | null {
  const { baseline, target, better } = link;
  if (!isNumber(baseline) || !isNumber(target) || !isNumber(current)) return null;
  const improvement = better === "up" ? target - baseline : baseline - target;
  if (improvement <= 0) return null;
  const raw = (current - baseline) / (target - baseline);
  return { raw, bar: Math.min(1, Math.max(0, raw)), reached: raw >= 1 };
}

/**
 * The share of the quarter gone by at the end of `today` (today counts as elapsed, as KPIs are
 * as of the end of the day): 0 before the quarter, 1 on its last day and after.
 */
export function quarterElapsed(quarter: DateRange, today: IsoDate): number {
  const length = days(quarter.start, quarter.end) + 1;
  const gone = days(quarter.start, today) + 1;
  return Math.min(1, Math.max(0, gone / length));
}

export const TRACK_STATUSES = ["on_track", "at_risk", "off_track"] as const;
export type TrackStatus = (typeof TRACK_STATUSES)[number];

/** Progress may lag the calendar by this much and still be on track... */
export const ON_TRACK_LAG = 0.1;
/** ...and by this much and be at risk; further behind is off track. */
export const AT_RISK_LAG = 0.3;
// Shares like 0.7 - 0.1 are not exact in binary; a hair of tolerance keeps the edges inclusive.
const EPSILON = 1e-9;

/** Colours progress against time: on track if progress >= elapsed - 0.1, at risk if >= elapsed - 0.3. */
export function trackStatus(progress: number, elapsed: number): TrackStatus {
  if (progress + EPSILON >= elapsed - ON_TRACK_LAG) return "on_track";
  if (progress + EPSILON >= elapsed - AT_RISK_LAG) return "at_risk";
  return "off_track";
}

/**
 * The colour of a KPI-linked item: a reached target is on track whatever the calendar says;
 * cancelled, unlinked or unmeasurable items have none (null). A done item is coloured by its KPI
 * like any other: the work being finished does not make a KPI that went the wrong way on track
 * (the year review lists it as a missed target, the push page as projected to miss).
 */
export function itemTrack(
  item: { status: ItemStatus; kpiLink: KpiLink | null },
  current: number | null | undefined,
  quarter: DateRange,
  today: IsoDate
): TrackStatus | null {
  if (item.kpiLink === null || item.status === "cancelled") return null;
  const progress = kpiProgress(item.kpiLink, current);
  if (progress === null) return null;
  if (progress.reached) return "on_track";
  return trackStatus(progress.raw, quarterElapsed(quarter, today));
}

/**
 * A linked item's progress and colour on `today`. Before its quarter begins a plan has moved
 * nothing yet, so there is neither: what the KPI did between the link and the quarter's start is
 * not the plan's doing.
 */
export function linkedProgress(
  item: { status: ItemStatus; kpiLink: KpiLink | null },
  current: number | null | undefined,
  quarter: DateRange,
  today: IsoDate
): { progress: KpiProgress | null; track: TrackStatus | null } {
  if (item.kpiLink === null || today < quarter.start) return { progress: null, track: null };
  return { progress: kpiProgress(item.kpiLink, current), track: itemTrack(item, current, quarter, today) };
}

// ------------------------------------------------------------------------------ roll-ups

export interface DoneCount {
  done: number;
  total: number;
}

export interface RollupItem {
  category: PlanCategory;
  ownerId: number | null;
  status: ItemStatus;
  kpiLinked: boolean;
  /** From `itemTrack`; null when not linked or not measurable. */
  track: TrackStatus | null;
}

export interface PlanRollup extends DoneCount {
  byCategory: Record<PlanCategory, DoneCount>;
  /** One row per owner (null = unassigned), in order of first appearance. */
  byOwner: Array<{ ownerId: number | null } & DoneCount>;
  kpiLinked: number;
  kpiOnTrack: number;
}

/** The plan header's numbers. Cancelled items are no longer part of the plan: not counted. */
export function planRollup(items: readonly RollupItem[]): PlanRollup {
  // Object.fromEntries over every category gives each category a key
  const byCategory = Object.fromEntries(
    PLAN_CATEGORIES.map((category) => [category, { done: 0, total: 0 }])
  ) as Record<PlanCategory, DoneCount>;
  const owners = new Map<number | null, DoneCount>();
  const rollup: PlanRollup = {
    done: 0,
    total: 0,
    byCategory,
    byOwner: [],
    kpiLinked: 0,
    kpiOnTrack: 0,
  };
  for (const item of items) {
    if (item.status === "cancelled") continue;
    const done = item.status === "done" ? 1 : 0;
    const owner = owners.get(item.ownerId) ?? { done: 0, total: 0 };
    owners.set(item.ownerId, owner);
    for (const count of [rollup, byCategory[item.category], owner]) {
      count.done += done;
      count.total += 1;
    }
    if (item.kpiLinked) rollup.kpiLinked += 1;
    if (item.kpiLinked && item.track === "on_track") rollup.kpiOnTrack += 1;
  }
  rollup.byOwner = [...owners].map(([ownerId, count]) => ({ ownerId, ...count }));
  return rollup;
}

// ------------------------------------------------------------------------------ My tasks

export interface TaskItem {
  id: number;
  dueDate: IsoDate | null;
  status: ItemStatus;
}

/** Due before today and still owed. Due today is not overdue yet, as with invoices. */
export function isOverdue(item: Pick<TaskItem, "dueDate" | "status">, today: IsoDate): boolean {
  return item.dueDate !== null && item.dueDate < today && isOpenStatus(item.status);
}

/**
 * My tasks order: open work first (overdue before the rest, then due soonest, undated last),
 * then done and cancelled items; ties by id so the list does not jump between page loads.
 */
export function sortMyTasks<T extends TaskItem>(items: readonly T[], today: IsoDate): T[] {
  const rank = (item: T) => (isOverdue(item, today) ? 0 : isOpenStatus(item.status) ? 1 : 2);
  const due = (item: T) => item.dueDate ?? "9999-12-31";
  return [...items].sort(
    (a, b) => rank(a) - rank(b) || (due(a) < due(b) ? -1 : due(a) > due(b) ? 1 : 0) || a.id - b.id
  );
}

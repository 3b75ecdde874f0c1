/**
 * Starting a quarter from the last one's unfinished work (PRODUCT.md flow 1, third option).
 */
import { addMonths, fiscalQuarter, type DateRange, type QuarterNumber } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import type { ItemStatus, PlanCategory } from "~/features/plans/categories";
import type { PlanItem } from "~/features/plans/lifecycle";
import type { KpiLink } from "~/features/plans/progress";

export interface QuarterRef {
  fiscalYear: number;
  quarter: QuarterNumber;
}

/** The quarter after `quarter`: Q4 is followed by Q1 of the next fiscal year. */
export function nextQuarter(fiscalYear: number, quarter: QuarterNumber): QuarterRef {
  return quarter === 4
    ? { fiscalYear: fiscalYear + 1, quarter: 1 }
    // quarter is 1-3 on this branch (4 is handled above), so quarter + 1 is 2-4
    : { fiscalYear, quarter: (quarter + 1) as QuarterNumber };
}

/** The quarter before (fiscalYear, quarter): Q1 is preceded by Q4 of the fiscal year before. */
export function previousQuarter(fiscalYear: number, quarter: QuarterNumber): QuarterRef {
  return quarter === 1
    ? { fiscalYear: fiscalYear - 1, quarter: 4 }
    // quarter is 2-4 on this branch (1 is handled above), so quarter - 1 is 1-3
    : { fiscalYear, quarter: (quarter - 1) as QuarterNumber };
}

/** A new draft item; the database gives it an id. */
export interface CarriedOverItem {
  title: string;
  category: PlanCategory;
  description: string;
  ownerId: number | null;
  dueDate: IsoDate;
  status: "todo";
  blockedReason: null;
  outcome: null;
  kpiLink: KpiLink | null;
  /** Shown on the item as "carried over from ..."; kept structured so it reads in both languages. */
  carriedOverFrom: {
    itemId: number;
    dueDate: IsoDate | null;
    status: ItemStatus;
    blockedReason: string | null;
  };
}

/**
 * The unfinished items (not done, not cancelled) of the previous quarter as draft items of the
 * quarter `into`. The due date keeps its place in the quarter (three months on, clamped into
 * `into`; an undated item falls due on the last day). The KPI link keeps its KPI, scope and
 * target, but the baseline is cleared: it is captured again as of the new quarter's start.
 */
export function carryOverItems(
  previousPlanItems: readonly PlanItem[],
  into: DateRange
): CarriedOverItem[] {
  return previousPlanItems
    .filter((item) => item.status !== "done" && item.status !== "cancelled")
    .map((item) => ({
      title: item.title,
      category: item.category,
      description: item.description,
      ownerId: item.ownerId,
      dueDate: movedDueDate(item.dueDate, into),
      status: "todo",
      blockedReason: null,
      outcome: null,
      kpiLink: item.kpiLink && { ...item.kpiLink, baseline: null, baselineDate: null },
      carriedOverFrom: {
        itemId: item.id,
        dueDate: item.dueDate,
        status: item.status,
        blockedReason: item.blockedReason,
      },
    }));
}

function movedDueDate(dueDate: IsoDate | null, into: DateRange): IsoDate {
  if (dueDate === null) return into.end;
  const moved = addMonths(dueDate, 3);
  if (moved < into.start) return into.start;
  return moved > into.end ? into.end : moved;
}

/** The date range of the quarter after (fiscalYear, quarter), for `carryOverItems`. */
export function nextQuarterRange(
  fiscalYear: number,
  quarter: QuarterNumber,
  fiscalStartMonth = 1
): DateRange {
  const next = nextQuarter(fiscalYear, quarter);
  const { start, end } = fiscalQuarter(next.fiscalYear, next.quarter, fiscalStartMonth);
  return { start, end };
}

/**
 * The year-end review of one fiscal year (PRODUCT.md flow 4), laid out like the seed's
 * 逾期账款管理评审工作总结: (1) how the receivables changed, (2) the work done, (3) the problems,
 * (4) next year's measures. Pure: the server module (year-review.server.ts) reads the ledger's
 * figures and the year's plans and hands them in here.
 *
 * The dates (stated on the page in words):
 * - "at the start of the year" is the end of the previous fiscal year's last day, as the seed's
 *   当期 figure is: the overdue balance the year inherited;
 * - "at the end of the year" is the end of the fiscal year's last day, or of today while the year
 *   is still running;
 * - "the year before" is the same comparison one year earlier: from the end of the fiscal year two
 *   years back to the end of the previous one.
 * So the page shows the overdue at three dates (end of FY-2, end of FY-1, end of FY) and the
 * reduction of each of the two years.
 */
import {
  type QuarterNumber,
  addDays,
  fiscalQuarter,
  fiscalYearOf,
  monthEnd,
  monthStart,
  addMonths,
} from "~/kernel/dates";
import { AppError } from "~/kernel/app-error";
import type { IsoDate } from "~/kernel/ledger/types";
import type { LocalizedText } from "~/features/kpi";
import type { MonthPoint } from "~/features/kpi";
import type { CloseOutcome, ItemStatus, PlanCategory } from "~/features/plans";
import { PLAN_CATEGORIES } from "~/features/plans";

// ---------------------------------------------------------------- dates

export interface ReviewQuarter {
  quarter: QuarterNumber;
  start: IsoDate;
  end: IsoDate;
  /** the date its KPIs are read as of: its last day, or today while it runs */
  measuredOn: IsoDate;
  /** false while the quarter runs (its figures are to date) */
  complete: boolean;
}

export interface ReviewDates {
  fiscalYear: number;
  /** the fiscal year's first and last day */
  start: IsoDate;
  end: IsoDate;
  /** end of FY-2: the start of the year before */
  previousOpening: IsoDate;
  /** end of FY-1: the start of this year (the seed's 当期) */
  opening: IsoDate;
  /** end of FY, or today while the year runs (the seed's 年末) */
  closing: IsoDate;
  running: boolean;
  /** the quarters that have begun, with the date each is measured on */
  quarters: ReviewQuarter[];
  /** month ends of the year up to `closing` (the month in progress to `closing`) */
  months: MonthPoint[];
}

/**
 * The review's dates for `fiscalYear`. Refuses (AppError not_found, the review page's 404) a year
 * out of range or one that has not begun (`today` before its first day): nothing to review yet.
 */
export function reviewDates(fiscalYear: number, fiscalStartMonth: number, today: IsoDate): ReviewDates {
  if (!Number.isInteger(fiscalYear) || fiscalYear < 1900 || fiscalYear > 9998) {
    throw AppError.notFound("review.error.notFound");
  }
  const first = fiscalQuarter(fiscalYear, 1, fiscalStartMonth);
  const last = fiscalQuarter(fiscalYear, 4, fiscalStartMonth);
  if (today < first.start) throw AppError.notFound("review.error.notFound");
  const opening = addDays(first.start, -1);
  const previousOpening = addDays(fiscalQuarter(fiscalYear - 1, 1, fiscalStartMonth).start, -1);
  const running = today < last.end;
  const closing = running ? today : last.end;
  const quarters: ReviewQuarter[] = [];
  for (const quarter of [1, 2, 3, 4] as const) {
    const range = fiscalQuarter(fiscalYear, quarter, fiscalStartMonth);
    if (range.start > closing) break;
    const complete = range.end <= closing;
    quarters.push({ quarter, start: range.start, end: range.end, measuredOn: complete ? range.end : closing, complete });
  }
  const months: MonthPoint[] = [];
  for (let month = first.start; month <= closing; month = addMonths(month, 1)) {
    const end = monthEnd(month);
    const date = end <= closing ? end : closing;
    months.push({ month: monthStart(month).slice(0, 7), date, partial: date !== end });
  }
  return { fiscalYear, start: first.start, end: last.end, previousOpening, opening, closing, running, quarters, months };
}

/** The last fiscal year that has ended by `today`: the one the review opens on. */
export function lastCompleteFiscalYear(today: IsoDate, fiscalStartMonth: number): number {
  return fiscalYearOf(today, fiscalStartMonth).fiscalYear - 1;
}

/**
 * The years there is something to review, newest first: from the fiscal year of the ledger's first
 * document to the running one (a plan made before the ledger was imported does not add years the
 * ledger cannot show). Without a ledger, the years of the plans, so their work can be reviewed.
 * Empty for an empty installation.
 */
export function availableYears(
  firstDocumentDate: IsoDate | null,
  firstPlanYear: number | null,
  today: IsoDate,
  fiscalStartMonth: number,
): number[] {
  const current = fiscalYearOf(today, fiscalStartMonth).fiscalYear;
  const firstYear = firstDocumentDate === null ? firstPlanYear : fiscalYearOf(firstDocumentDate, fiscalStartMonth).fiscalYear;
  if (firstYear === null || firstYear > current) return [];
  const from = firstYear;
  const years: number[] = [];
  for (let year = current; year >= from; year -= 1) years.push(year);
  return years;
}

// ---------------------------------------------------------------- (1) how the receivables changed

export interface OverdueChange {
  fiscalYear: number;
  /** the dates compared: end of the year before, end of this year (or today) */
  from: IsoDate;
  to: IsoDate;
  /** null when the ledger has no position on that date (it begins later) */
  atStart: number | null;
  atEnd: number | null;
  /** atStart - atEnd: positive when the overdue balance came down; null without both ends */
  reduction: number | null;
  /** reduction / atStart (null when nothing was overdue at the start, or an end is missing) */
  reductionRate: number | null;
}

export interface OverdueComparison {
  year: OverdueChange;
  previousYear: OverdueChange;
  /** this year's reduction minus the year before's: positive when this year did better; null when either is unknown */
  againstPreviousYear: number | null;
}

function change(fiscalYear: number, from: IsoDate, to: IsoDate, atStart: number | null, atEnd: number | null): OverdueChange {
  const reduction = atStart === null || atEnd === null ? null : atStart - atEnd;
  const reductionRate = reduction === null || atStart === null || atStart === 0 ? null : reduction / atStart;
  return { fiscalYear, from, to, atStart, atEnd, reduction, reductionRate };
}

/**
 * Whether the ledger holds a position at the end of `date`: its first document is dated on or
 * before it. Before that the balance is not zero, it is unknown: a company's first imported
 * year has no opening position, and a reduction "from zero" would be made up.
 */
export function ledgerCovers(firstDocumentDate: IsoDate | null, date: IsoDate): boolean {
  return firstDocumentDate !== null && firstDocumentDate <= date;
}

/**
 * The seed's "当期 9649 万元, 年末 6454 万元" line and the same line for the year before. A date
 * the ledger does not cover (before its first document) gives no figure, never zero.
 */
export function overdueComparison(
  dates: Pick<ReviewDates, "fiscalYear" | "previousOpening" | "opening" | "closing">,
  overdue: { previousOpening: number; opening: number; closing: number },
  firstDocumentDate: IsoDate | null,
): OverdueComparison {
  const known = (date: IsoDate, value: number) => (ledgerCovers(firstDocumentDate, date) ? value : null);
  const opening = known(dates.opening, overdue.opening);
  const year = change(dates.fiscalYear, dates.opening, dates.closing, opening, known(dates.closing, overdue.closing));
  const previousYear = change(dates.fiscalYear - 1, dates.previousOpening, dates.opening, known(dates.previousOpening, overdue.previousOpening), opening);
  const againstPreviousYear = year.reduction === null || previousYear.reduction === null ? null : year.reduction - previousYear.reduction;
  return { year, previousYear, againstPreviousYear };
}

export interface CustomerOverdue {
  customerId: number;
  code: string;
  name: string;
  ownerId: number | null;
  ownerName: string | null;
  /** minor units past due at the start of the year and at its end */
  atStart: number;
  atEnd: number;
}

export interface Mover extends CustomerOverdue {
  /** atEnd - atStart: negative when it fell */
  change: number;
}

export interface Movers {
  /** largest fall first */
  fell: Mover[];
  /** largest rise first */
  rose: Mover[];
  fellCount: number;
  /** sum of the falls (a positive number) */
  fellTotal: number;
  grewCount: number;
  grewTotal: number;
}

export const MOVERS_LIMIT = 10;

const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** The customers whose overdue fell most and rose most over the year; ties by code. */
export function rankMovers(rows: readonly CustomerOverdue[], limit = MOVERS_LIMIT): Movers {
  const movers = rows.map((row) => ({ ...row, change: row.atEnd - row.atStart }));
  const fell = movers.filter((m) => m.change < 0).sort((a, b) => a.change - b.change || byCode(a, b));
  const rose = movers.filter((m) => m.change > 0).sort((a, b) => b.change - a.change || byCode(a, b));
  return {
    fell: fell.slice(0, limit),
    rose: rose.slice(0, limit),
    fellCount: fell.length,
    fellTotal: fell.reduce((sum, m) => sum - m.change, 0),
    grewCount: rose.length,
    grewTotal: rose.reduce((sum, m) => sum + m.change, 0),
  };
}

// ---------------------------------------------------------------- (2) the work done

export interface ReviewItemKpi {
  key: string;
  /** scope words: company, customer:CODE, ... */
  scope: string;
  better: "up" | "down";
  baseline: number | null;
  baselineDate: IsoDate | null;
  target: number | null;
  /** the KPI at the quarter's end (or today while the quarter runs) */
  result: number | null;
  measuredOn: IsoDate;
  /** the quarter is over: the result is final */
  final: boolean;
  /** the viewer may not read this scope's figures (the KPI API's rule): baseline and result are left out */
  hidden: boolean;
}

export interface ReviewItem {
  id: number;
  planId: number;
  quarter: QuarterNumber;
  position: number;
  title: string;
  category: PlanCategory;
  description: string;
  ownerId: number | null;
  ownerName: string | null;
  dueDate: IsoDate | null;
  status: ItemStatus;
  outcome: CloseOutcome | null;
  doneOn: IsoDate | null;
  carriedOverFrom: number | null;
  customers: string[];
  notes: string[];
  kpi: ReviewItemKpi | null;
}

export function isDone(item: Pick<ReviewItem, "status" | "outcome">): boolean {
  return item.status === "done" || item.outcome === "done";
}

/** Whether the result meets the target in the KPI's better direction; null when either is missing. */
export function targetMet(kpi: Pick<ReviewItemKpi, "better" | "target" | "result">): boolean | null {
  if (kpi.target === null || kpi.result === null) return null;
  return kpi.better === "up" ? kpi.result >= kpi.target : kpi.result <= kpi.target;
}

const itemOrder = (a: ReviewItem, b: ReviewItem) => a.quarter - b.quarter || a.position - b.position || a.id - b.id;

export interface CategoryWork {
  category: PlanCategory;
  items: ReviewItem[];
}

export interface WorkDone {
  /** categories in the register's order, only those with something done */
  categories: CategoryWork[];
  done: number;
  /** items planned in the year, cancelled ones not counted */
  planned: number;
  /** every KPI-linked item (not cancelled): baseline, target, result */
  kpiItems: ReviewItem[];
}

export function workDone(items: readonly ReviewItem[]): WorkDone {
  const live = items.filter((item) => item.status !== "cancelled").sort(itemOrder);
  const done = live.filter(isDone);
  const categories = PLAN_CATEGORIES.map((category) => ({ category, items: done.filter((item) => item.category === category) })).filter(
    (group) => group.items.length > 0,
  );
  return { categories, done: done.length, planned: live.length, kpiItems: live.filter((item) => item.kpi !== null) };
}

// ---------------------------------------------------------------- (3) the problems

export type UnfinishedState = "missed" | "carried_over" | "open";

export interface UnfinishedItem extends ReviewItem {
  state: UnfinishedState;
  /** the item it was carried over into within the year, if any */
  carriedInto: { id: number; quarter: QuarterNumber; done: boolean } | null;
}

export interface Problems {
  unfinished: UnfinishedItem[];
  missedTargets: ReviewItem[];
  grew: { count: number; total: number; customers: Mover[] };
}

function unfinishedState(item: ReviewItem): UnfinishedState {
  if (item.outcome === "missed") return "missed";
  if (item.outcome === "carried_over") return "carried_over";
  return "open";
}

const sameWork = (item: ReviewItem) => `${item.category}|${item.title.trim().toLowerCase()}`;

/**
 * Where each item's work went on within the year: the item carried over from it, or else the first
 * live item of a later quarter with the same category and title (the same work planned again by
 * hand rather than by carry-over).
 */
function successors(items: readonly ReviewItem[]): Map<number, ReviewItem> {
  const sorted = [...items].sort(itemOrder);
  const ids = new Set(items.map((item) => item.id));
  const next = new Map<number, ReviewItem>();
  for (const item of sorted) {
    if (item.carriedOverFrom !== null && ids.has(item.carriedOverFrom) && !next.has(item.carriedOverFrom)) next.set(item.carriedOverFrom, item);
  }
  for (const item of sorted) {
    if (next.has(item.id)) continue;
    const later = sorted.find((other) => other.quarter > item.quarter && other.status !== "cancelled" && sameWork(other) === sameWork(item));
    if (later) next.set(item.id, later);
  }
  return next;
}

/** Items the year did not finish (not done, not cancelled), each with where its work went on. */
export function unfinishedItems(items: readonly ReviewItem[]): UnfinishedItem[] {
  const next = successors(items);
  return items
    .filter((item) => item.status !== "cancelled" && !isDone(item))
    .sort(itemOrder)
    .map((item) => {
      // Follow the chain to its last link; done if any later link was done.
      let last: ReviewItem | undefined = next.get(item.id);
      let done = false;
      const seen = new Set([item.id]);
      while (last) {
        done ||= isDone(last);
        seen.add(last.id);
        const after = next.get(last.id);
        if (!after || seen.has(after.id)) break;
        last = after;
      }
      return {
        ...item,
        state: unfinishedState(item),
        carriedInto: last ? { id: last.id, quarter: last.quarter, done } : null,
      };
    });
}

/** KPI-linked items of ended quarters whose result missed the target. */
export function missedTargets(items: readonly ReviewItem[]): ReviewItem[] {
  return items
    .filter((item) => item.status !== "cancelled" && item.kpi !== null && item.kpi.final && targetMet(item.kpi) === false)
    .sort(itemOrder);
}

export function problems(items: readonly ReviewItem[], movers: Movers): Problems {
  return {
    unfinished: unfinishedItems(items),
    missedTargets: missedTargets(items),
    grew: { count: movers.grewCount, total: movers.grewTotal, customers: movers.rose },
  };
}

// ---------------------------------------------------------------- (4) next year's measures

export type ProposalReason = "unfinished" | "target_missed";

export interface ProposedItem {
  sourceItemId: number;
  sourceQuarter: QuarterNumber;
  reasons: ProposalReason[];
  title: string;
  category: PlanCategory;
  description: string;
  ownerId: number | null;
  ownerName: string | null;
  customers: string[];
  kpi: { key: string; scope: string; target: number | null } | null;
}

function proposalOf(item: ReviewItem, reason: ProposalReason): ProposedItem {
  return {
    sourceItemId: item.id,
    sourceQuarter: item.quarter,
    reasons: [reason],
    title: item.title,
    category: item.category,
    description: item.description,
    ownerId: item.ownerId,
    ownerName: item.ownerName,
    customers: [...item.customers],
    kpi: item.kpi && { key: item.kpi.key, scope: item.kpi.scope, target: item.kpi.target },
  };
}

/**
 * What next year's Q1 should take on, from what this year left (the seed's 明年的措施):
 * - every unfinished item (missed, carried over, or still open) whose work did not go on within
 *   the year (carried over, or planned again with the same category and title): a chain is
 *   proposed once, from its last link, and not at all when a later quarter finished it;
 * - every KPI whose target was missed: per KPI and scope the latest measured item decides, so a
 *   target missed in Q2 but met in Q4 is not proposed again.
 * Owner, category, customers, KPI link and target are kept; the baseline is taken afresh when the
 * item is created. Ordered by source quarter and position.
 */
export function nextYearMeasures(items: readonly ReviewItem[]): ProposedItem[] {
  const proposals = new Map<number, ProposedItem>();
  for (const item of unfinishedItems(items)) {
    if (item.carriedInto === null) proposals.set(item.id, proposalOf(item, "unfinished"));
  }
  const latestByKpi = new Map<string, ReviewItem>();
  for (const item of [...items].sort(itemOrder)) {
    if (item.status === "cancelled" || !item.kpi || !item.kpi.final || targetMet(item.kpi) === null) continue;
    latestByKpi.set(`${item.kpi.key}|${item.kpi.scope}`, item);
  }
  for (const item of latestByKpi.values()) {
    // the items here are filtered to KPI-linked ones above
    if (targetMet(item.kpi!) !== false) continue;
    const existing = proposals.get(item.id);
    if (existing) existing.reasons.push("target_missed");
    else proposals.set(item.id, proposalOf(item, "target_missed"));
  }
  const order = new Map([...items].sort(itemOrder).map((item, index) => [item.id, index]));
  // every proposal's source item is in order (both are built from the same items)
  return [...proposals.values()].sort((a, b) => order.get(a.sourceItemId)! - order.get(b.sourceItemId)!);
}

const REASON_TEXT: Record<ProposalReason, LocalizedText> = {
  unfinished: { en: "not finished", zh: "未完成" },
  target_missed: { en: "KPI target missed", zh: "KPI 目标未达成" },
};

/** The line added to a proposed item's description, saying where it came from. */
export function proposalNote(proposal: ProposedItem, fiscalYear: number, language: "en" | "zh"): string {
  const reasons = proposal.reasons.map((reason) => REASON_TEXT[reason][language]);
  return language === "zh"
    ? `来自 ${fiscalYear} 年度评审：${fiscalYear} 年第 ${proposal.sourceQuarter} 季度事项，${reasons.join("、")}。`
    : `From the ${fiscalYear} year-end review: Q${proposal.sourceQuarter} ${fiscalYear} item, ${reasons.join(", ")}.`;
}

// ---------------------------------------------------------------- export

const FORMULA_START = /^[=+\-@\t\r]/;

/** Spreadsheet text that cannot start a formula (OWASP): a leading `'` where it could. */
export function safeCellText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

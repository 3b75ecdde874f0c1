/**
 * The owner scoreboard (PRODUCT.md flow 4; the seed: 将应收账款的回收与驻外人员的绩效考核挂钩):
 * per owner, what was collected on their customers in a period, how their customers' overdue
 * moved from the start to the end of it, and how many of their plan items due in it were done on
 * time; then a rank. Pure: the server passes the KPI figures and the plan items in.
 *
 * Money is integer minor units; ratios are fractions (0.25, not 25).
 */
import {
  addDays,
  fiscalYearOf,
  isValidIsoDate,
  previousQuarterEnd,
  quarterOf,
} from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { minorToMajorNumber, minorToMajorString } from "~/kernel/money";
import type { Role } from "~/kernel/permissions";

// ---------------------------------------------------------------- the period

export interface ScoreboardPeriod {
  start: IsoDate;
  end: IsoDate;
}

export const PERIOD_PRESETS = ["quarterToDate", "lastQuarter", "yearToDate", "lastYear"] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** The quick picks: this fiscal quarter to date (the default), last quarter, this fiscal year to date, last fiscal year. */
export function presetPeriod(preset: PeriodPreset, today: IsoDate, fiscalStartMonth = 1): ScoreboardPeriod {
  switch (preset) {
    case "quarterToDate":
      return { start: quarterOf(today, fiscalStartMonth).start, end: today };
    case "lastQuarter": {
      const last = quarterOf(previousQuarterEnd(today, fiscalStartMonth), fiscalStartMonth);
      return { start: last.start, end: last.end };
    }
    case "yearToDate":
      return { start: fiscalYearOf(today, fiscalStartMonth).start, end: today };
    case "lastYear": {
      const thisYear = fiscalYearOf(today, fiscalStartMonth);
      const last = fiscalYearOf(addDays(thisYear.start, -1), fiscalStartMonth);
      return { start: last.start, end: last.end };
    }
  }
}

/** Overdue "at the start" is the position at the end of the day before the period starts. */
export function openingDate(period: ScoreboardPeriod): IsoDate {
  return addDays(period.start, -1);
}

/** `YYYY-MM-DD` of both ends, in order; anything else is the caller's 400. */
export function isValidPeriod(period: { start: string; end: string }): boolean {
  return isValidIsoDate(period.start) && isValidIsoDate(period.end) && period.start <= period.end;
}

// ---------------------------------------------------------------- plan items

export type ScoreboardItemStatus = "todo" | "in_progress" | "done" | "blocked" | "cancelled";

export interface ScoreboardItem {
  ownerId: number;
  dueDate: IsoDate | null;
  status: ScoreboardItemStatus;
  doneOn: IsoDate | null;
}

export interface ItemCounts {
  /** live (not cancelled) items with a due date in the period */
  due: number;
  /** of those, ticked done on or before their due date */
  onTime: number;
}

/** Done on time: ticked done, and the day it was ticked is on or before the due date. */
export function isDoneOnTime(item: Pick<ScoreboardItem, "status" | "doneOn" | "dueDate">): boolean {
  return item.status === "done" && item.doneOn !== null && item.dueDate !== null && item.doneOn <= item.dueDate;
}

/** Per owner: items due in the period (cancelled ones left out) and how many were done on time. */
export function countItems(items: readonly ScoreboardItem[], period: ScoreboardPeriod): Map<number, ItemCounts> {
  const counts = new Map<number, ItemCounts>();
  for (const item of items) {
    if (item.status === "cancelled" || item.dueDate === null) continue;
    if (item.dueDate < period.start || item.dueDate > period.end) continue;
    const entry = counts.get(item.ownerId) ?? { due: 0, onTime: 0 };
    entry.due += 1;
    if (isDoneOnTime(item)) entry.onTime += 1;
    counts.set(item.ownerId, entry);
  }
  return counts;
}

// ---------------------------------------------------------------- rows

/** What the KPI service says about a book of customers for the period. */
export interface BookFigures {
  /** KPIS.md `collected` over the period: payments plus offsets dated in it */
  collected: number;
  /** `overdue_total` at the end of the day before the period starts */
  overdueAtStart: number;
  /** `overdue_total` at the end of the period */
  overdueAtEnd: number;
}

export interface OwnerInput {
  ownerId: number;
  name: string;
  email: string;
  role: Role;
  /** false for a deactivated user, or a placeholder an import made for an unknown owner email */
  active: boolean;
  /** customers whose current owner this user is */
  customers: number;
  figures: BookFigures;
  items: ItemCounts;
}

export interface OverdueChange {
  /** end − start: negative is a fall (good) */
  amount: number;
  /** (end − start) / start; null when there was no overdue at the start */
  ratio: number | null;
}

export interface ScoreboardRow extends OwnerInput {
  overdueChange: OverdueChange;
  /** 1 = best; ties share a rank; null for owners without customers (nothing to collect) and inactive users */
  rank: number | null;
}

export function overdueChange(figures: Pick<BookFigures, "overdueAtStart" | "overdueAtEnd">): OverdueChange {
  const amount = figures.overdueAtEnd - figures.overdueAtStart;
  return { amount, ratio: figures.overdueAtStart > 0 ? amount / figures.overdueAtStart : null };
}

// ---------------------------------------------------------------- ranking

/**
 * The ranking rule, stated on the page:
 * 1. the change in overdue on the owner's customers, as a share of the overdue at the start
 *    (the largest fall first). That share treats a small book and a large one alike. With no
 *    overdue at the start, none at the end counts as 0 %; any new overdue ranks below every
 *    percentage;
 * 2. then the amount collected in the period (more first);
 * 3. then the plan items done on time (more first).
 * Owners equal on all three share a rank (1, 1, 3). Owners with no customers are listed unranked,
 * and so are inactive users: a rank compares the people doing the work now, and an inactive
 * account (someone who left, or the placeholder an import makes for an owner email nobody signs
 * in with) is in no one's performance review; its figures are still shown, marked inactive.
 */
export function rankingChange(figures: Pick<BookFigures, "overdueAtStart" | "overdueAtEnd">): number {
  const { ratio, amount } = overdueChange(figures);
  if (ratio !== null) return ratio;
  return amount > 0 ? Number.POSITIVE_INFINITY : 0;
}

/** Negative when `a` ranks above `b`, 0 when they tie. */
export function compareOwners(a: Pick<OwnerInput, "figures" | "items">, b: Pick<OwnerInput, "figures" | "items">): number {
  const byChange = rankingChange(a.figures) - rankingChange(b.figures);
  if (byChange !== 0 && !Number.isNaN(byChange)) return byChange < 0 ? -1 : 1;
  if (a.figures.collected !== b.figures.collected) return b.figures.collected - a.figures.collected;
  return b.items.onTime - a.items.onTime;
}

/** Ranked owners first (by rank, then name), then the unranked ones by name. */
export function isRankable(owner: Pick<OwnerInput, "active" | "customers">): boolean {
  return owner.active && owner.customers > 0;
}

export function rankOwners(owners: readonly OwnerInput[]): ScoreboardRow[] {
  const byName = (a: OwnerInput, b: OwnerInput) => a.name.localeCompare(b.name) || a.ownerId - b.ownerId;
  const ranked = owners.filter(isRankable).sort((a, b) => compareOwners(a, b) || byName(a, b));
  const unranked = owners.filter((owner) => !isRankable(owner)).sort(byName);
  const rows: ScoreboardRow[] = [];
  ranked.forEach((owner, index) => {
    const previous = rows[index - 1];
    const previousOwner = ranked[index - 1];
    const rank = previous && previousOwner && compareOwners(previousOwner, owner) === 0 ? previous.rank : index + 1;
    rows.push({ ...owner, overdueChange: overdueChange(owner.figures), rank });
  });
  for (const owner of unranked) rows.push({ ...owner, overdueChange: overdueChange(owner.figures), rank: null });
  return rows;
}

// ---------------------------------------------------------------- the board and its totals

export interface SummaryLine {
  figures: BookFigures;
  overdueChange: OverdueChange;
  items: ItemCounts;
}

export interface Scoreboard {
  period: ScoreboardPeriod;
  rows: ScoreboardRow[];
  /**
   * Customers with no owner: the company's figures less every owner's. Every customer with an
   * owner is in exactly one owner's row, so this is exactly the unowned customers' share, and
   * owners + unowned = the company, to the cent.
   */
  unowned: SummaryLine;
  /** the whole company (KPI scope `company`) */
  totals: SummaryLine;
  /** owners with a rank */
  rankedCount: number;
}

function line(figures: BookFigures, items: ItemCounts): SummaryLine {
  return { figures, overdueChange: overdueChange(figures), items };
}

export function sumFigures(list: readonly BookFigures[]): BookFigures {
  return list.reduce(
    (sum, f) => ({
      collected: sum.collected + f.collected,
      overdueAtStart: sum.overdueAtStart + f.overdueAtStart,
      overdueAtEnd: sum.overdueAtEnd + f.overdueAtEnd,
    }),
    { collected: 0, overdueAtStart: 0, overdueAtEnd: 0 },
  );
}

/** Anything to show for the period: money collected, overdue at either end, or plan items due. */
export function hasFigures(owner: Pick<OwnerInput, "figures" | "items">): boolean {
  const { collected, overdueAtStart, overdueAtEnd } = owner.figures;
  return collected !== 0 || overdueAtStart !== 0 || overdueAtEnd !== 0 || owner.items.due > 0;
}

export function buildScoreboard(input: {
  period: ScoreboardPeriod;
  owners: readonly Omit<OwnerInput, "items">[];
  items: readonly ScoreboardItem[];
  company: BookFigures;
}): Scoreboard {
  const counts = countItems(input.items, input.period);
  // An inactive user with nothing in the period (an import's placeholder whose customers are
  // quiet) is left off: a row of zeros changes no total and would only crowd the board.
  const owners: OwnerInput[] = input.owners
    .map((owner) => ({ ...owner, items: counts.get(owner.ownerId) ?? { due: 0, onTime: 0 } }))
    .filter((owner) => owner.active || hasFigures(owner));
  const rows = rankOwners(owners);
  const owned = sumFigures(rows.map((row) => row.figures));
  const unownedFigures: BookFigures = {
    collected: input.company.collected - owned.collected,
    overdueAtStart: input.company.overdueAtStart - owned.overdueAtStart,
    overdueAtEnd: input.company.overdueAtEnd - owned.overdueAtEnd,
  };
  const itemTotals = rows.reduce((sum, row) => ({ due: sum.due + row.items.due, onTime: sum.onTime + row.items.onTime }), { due: 0, onTime: 0 });
  return {
    period: input.period,
    rows,
    unowned: line(unownedFigures, { due: 0, onTime: 0 }),
    totals: line(input.company, itemTotals),
    rankedCount: rows.filter((row) => row.rank !== null).length,
  };
}

// ---------------------------------------------------------------- who sees what

/**
 * Head and leadership see every owner. Staff see their own row, their rank among all ranked
 * owners, and the company's totals (which the dashboard shows everyone) — not the other owners'
 * rows nor the unowned line, by the rule the KPI API follows: staff read the company and their own
 * book, never another owner's (a rank says where they stand without giving anyone's figures away).
 */
export interface ScoreboardView extends Omit<Scoreboard, "unowned"> {
  unowned: SummaryLine | null;
  /** true when the rows are the viewer's own only */
  ownRowOnly: boolean;
}

export function scoreboardFor(board: Scoreboard, viewer: { id: number; role: Role }): ScoreboardView {
  if (viewer.role !== "staff") return { ...board, ownRowOnly: false };
  return { ...board, rows: board.rows.filter((row) => row.ownerId === viewer.id), unowned: null, ownRowOnly: true };
}

// ---------------------------------------------------------------- export cells

export type ExportFormat = "csv" | "xlsx";

export function exportFileName(period: ScoreboardPeriod, format: ExportFormat): string {
  return `owner-scoreboard-${period.start}-to-${period.end}.${format}`;
}

export const EXPORT_COLUMNS = [
  { key: "rank", kind: "count" },
  { key: "owner", kind: "text" },
  { key: "email", kind: "text" },
  { key: "customers", kind: "count" },
  { key: "collected", kind: "amount" },
  { key: "overdueAtStart", kind: "amount" },
  { key: "overdueAtEnd", kind: "amount" },
  { key: "overdueChange", kind: "amount" },
  { key: "overdueChangePercent", kind: "ratio" },
  { key: "itemsDue", kind: "count" },
  { key: "itemsOnTime", kind: "count" },
] as const;

export type ExportCell =
  | { kind: "text"; value: string | null }
  | { kind: "amount"; minor: number }
  | { kind: "ratio"; value: number | null }
  | { kind: "count"; value: number | null };

const text = (value: string | null): ExportCell => ({ kind: "text", value });
const amount = (minor: number): ExportCell => ({ kind: "amount", minor });
const count = (value: number | null): ExportCell => ({ kind: "count", value });

function lineCells(label: string, summary: SummaryLine, customers: number | null): ExportCell[] {
  return [
    count(null),
    text(label),
    text(null),
    count(customers),
    amount(summary.figures.collected),
    amount(summary.figures.overdueAtStart),
    amount(summary.figures.overdueAtEnd),
    amount(summary.overdueChange.amount),
    { kind: "ratio", value: summary.overdueChange.ratio },
    count(summary.items.due),
    count(summary.items.onTime),
  ];
}

/** The rows of the export, in the page's order: owners, then the unowned customers, then the company. */
export function exportCells(view: ScoreboardView, labels: { unowned: string; totals: string }): ExportCell[][] {
  const rows = view.rows.map((row) => {
    const cells = lineCells(row.name, row, row.customers);
    cells[0] = count(row.rank);
    cells[2] = text(row.email);
    return cells;
  });
  if (view.unowned) rows.push(lineCells(labels.unowned, view.unowned, null));
  rows.push(lineCells(labels.totals, view.totals, null));
  return rows;
}

/** A cell's CSV words before quoting: amounts in major units, ratios as a percentage with 2 decimals. */
export function csvValue(cell: Exclude<ExportCell, { kind: "text" }>): string {
  switch (cell.kind) {
    case "amount":
      return minorToMajorString(cell.minor);
    case "ratio":
      return cell.value === null ? "" : (cell.value * 100).toFixed(2);
    case "count":
      return cell.value === null ? "" : String(cell.value);
  }
}

/** A cell's XLSX value: amounts as numbers in major units, ratios as fractions (formatted as %). */
export function xlsxNumber(cell: Exclude<ExportCell, { kind: "text" }>): number | null {
  switch (cell.kind) {
    case "amount":
      return minorToMajorNumber(cell.minor);
    case "ratio":
    case "count":
      return cell.value;
  }
}

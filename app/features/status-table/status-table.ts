/**
 * The monthly receivables status table (应收账款情况表): one row per customer for a month, with
 * the balance at the previous month end (opening), billed and collected in the month, the balance
 * at the month end (closing; as of today for the month in progress), overdue, aging and the change
 * in overdue against the previous month end.
 *
 * The figures follow the KPI engine (KPIS.md section 4) so that, without filters, the totals row
 * is the company's KPI object as of the closing date with the month's first day as period start:
 * closing = `ar_total`, overdue = `overdue_total`, aging = `aging`, billed = Sales(month start,
 * closing date), collected = payments plus `offset` adjustments dated in the same days,
 * opening = `ar_total` at the previous month end.
 *
 * This module is pure: the page's parameters, the month's dates, the sort columns and the rows as
 * an export writes them. The SQL is in app/features/status-table/queries.server.ts.
 */
import { addDays, isoDate, monthEnd, monthStart } from "~/kernel/dates";
import { AGING_BUCKETS, type Aging, type AgingBucket } from "~/features/kpi";
import type { IsoDate } from "~/kernel/ledger/types";
import { minorToMajorNumber } from "~/kernel/money";
import type { SortDirection } from "~/kernel/paging";
import { isOneOf } from "~/kernel/guards";

// ---------------------------------------------------------------- the month

export interface StatusMonth {
  /** `YYYY-MM` */
  month: string;
  /** the month's first day: the period start of billed and collected */
  start: IsoDate;
  /** the month's last day */
  monthEnd: IsoDate;
  /** the date the closing balance is as of: the month end, or today for the month in progress */
  closingDate: IsoDate;
  /** the previous month's last day: the opening balance's date */
  openingDate: IsoDate;
  /** true for the month in progress (figures to date) */
  toDate: boolean;
  previousMonth: string;
  /** null when the next month has not started */
  nextMonth: string | null;
}

export type StatusMonthResult =
  | { ok: true; month: StatusMonth }
  /** `format`: not a month written YYYY-MM; `not_started`: a month after the current one */
  | { ok: false; reason: "format" | "not_started"; message: string };

const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;

function monthOf(date: IsoDate): string {
  return date.slice(0, 7);
}

function shiftMonth(month: string, count: number): string {
  const year = Number(month.slice(0, 4));
  const index = year * 12 + Number(month.slice(5, 7)) - 1 + count;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/**
 * The month a finance user expects when none is asked for: the last complete month. The status
 * table is the month-end report (it is run after the month closes and compared with the books);
 * the month in progress is one step away and says "to date".
 */
export function defaultStatusMonth(today: IsoDate): string {
  return shiftMonth(monthOf(today), -1);
}

/** Reads `YYYY-MM` (absent: the last complete month). Refuses impossible months and months not started. */
export function resolveStatusMonth(requested: string | null | undefined, today: IsoDate): StatusMonthResult {
  const text = requested === null || requested === undefined || requested.trim() === "" ? defaultStatusMonth(today) : requested.trim();
  const match = MONTH_PATTERN.exec(text);
  const monthNumber = match ? Number(match[2]) : 0;
  if (!match || monthNumber < 1 || monthNumber > 12 || Number(match[1]) < 1) {
    return { ok: false, reason: "format", message: `month must be a month written YYYY-MM, got "${text}"` };
  }
  const current = monthOf(today);
  if (text > current) return { ok: false, reason: "not_started", message: `month ${text} has not started yet (today is ${today})` };
  const start = isoDate(Number(match[1]), monthNumber, 1);
  const end = monthEnd(start);
  const toDate = text === current;
  return {
    ok: true,
    month: {
      month: text,
      start,
      monthEnd: end,
      closingDate: toDate ? today : end,
      openingDate: addDays(monthStart(start), -1),
      toDate,
      previousMonth: shiftMonth(text, -1),
      nextMonth: toDate ? null : shiftMonth(text, 1),
    },
  };
}

/** The latest month that can be asked for (the month in progress): the month field's `max`. */
export function latestStatusMonth(today: IsoDate): string {
  return monthOf(today);
}

export type StatusMonthProblem = "status.errors.month" | "status.errors.monthNotStarted";

/**
 * The month the page shows, which never refuses (the filters stay usable): the month asked, or,
 * when it cannot be shown, the month in progress for a month not begun and the last complete month
 * for one not written YYYY-MM, with the problem (an i18n key) to say at the month field. The
 * export and the API refuse such a month instead (`resolveStatusMonth`).
 */
export function statusMonthForPage(requested: string | null | undefined, today: IsoDate): { month: StatusMonth; problem: StatusMonthProblem | null } {
  const resolved = resolveStatusMonth(requested, today);
  if (resolved.ok) return { month: resolved.month, problem: null };
  const fallback = resolveStatusMonth(resolved.reason === "not_started" ? latestStatusMonth(today) : defaultStatusMonth(today), today);
  if (!fallback.ok) throw new RangeError(`no status month for ${today}`);
  return { month: fallback.month, problem: resolved.reason === "not_started" ? "status.errors.monthNotStarted" : "status.errors.month" };
}

/** The first due date of each overdue bucket at `asOf` (dpd = days(due, asOf)): the SQL's bucket edges. */
export function agingDueEdges(asOf: IsoDate): Record<Exclude<AgingBucket, "current">, { from: IsoDate; to: IsoDate | null }> {
  const due = (dpd: number) => addDays(asOf, -dpd);
  return {
    "1_30": { from: due(30), to: due(1) },
    "31_60": { from: due(60), to: due(31) },
    "61_90": { from: due(90), to: due(61) },
    "91_180": { from: due(180), to: due(91) },
    "181_365": { from: due(365), to: due(181) },
    over_365: { from: "0000-01-01", to: due(366) },
  };
}

// ---------------------------------------------------------------- parameters

export const STATUS_SORTS = [
  "code",
  "name",
  "creditLimit",
  "opening",
  "billed",
  "collected",
  "otherMovements",
  "closing",
  "overdue",
  ...AGING_BUCKETS.map((bucket) => `aging_${bucket}` as const),
  "overdueChange",
] as const;
export type StatusSort = (typeof STATUS_SORTS)[number];

/** Text columns read A→Z first; amounts biggest first. */
export function defaultDirection(sort: StatusSort): SortDirection {
  return sort === "code" || sort === "name" ? "asc" : "desc";
}

// Object.fromEntries over every sort gives each sort a key
export const STATUS_SORT_DEFAULTS = Object.fromEntries(STATUS_SORTS.map((sort) => [sort, defaultDirection(sort)])) as Record<
  StatusSort,
  SortDirection
>;

export interface StatusFilters {
  /** an owner's user id, or "none" for customers without an owner */
  owner?: number | "none";
  region?: string;
  grade?: string;
  /** only customers with something overdue at the closing date */
  overdueOnly: boolean;
  /** only customers whose closing balance exceeds a credit limit > 0 */
  overLimitOnly: boolean;
}

export interface StatusParams {
  /** as asked (validated by `resolveStatusMonth`) */
  month: string | undefined;
  filters: StatusFilters;
  sort: StatusSort;
  dir: SortDirection;
  page: number;
}

function text(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, 100) : undefined;
}

function flag(value: string | null): boolean {
  return value === "1" || value === "true" || value === "on";
}

/**
 * The page's state from its URL. Like the ledger lists, a value that does not parse falls back
 * (unknown sort: by code; bad page: 1; bad owner: any owner) so a stale link still shows a table;
 * only the month is validated by the caller, as a wrong month would show other figures.
 */
export function readStatusParams(search: URLSearchParams): StatusParams {
  const sortText = search.get("sort");
  const sort = isOneOf(STATUS_SORTS, sortText) ? sortText : "code";
  const dirText = search.get("dir");
  const dir: SortDirection = dirText === "asc" || dirText === "desc" ? dirText : defaultDirection(sort);
  const pageText = search.get("page");
  const pageNumber = pageText && /^\d{1,7}$/.test(pageText) ? Number(pageText) : 1;
  const ownerText = search.get("owner");
  const owner = ownerText === "none" ? "none" : ownerText && /^[1-9]\d{0,9}$/.test(ownerText) ? Number(ownerText) : undefined;
  return {
    month: text(search.get("month")),
    filters: {
      owner,
      region: text(search.get("region")),
      grade: text(search.get("grade")),
      overdueOnly: flag(search.get("overdue")),
      overLimitOnly: flag(search.get("overLimit")),
    },
    sort,
    dir,
    page: Math.max(1, pageNumber),
  };
}

/** The state as URL parameters (empty and default values left out), shared by links and exports. */
export function statusQuery(state: {
  month: string;
  filters: StatusFilters;
  sort: StatusSort;
  dir: SortDirection;
  page?: number;
}): Record<string, string> {
  const query: Record<string, string> = { month: state.month };
  const { owner, region, grade, overdueOnly, overLimitOnly } = state.filters;
  if (owner !== undefined) query.owner = String(owner);
  if (region) query.region = region;
  if (grade) query.grade = grade;
  if (overdueOnly) query.overdue = "1";
  if (overLimitOnly) query.overLimit = "1";
  if (state.sort !== "code") query.sort = state.sort;
  if (state.dir !== defaultDirection(state.sort)) query.dir = state.dir;
  if (state.page !== undefined && state.page > 1) query.page = String(state.page);
  return query;
}

// ---------------------------------------------------------------- rows

/** Money in integer minor units. */
export interface StatusRow {
  code: string;
  name: string;
  ownerName: string | null;
  region: string | null;
  creditGrade: string | null;
  creditLimit: number | null;
  opening: number;
  billed: number;
  collected: number;
  /** what else moved the balance: closing − opening − billed + collected (see otherMovements) */
  otherMovements: number;
  closing: number;
  overdue: number;
  aging: Aging;
  /** overdue at the closing date minus overdue at the previous month end */
  overdueChange: number;
}

export interface StatusTotals {
  customers: number;
  opening: number;
  billed: number;
  collected: number;
  otherMovements: number;
  closing: number;
  overdue: number;
  aging: Aging;
  overdueChange: number;
}

/**
 * What moved a customer's balance in the month besides billing and collecting, so that every row
 * and the totals roll forward: opening + billed − collected + other movements = closing. Credit
 * notes and write-offs lower it; a payment beyond what was open (kept as unapplied credit, which
 * the balance does not net) raises it, and that credit lowers it in the month it is applied.
 * Worked out from the four figures, so it can never disagree with them.
 */
export function otherMovements(figures: { opening: number; billed: number; collected: number; closing: number }): number {
  return figures.closing - figures.opening - figures.billed + figures.collected;
}

/** The amount columns in table order, with the value each takes from a row or the totals. */
export const AMOUNT_COLUMNS = [
  "opening",
  "billed",
  "collected",
  "otherMovements",
  "closing",
  "overdue",
  ...AGING_BUCKETS.map((bucket) => `aging_${bucket}` as const),
  "overdueChange",
] as const;
export type AmountColumn = (typeof AMOUNT_COLUMNS)[number];

export function amountOf(row: StatusRow | StatusTotals, column: AmountColumn): number {
  // an amount column named aging_<bucket> names a bucket; the others are row properties
  if (column.startsWith("aging_")) return row.aging[column.slice("aging_".length) as AgingBucket];
  // not an aging column (returned above), so a row property
  return row[column as Exclude<AmountColumn, `aging_${string}`>];
}

/** The columns of an export, in order; `label` is an i18n key under `status.`. */
export const EXPORT_COLUMNS = [
  { key: "code", label: "code", kind: "text" },
  { key: "name", label: "name", kind: "text" },
  { key: "owner", label: "owner", kind: "text" },
  { key: "region", label: "region", kind: "text" },
  { key: "grade", label: "grade", kind: "text" },
  { key: "creditLimit", label: "creditLimit", kind: "amount" },
  ...AMOUNT_COLUMNS.map((key) => ({ key, label: key, kind: "amount" as const })),
] as const;

export type ExportCell = { kind: "text"; value: string | null } | { kind: "amount"; minor: number | null };

/** A row as an export writes it: text as text, amounts as minor units (null: no credit limit). */
export function exportCells(row: StatusRow): ExportCell[] {
  return [
    { kind: "text", value: row.code },
    { kind: "text", value: row.name },
    { kind: "text", value: row.ownerName },
    { kind: "text", value: row.region },
    { kind: "text", value: row.creditGrade },
    { kind: "amount", minor: row.creditLimit },
    ...AMOUNT_COLUMNS.map((column) => ({ kind: "amount" as const, minor: amountOf(row, column) })),
  ];
}

/** The totals row of an export: a label in the first column, no credit limit. */
export function exportTotalsCells(totals: StatusTotals, label: string): ExportCell[] {
  return [
    { kind: "text", value: label },
    { kind: "text", value: null },
    { kind: "text", value: null },
    { kind: "text", value: null },
    { kind: "text", value: null },
    { kind: "amount", minor: null },
    ...AMOUNT_COLUMNS.map((column) => ({ kind: "amount" as const, minor: amountOf(totals, column) })),
  ];
}

/** Major units as a spreadsheet number (exact to the cent as a decimal; the cell's format shows 2 places). */
export function spreadsheetAmount(minor: number): number {
  return minorToMajorNumber(minor);
}

/** `应收账款情况表-2026-10.xlsx` style names, ASCII so every browser keeps them. */
export function exportFileName(month: string, format: "csv" | "xlsx"): string {
  return `receivables-status-${month}.${format}`;
}

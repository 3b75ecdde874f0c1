/**
 * Provision runs, the pure part: which dates close which periods, the figures a run stores, and
 * the impossible-aging check of a year-end run against the previous approved year end.
 */
import { addDays, datePartsOf, isoDate, monthEnd, monthStart } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { DEFAULT_LADDER, impossibleAging } from "~/features/provisions/ladder";
import type { PeriodKind } from "~/features/provisions/movement";

/** Whether D ends a period of this kind (calendar months, quarters and years). */
export function endsPeriod(date: IsoDate, kind: PeriodKind): boolean {
  if (monthEnd(date) !== date) return false;
  const { month } = datePartsOf(date);
  if (kind === "quarter") return month % 3 === 0;
  if (kind === "year") return month === 12;
  return true;
}

/**
 * The last day of the period of `kind` that `today` falls in: the latest period end a run may be
 * drafted for (the period in progress may be previewed; a later one has no ledger to measure yet).
 */
export function latestPeriodEnd(today: IsoDate, kind: PeriodKind): IsoDate {
  const { year, month } = datePartsOf(today);
  if (kind === "year") return isoDate(year, 12, 31);
  if (kind === "quarter") return monthEnd(isoDate(year, Math.ceil(month / 3) * 3, 1));
  return monthEnd(today);
}

/**
 * What the draft form starts with: a month-end run for the last month end on or before `today`
 * (today itself on a month's last day), a choice the draft accepts: it ends a month and is not
 * after the period in progress.
 */
export function defaultRunDraft(today: IsoDate): { periodEnd: IsoDate; kind: PeriodKind } {
  return { periodEnd: monthEnd(today) === today ? today : addDays(monthStart(today), -1), kind: "month" };
}

/** The first day of the period D ends. */
export function periodStart(date: IsoDate, kind: PeriodKind): IsoDate {
  const { year, month } = datePartsOf(date);
  if (kind === "year") return isoDate(year, 1, 1);
  if (kind === "quarter") return isoDate(year, month - 2, 1);
  return monthStart(date);
}

/** The day before the period the run covers starts: the previous approved run's end, else the day before its own period. */
export function movementFrom(periodEnd: IsoDate, kind: PeriodKind, previousEnd: IsoDate | null): IsoDate {
  return previousEnd ?? addDays(periodStart(periodEnd, kind), -1);
}

/** The upper ages of yearly bands, the ones the aging check reads. */
export const YEARLY_DAYS = DEFAULT_LADDER.upperDays;

export interface RunBand {
  fromDays: number;
  toDays: number | null;
  balance: number;
  rate: number;
  provision: number;
}

export interface RunCustomer {
  customerId: number;
  code: string;
  name: string;
  /** the run's ladder bands (zero for a named customer, provided for one by one) */
  balances: number[];
  provision: number;
  /** balances in yearly bands, every customer, for the aging check */
  yearly: number[];
}

export interface RunFigures {
  ladder: RunBand[];
  matrix: RunBand[];
  specific: { customerId: number; code: string; name: string; balance: number; provision: number; reason: string; evidence: string }[];
  customers: RunCustomer[];
}

export interface AgingFlag {
  customerId: number;
  code: string;
  name: string;
  /** the yearly bands (0 = under 1 year) whose balance cannot have come from last year's */
  bands: number[];
}

/** Customers whose yearly balances this year end cannot follow from last year end's. */
export function agingFlags(previous: readonly RunCustomer[], current: readonly RunCustomer[]): AgingFlag[] {
  const before = new Map(previous.map((customer) => [customer.customerId, customer.yearly]));
  const flags: AgingFlag[] = [];
  for (const customer of current) {
    const bands = impossibleAging(before.get(customer.customerId) ?? [], customer.yearly);
    if (bands.length) flags.push({ customerId: customer.customerId, code: customer.code, name: customer.name, bands });
  }
  return flags;
}

/** The year end a year before a year-end run's. */
export function previousYearEnd(periodEnd: IsoDate): IsoDate {
  return isoDate(datePartsOf(periodEnd).year - 1, 12, 31);
}

import { addDays, addMonths, days } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { offPath, plannedValue, shapeFromLastYear } from "./push";

/**
 * The planned path of a KPI-linked plan item through its quarter, chosen per item: a straight line
 * from the baseline to the target, or last year's shape (the KPI's own path over the same days a
 * year earlier, scaled to run from this baseline to this target). "At risk" compares the value
 * today with where the path says it should be today. Pure; the server reads last year's values.
 */

export const PATH_CHOICES = ["straight", "last_year"] as const;
export type PathChoice = (typeof PATH_CHOICES)[number];

/** How many points of last year's window are read: weekly over a quarter, first and last day exact. */
export const PATH_SAMPLES = 14;

/** The same day a year earlier (29 February becomes the 28th). */
export function sameDayLastYear(date: IsoDate): IsoDate {
  return addMonths(date, -12);
}

/** `count` days from `start` to `end` inclusive, evenly spread (whole days, none twice). */
export function sampleDates(start: IsoDate, end: IsoDate, count = PATH_SAMPLES): IsoDate[] {
  const span = days(start, end);
  if (span <= 0) return [start];
  const dates: IsoDate[] = [];
  const steps = Math.min(count - 1, span);
  for (let i = 0; i <= steps; i += 1) {
    const date = addDays(start, Math.round((span * i) / steps));
    if (dates[dates.length - 1] !== date) dates.push(date);
  }
  return dates;
}

/** Last year's window for a path from `start` to `end`: the same days a year earlier, sampled. */
export function lastYearDates(start: IsoDate, end: IsoDate, count = PATH_SAMPLES): IsoDate[] {
  return sampleDates(sameDayLastYear(start), sameDayLastYear(end), count);
}

export interface PathInputs {
  choice: PathChoice;
  baseline: number;
  baselineDate: IsoDate;
  target: number;
  dueDate: IsoDate;
  better: "up" | "down";
  /** the KPI's values on `lastYearDates(baselineDate, dueDate)`, oldest first; null or gaps: none kept */
  lastYear: readonly (number | null)[] | null;
  /** money is planned in whole minor units; a rate or days keep their fraction */
  wholeUnits: boolean;
}

export interface PlannedPath {
  choice: PathChoice;
  /** the shape actually drawn: last year's falls back to straight when last year gives no shape */
  used: PathChoice;
  /** why last year's shape was not used, an i18n key; null when it was or was not asked for */
  fallback: "pushPlanner.path.noHistory" | "pushPlanner.path.flatHistory" | null;
  baseline: number;
  baselineDate: IsoDate;
  /** where the path says the KPI should be today */
  planned: number;
  /** the value today on the wrong side of the planned one; false without a value */
  atRisk: boolean;
  /** the path drawn: the baseline day, weekly points and the due date */
  points: { date: IsoDate; value: number }[];
}

export function plannedPath(inputs: PathInputs, today: IsoDate, current: number | null): PlannedPath {
  let fallback: PlannedPath["fallback"] = null;
  let shape = shapeFromLastYear([]);
  if (inputs.choice === "last_year") {
    const values = inputs.lastYear ?? [];
    if (values.length < 2 || values.some((value) => value === null)) fallback = "pushPlanner.path.noHistory";
    else {
      shape = shapeFromLastYear(values.filter((value): value is number => value !== null));
      if (shape.kind === "straight") fallback = "pushPlanner.path.flatHistory";
    }
  }
  const ends = { start: { date: inputs.baselineDate, value: inputs.baseline }, end: { date: inputs.dueDate, value: inputs.target } };
  const round = (value: number) => (inputs.wholeUnits ? Math.round(value) : value);
  const planned = round(plannedValue(ends, today, shape));
  return {
    choice: inputs.choice,
    used: shape.kind === "straight" ? "straight" : "last_year",
    fallback,
    baseline: inputs.baseline,
    baselineDate: inputs.baselineDate,
    planned,
    atRisk: current !== null && offPath(current, planned, inputs.better),
    points: sampleDates(inputs.baselineDate, inputs.dueDate).map((date) => ({ date, value: round(plannedValue(ends, date, shape)) })),
  };
}

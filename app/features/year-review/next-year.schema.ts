import { z } from "zod";

import { MAX_DSO_TARGET, MAX_GROWTH_PCT, MIN_GROWTH_PCT } from "~/features/year-review/next-year";

/**
 * The next-year projection's scenario, read from the review page's URL (`growth`, `dsoTarget`):
 * an empty or missing field takes its default. Each field is checked on its own, so one bad field
 * gets its error and the other still counts.
 */
const decimalText = /^[+-]?\d+(\.\d+)?$/;

export const growthSchema = z
  .string()
  .trim()
  .regex(decimalText, "review.nextYear.error.growthNumber")
  .transform(Number)
  .pipe(z.number().min(MIN_GROWTH_PCT, "review.nextYear.error.growthRange").max(MAX_GROWTH_PCT, "review.nextYear.error.growthRange"));

export const dsoTargetSchema = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, "review.nextYear.error.dsoNumber")
  .transform(Number)
  .pipe(z.number().gt(0, "review.nextYear.error.dsoRange").max(MAX_DSO_TARGET, "review.nextYear.error.dsoRange"));

export interface ScenarioRead {
  /** as typed (empty: the default) */
  input: { growth: string; dsoTarget: string };
  /** the values that are valid, by field */
  growthPct: number | null;
  dsoTarget: number | null;
  /** message keys by field */
  errors: { growth?: string; dsoTarget?: string };
}

export function readScenario(params: URLSearchParams): ScenarioRead {
  const input = { growth: (params.get("growth") ?? "").slice(0, 20), dsoTarget: (params.get("dsoTarget") ?? "").slice(0, 20) };
  const read: ScenarioRead = { input, growthPct: null, dsoTarget: null, errors: {} };
  if (input.growth.trim() !== "") {
    const parsed = growthSchema.safeParse(input.growth);
    if (parsed.success) read.growthPct = parsed.data;
    else read.errors.growth = parsed.error.issues[0]?.message ?? "review.nextYear.error.growthNumber";
  }
  if (input.dsoTarget.trim() !== "") {
    const parsed = dsoTargetSchema.safeParse(input.dsoTarget);
    if (parsed.success) read.dsoTarget = parsed.data;
    else read.errors.dsoTarget = parsed.error.issues[0]?.message ?? "review.nextYear.error.dsoNumber";
  }
  return read;
}

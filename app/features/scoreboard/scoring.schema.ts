import { z } from "zod";

import { MEASURES, type Measure, type ScoringRules } from "~/features/scoreboard/scoring";

/**
 * The scoring rules form, shared by the page (react-hook-form) and the action: four whole-number
 * weights from 0 to 100 that sum to 100, the warning threshold (0–100 points) and the version of
 * the rules the form showed. Messages are i18n keys (`scoreboard.scoring.validation.*`).
 */

const wholeNumber = z
  .union([z.string(), z.number()], { message: "scoreboard.scoring.validation.number" })
  .transform((value) => String(value).trim())
  .refine((text) => /^\d{1,3}$/.test(text) && Number(text) <= 100, "scoreboard.scoring.validation.range")
  .transform(Number);

export const scoringRulesFormSchema = z
  .object({
    intent: z.literal("save-scoring-rules"),
    basedOn: z
      .union([z.string(), z.number()], { message: "scoreboard.scoring.validation.staleForm" })
      .transform((value) => String(value).trim())
      .refine((text) => /^[1-9]\d{0,8}$/.test(text), "scoreboard.scoring.validation.staleForm")
      .transform(Number),
    weights: z.object(
      { collectionRate: wholeNumber, overdueReduction: wholeNumber, promisesKept: wholeNumber, itemsOnTime: wholeNumber },
      { message: "scoreboard.scoring.validation.missing" },
    ),
    warnBelow: wholeNumber,
  })
  // the sum is judged once every weight is a valid number; a bad weight has its own message
  .refine((form) => MEASURES.some((measure) => typeof form.weights[measure] !== "number") || MEASURES.reduce((sum, measure) => sum + form.weights[measure], 0) === 100, {
    message: "scoreboard.scoring.validation.sum",
    path: ["weights"],
  })
  .transform(({ basedOn, weights, warnBelow }) => ({ basedOn, rules: { weights, warnBelow } satisfies ScoringRules }));

export type ScoringRulesFormInput = z.input<typeof scoringRulesFormSchema>;

export function scoringRulesToFormValues(rules: ScoringRules, version: number): ScoringRulesFormInput {
  // fromEntries over MEASURES gives exactly one entry per measure; its type cannot say so
  const weights = Object.fromEntries(MEASURES.map((measure) => [measure, String(rules.weights[measure])])) as Record<Measure, string>;
  return { intent: "save-scoring-rules", basedOn: String(version), weights, warnBelow: String(rules.warnBelow) };
}

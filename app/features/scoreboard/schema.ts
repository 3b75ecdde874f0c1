/**
 * The scoreboard's period form (`?start=YYYY-MM-DD&end=YYYY-MM-DD`, a GET form: the URL is the
 * state). One schema for react-hook-form in the browser and the loader on the server; messages
 * are i18n keys. A quick pick (`?preset=lastYear`) is turned into dates by the loader.
 */
import { z } from "zod";

import { isValidIsoDate } from "~/kernel/dates";
import { PERIOD_PRESETS } from "~/features/scoreboard/scoreboard";

const date = (key: string) =>
  z.preprocess(
    (value) => (typeof value === "string" ? value.trim() : value),
    z.string({ error: key }).refine((value) => isValidIsoDate(value), { message: key }),
  );

export const scoreboardPeriodSchema = z
  .object({
    start: date("scoreboard.errors.badStart"),
    end: date("scoreboard.errors.badEnd"),
  })
  .refine((period) => !isValidIsoDate(period.start) || !isValidIsoDate(period.end) || period.start <= period.end, {
    message: "scoreboard.errors.startAfterEnd",
    path: ["end"],
  });

export type ScoreboardPeriodForm = z.input<typeof scoreboardPeriodSchema>;

export const scoreboardPresetSchema = z.enum(PERIOD_PRESETS);

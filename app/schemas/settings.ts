import { z } from "zod";

import { LOCALES } from "~/i18n";

export const localeField = z.enum(LOCALES);

export const setLocaleSchema = z.object({ locale: localeField, redirectTo: z.string().optional() });

export const userSettingsSchema = z.object({
  locale: localeField,
  amountUnit: z.enum(["yuan", "wan"]),
});

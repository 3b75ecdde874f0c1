import { z } from "zod";

import { LOCALES } from "~/i18n";
import { redirectToField } from "~/features/users";

export const localeField = z.enum(LOCALES);

export const setLocaleSchema = z.object({ locale: localeField, redirectTo: redirectToField });

export const userSettingsSchema = z.object({
  locale: localeField,
  amountUnit: z.enum(["yuan", "wan"]),
});

export const installationSettingsSchema = z.object({
  fiscalStartMonth: z.enum(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"], { message: "installation.invalidMonth" }).transform(Number),
});

import { z } from "zod";

import { LOCALES } from "~/i18n";
import { ROLES } from "~/kernel/permissions";
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

/** The roles that must sign in with two factors: one checkbox per role, named by the role. */
const roleBox = z.literal("on", { message: "validation.role" }).optional();
export const twoFactorRolesSchema = z
  .object({ intent: z.literal("two-factor-roles"), head: roleBox, staff: roleBox, leader: roleBox, admin: roleBox })
  .transform((form) => ({ twoFactorRoles: ROLES.filter((role) => form[role] === "on") }));

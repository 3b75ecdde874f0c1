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

const MONTHS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"] as const;

/*
 * Each settings form carries the value it showed (`basedOn`): a save based on a value someone else
 * has changed since is refused (409) instead of silently replacing theirs.
 */
export const installationSettingsSchema = z.object({
  fiscalStartMonth: z.enum(MONTHS, { message: "installation.invalidMonth" }).transform(Number),
  basedOn: z.enum(MONTHS, { message: "installation.staleForm" }).transform(Number),
});

/** The roles that must sign in with two factors: one checkbox per role, named by the role. */
const roleBox = z.literal("on", { message: "validation.role" }).optional();
export const twoFactorRolesSchema = z
  .object({
    intent: z.literal("two-factor-roles"),
    head: roleBox,
    staff: roleBox,
    leader: roleBox,
    admin: roleBox,
    // The roles the form showed, comma-separated (empty for none).
    basedOn: z.string({ message: "installation.staleForm" }).max(100).regex(/^[a-z,]*$/, "installation.staleForm"),
  })
  .transform((form) => ({
    twoFactorRoles: ROLES.filter((role) => form[role] === "on"),
    basedOn: ROLES.filter((role) => form.basedOn.split(",").includes(role)),
  }));

/** The company's letterhead: name, address and a contact line, each one line; the values the form showed ride along. */
const line = (max: number) =>
  z
    .string()
    .max(max, "installation.company.tooLong")
    .transform((value) => value.replace(/\s+/g, " ").trim());
export const companyLetterheadSchema = z
  .object({
    intent: z.literal("company"),
    name: line(120).pipe(z.string().min(1, "installation.company.nameRequired")),
    address: line(200),
    contact: line(200),
    basedOnName: z.string({ message: "installation.staleForm" }).max(400),
    basedOnAddress: z.string({ message: "installation.staleForm" }).max(400),
    basedOnContact: z.string({ message: "installation.staleForm" }).max(400),
  })
  .transform((form) => ({
    company: { name: form.name, address: form.address, contact: form.contact },
    basedOn: { name: form.basedOnName, address: form.basedOnAddress, contact: form.basedOnContact },
  }));

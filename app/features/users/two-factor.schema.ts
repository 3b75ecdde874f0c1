import { z } from "zod";

import { ROLES } from "~/kernel/permissions";
import { PASSWORD_MAX_LENGTH } from "~/kernel/password-policy";

// A code field takes a six-digit code or a recovery code ("abcde-fghjk"), spaces allowed; the use
// case decides which. The maximum keeps hashing cheap.
const codeField = z.string().trim().min(1, "validation.required").max(40, "twoFactor.codeInvalid");
const passwordField = z.string().min(1, "validation.required").max(PASSWORD_MAX_LENGTH, "validation.passwordTooLong");

/** The sign-in's second step; `restart` goes back to the password. */
export const secondStepSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("code"), code: codeField }),
  z.object({ intent: z.literal("restart") }),
]);

/** The user's own two-factor forms on the settings page. */
export const twoFactorSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("two-factor-start") }),
  z.object({ intent: z.literal("two-factor-confirm"), code: codeField }),
  z.object({ intent: z.literal("two-factor-disable"), password: passwordField, code: codeField }),
  z.object({ intent: z.literal("two-factor-recovery"), password: passwordField, code: codeField }),
]);
export const TWO_FACTOR_INTENTS = ["two-factor-start", "two-factor-confirm", "two-factor-disable", "two-factor-recovery"] as const;

export const resetTwoFactorSchema = z.object({ intent: z.literal("reset-two-factor") });

/** The installation's required roles: one checkbox per role (absent = not required). */
export const twoFactorRolesField = z.array(z.enum(ROLES, { message: "validation.role" }));

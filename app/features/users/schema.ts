import { z } from "zod";

import { ROLES } from "~/kernel/permissions";
import { isSafeRedirectPath } from "~/kernel/redirect-path";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "~/kernel/password-policy";

// Messages are i18n keys: the form and the action show them in the user's language.
export const emailField = z.string().trim().toLowerCase().min(1, "validation.required").email("validation.email");

export const newPasswordField = z
  .string()
  .min(PASSWORD_MIN_LENGTH, "validation.passwordTooShort")
  .max(PASSWORD_MAX_LENGTH, "validation.passwordTooLong");

/** A redirect target from a form: refused (400) when it is not a safe path on this site. */
export const redirectToField = z.string().refine(isSafeRedirectPath, "validation.redirectTo").optional();

export const loginSchema = z.object({
  email: emailField,
  // No minimum on sign-in (old passwords stay valid), but a maximum: hashing megabytes is a DoS.
  password: z.string().min(1, "validation.required").max(PASSWORD_MAX_LENGTH, "validation.passwordTooLong"),
  redirectTo: redirectToField,
});

export const roleField = z.enum(ROLES, { message: "validation.role" });

export const userNameField = z.string().trim().min(1, "validation.required").max(100, "validation.nameTooLong");

/** A new user's role when the administrator does not choose one: the least privileged working role. */
export const DEFAULT_NEW_USER_ROLE = "staff" satisfies z.infer<typeof roleField>;

export const createUserSchema = z.object({
  intent: z.literal("create"),
  email: emailField,
  name: userNameField,
  role: roleField,
  // empty = generate one
  password: z.union([z.literal(""), newPasswordField]).optional(),
});

export const changeRoleSchema = z.object({ intent: z.literal("change-role"), role: roleField });
export const setActiveSchema = z.object({ intent: z.literal("set-active"), active: z.enum(["true", "false"]) });
export const resetPasswordSchema = z.object({
  intent: z.literal("reset-password"),
  password: z.union([z.literal(""), newPasswordField]).optional(),
});

/**
 * The administrator's edit of a user's name and email. `expectedName` and `expectedEmail` are the
 * values the form was loaded with: if someone changed them since, the save is refused (409).
 */
export const editUserDetailsSchema = z.object({
  intent: z.literal("edit-details"),
  name: userNameField,
  email: emailField,
  expectedName: z.string().max(200),
  expectedEmail: z.string().max(320),
});

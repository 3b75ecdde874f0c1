import { dictionary } from "@zxcvbn-ts/language-common";

import { type PasswordProblem, passwordProblem } from "~/kernel/password-policy";

/**
 * The ~49,000 most common passwords of the zxcvbn-ts word lists (from leaked password sets),
 * loaded once on the server; the forms' shared schema checks only the length, so the browser
 * never downloads the list and the server has the last word.
 */
let common: Set<string> | null = null;

function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(dictionary.passwords.map((password: string) => password.toLowerCase()));
  return common;
}

export function newPasswordProblem(password: string, context: { email?: string | null; name?: string | null }): PasswordProblem | null {
  return passwordProblem(password, context, commonPasswords());
}

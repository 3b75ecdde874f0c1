export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

/** Words that make a password guessable for this installation, whoever the user is. */
export const APP_WORDS = ["quarterdeck"];

export type PasswordProblem = "validation.passwordCommon" | "validation.passwordContext" | "validation.passwordPattern";

/** Lowercase letters and digits only: `Wang.Fang-2026` and `wangfang2026` are one password to a guesser. */
function folded(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

/** One character repeated, a run of up to six repeated (`abcabcabcabc`), or a straight run (`123456789012`, `zyxw…`). */
export function isTrivialPattern(password: string): boolean {
  const chars = [...password.toLowerCase()];
  for (let period = 1; period <= 6; period += 1) {
    if (chars.length >= period * 2 && chars.every((c, i) => c === chars[i % period])) return true;
  }
  const codes = chars.map((c) => c.codePointAt(0) ?? 0);
  const steps = new Set(codes.slice(1).map((code, i) => {
    // i runs over codes' own indexes
    const step = code - codes[i]!;
    // 9 → 0 continues a digit run the way keyboards and phone pads do.
    return codes[i] === 57 && code === 48 ? 1 : codes[i] === 48 && code === 57 ? -1 : step;
  }));
  return steps.size === 1 && [...steps].every((step) => Math.abs(step) === 1);
}

/**
 * What is wrong with a new password beyond its length (ASVS 5.0, 6.2.4 and 6.2.11): one of the
 * most common passwords, or one of them with digits and symbols added at the end; the user's own
 * e-mail, name or the app's name inside it; or a trivial pattern. `common` is the list to check
 * (lower case); the server passes the bundled one, so the browser never downloads it.
 */
export function passwordProblem(
  password: string,
  context: { email?: string | null; name?: string | null },
  common: ReadonlySet<string>,
): PasswordProblem | null {
  const lower = password.toLowerCase();
  const stem = lower.replace(/[\d\W_]+$/u, "");
  if (common.has(lower) || (stem.length >= 4 && common.has(stem))) return "validation.passwordCommon";
  const text = folded(password);
  const email = context.email?.toLowerCase() ?? "";
  const words = [email, email.split("@")[0] ?? "", ...(context.name ?? "").split(/\s+/), ...APP_WORDS]
    .map(folded)
    .filter((word) => word.length >= 4);
  if (words.some((word) => text.includes(word))) return "validation.passwordContext";
  if (isTrivialPattern(password)) return "validation.passwordPattern";
  return null;
}

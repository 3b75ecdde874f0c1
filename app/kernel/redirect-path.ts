/**
 * Where a form may send the user next: a path on this site, and nothing a browser could read as
 * another host. Browsers drop tabs and newlines inside URLs, and read `\` as `/`, so
 * `/\t/evil.example` becomes `//evil.example`; the check therefore refuses any control character
 * or backslash anywhere rather than cleaning them out, and requires one `/` followed by a path
 * character (or the bare `/`).
 */
const PATH_START = /^\/(?:$|[A-Za-z0-9\-._~!$&'()*+,;=:@%?#])/;
// Control characters are exactly what this must find, so the lint rule against them is off here.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;
export const REDIRECT_PATH_MAX_LENGTH = 2048;

export function isSafeRedirectPath(to: string): boolean {
  if (to.length > REDIRECT_PATH_MAX_LENGTH || FORBIDDEN.test(to) || !PATH_START.test(to)) return false;
  // Belt and braces: whatever the URL parser makes of it stays on our origin.
  const base = "http://quarterdeck.invalid";
  try {
    return new URL(to, base).origin === base;
  } catch {
    return false;
  }
}

/** `to` when it is a safe path on this site, else `fallback`. */
export function safeRedirectPath(to: string | null | undefined, fallback = "/"): string {
  return typeof to === "string" && isSafeRedirectPath(to) ? to : fallback;
}

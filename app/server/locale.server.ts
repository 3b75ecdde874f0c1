import { createCookie } from "@remix-run/node";

import { type Locale, isLocale, localeFromAcceptLanguage } from "~/i18n";

/** Remembers the language of visitors who are not signed in (signed-in users keep it on their record). */
export const localeCookie = createCookie("qd_lang", { path: "/", sameSite: "lax", maxAge: 365 * 24 * 3600 });

/** The user's own choice, else the visitor cookie, else the browser's Accept-Language. */
export async function resolveLocale(request: Request, user: { locale: Locale } | null): Promise<Locale> {
  if (user) return user.locale;
  const fromCookie: unknown = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLocale(fromCookie)) return fromCookie;
  return localeFromAcceptLanguage(request.headers.get("Accept-Language"));
}

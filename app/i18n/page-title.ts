import type { MetaDescriptor } from "@remix-run/node";

import { createI18n, isLocale, type Locale } from "~/i18n";
import type { en } from "~/i18n/en";

export type PageTitleKey = keyof (typeof en)["pageTitles"];

/** What a route's `meta` receives about the matched routes; only the root's data is read. */
interface MatchedRoutes {
  matches: readonly { id: string; data: unknown }[];
}

/** The page's language: the one the root loader resolved for this request (English before it has). */
function localeOf({ matches }: MatchedRoutes): Locale {
  const data = matches.find((match) => match.id === "root")?.data;
  return typeof data === "object" && data !== null && "locale" in data && isLocale(data.locale) ? data.locale : "en";
}

/**
 * The browser tab's title in the page's language, "<page> · Quarterdeck". `meta` runs outside the
 * React tree, so it translates with the locale's shared i18next instance instead of the hook.
 * `prefix` is data shown before the page's name (a customer's code, a plan item's title).
 */
export function pageTitle(args: MatchedRoutes, key: PageTitleKey, values: Record<string, string | number> = {}, prefix?: string): MetaDescriptor[] {
  const page = createI18n(localeOf(args)).t(`pageTitles.${key}`, values);
  return [{ title: [prefix, page, "Quarterdeck"].filter(Boolean).join(" · ") }];
}

import i18next, { type i18n } from "i18next";

import { en } from "./en";
import { zhCN } from "./zh-CN";
import { isOneOf } from "~/kernel/guards";

export const LOCALES = ["en", "zh-CN"] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return isOneOf(LOCALES, value);
}

export const resources = { en: { translation: en }, "zh-CN": { translation: zhCN } } as const;

/**
 * The synchronously initialised instance of a language: one per locale, made on first use and
 * shared by every render in that language, so requests never share a language and a page does
 * not pay for building one (nothing calls changeLanguage or adds resources to it).
 */
export function createI18n(locale: Locale): i18n {
  let instance = instances.get(locale);
  if (!instance) {
    instance = freshI18n(locale);
    instances.set(locale, instance);
  }
  return instance;
}

const instances = new Map<Locale, i18n>();

function freshI18n(locale: Locale): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: locale,
    fallbackLng: "en",
    resources,
    initImmediate: false,
    interpolation: { escapeValue: false },
  });
  return instance;
}

/** Picks en or zh-CN from an Accept-Language header (anything Chinese → zh-CN). */
export function localeFromAcceptLanguage(header: string | null): Locale {
  if (!header) return "en";
  const first = header
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.find((p) => p.trim().startsWith("q="));
      return { tag: (tag ?? "").toLowerCase(), q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .sort((a, b) => b.q - a.q)[0];
  return first?.tag.startsWith("zh") ? "zh-CN" : "en";
}

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
  rememberPlainLookups(instance);
  return instance;
}

/** What react-i18next's `t` passes along with every key; a call with only these looks a text up. */
/** Far above the number of texts both dictionaries hold. */
const MAX_REMEMBERED = 20_000;

const LOOKUP_OPTIONS: ReadonlySet<string> = new Set(["lng", "lngs", "ns", "keyPrefix"]);

/**
 * A page asks for the same texts again and again (every table cell carries its column's name), and
 * i18next resolves each call afresh. A key asked for without values to put in is the same text for
 * as long as the instance keeps its language and resources, which it does (see createI18n), so the
 * first answer is kept. Calls with values (counts, names, amounts) are translated every time.
 */
function rememberPlainLookups(instance: i18n): void {
  const translate = instance.t;
  const language = instance.language;
  const known = new Map<string, Map<string, string>>();
  let remembered = 0;
  const remembering = (...args: unknown[]): unknown => {
    const [key, options] = args;
    if (args.length > 2 || typeof key !== "string" || instance.language !== language) return Reflect.apply(translate, instance, args);
    let namespace = "";
    if (options !== undefined) {
      if (options === null || typeof options !== "object") return Reflect.apply(translate, instance, args);
      // an object checked just above; its fields are only read and compared
      const fields = options as Record<string, unknown>;
      // for...in: no array per call (this runs for every text on a page)
      for (const name in fields) {
        const value = fields[name];
        if (!LOOKUP_OPTIONS.has(name)) return Reflect.apply(translate, instance, args);
        if (name === "ns" && typeof value === "string") namespace = value;
        else if (value !== undefined && value !== null) return Reflect.apply(translate, instance, args);
      }
    }
    let texts = known.get(namespace);
    const kept = texts?.get(key);
    if (kept !== undefined) return kept;
    const text: unknown = Reflect.apply(translate, instance, args);
    // Bounded: a key made from outside input (an unknown code) must not grow the map for ever.
    if (typeof text === "string" && remembered < MAX_REMEMBERED) {
      if (!texts) known.set(namespace, (texts = new Map()));
      texts.set(key, text);
      remembered += 1;
    }
    return text;
  };
  // i18next's TFunction is a set of typed overloads (and a brand); the wrapper passes every call through unchanged.
  instance.t = remembering as unknown as typeof instance.t;
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

/**
 * Sentences run on as each language runs them (a space between English sentences, none between
 * Chinese ones: common.sentences); the empty ones left out.
 */
export function sentences(t: (key: "common.sentences", values: { first: string; then: string }) => string, parts: readonly (string | null | false | undefined)[]): string {
  return parts.filter((part): part is string => typeof part === "string" && part !== "").reduce((first, then) => (first === "" ? then : t("common.sentences", { first, then })), "");
}

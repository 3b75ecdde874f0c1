import { describe, expect, it } from "vitest";

import { createI18n, localeFromAcceptLanguage, sentences } from "~/i18n";
import { en } from "~/i18n/en";
import { zhCN } from "~/i18n/zh-CN";
import { KPI_REGISTER } from "~/features/kpi/register";

function keys(value: object, prefix = ""): string[] {
  return Object.entries(value).flatMap(([k, v]) =>
    typeof v === "object" && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe("sentences", () => {
  it("runs sentences on with a space in English and none in Chinese, the empty ones left out", () => {
    const en = createI18n("en").getFixedT(null, "translation");
    const zh = createI18n("zh-CN").getFixedT(null, "translation");
    expect(sentences(en, ["One.", null, "Two.", false, "", "Three."])).toBe("One. Two. Three.");
    expect(sentences(zh, ["其一。", undefined, "其二。", "其三。"])).toBe("其一。其二。其三。");
    expect(sentences(zh, ["只有一句。"])).toBe("只有一句。");
    expect(sentences(en, [null, false])).toBe("");
  });
});

describe("messages", () => {
  it("has the same keys in English and Chinese, none empty", () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
    for (const key of keys(zhCN)) {
      const text = key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], zhCN);
      expect(String(text).trim(), key).not.toBe("");
    }
  });

  it("puts the same values into a text in both languages", () => {
    const textOf = (catalog: object, key: string) => String(key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], catalog));
    const placeholders = (text: string) => [...new Set([...text.matchAll(/{{\s*([\w.]+)[^}]*}}/g)].map((m) => m[1]))].sort();
    const differing = keys(en).flatMap((key) => {
      const english = placeholders(textOf(en, key));
      const chinese = placeholders(textOf(zhCN, key));
      return JSON.stringify(english) === JSON.stringify(chinese) ? [] : [`${key}: en ${english.join(",")} / zh ${chinese.join(",")}`];
    });
    expect(differing).toEqual([]);
    // the check sees a placeholder (a typo in one language would fail it)
    expect(placeholders(textOf(en, "forecast.note.shortWindow"))).toEqual(["first", "from", "months", "to"]);
  });

  it("has the KPI help page's texts for every KPI's unit and source, in both languages", () => {
    for (const locale of ["en", "zh-CN"] as const) {
      const t = createI18n(locale).getFixedT(null, "translation");
      for (const kpi of KPI_REGISTER) {
        expect(t(`help.units.${kpi.unit}`), `${locale} ${kpi.key}`).not.toMatch(/^help\./);
        expect(t(`help.sources.${kpi.source}`), `${locale} ${kpi.key}`).not.toMatch(/^help\./);
      }
    }
  });

  it("translates with interpolation in each language", () => {
    expect(createI18n("en").t("home.title", { name: "Ann" })).toBe("Welcome, Ann");
    expect(createI18n("zh-CN").t("home.title", { name: "王芳" })).toBe("欢迎，王芳");
  });

  it("answers a text asked for again, through react-i18next's t, the same; values are put in every time", () => {
    const i18n = createI18n("zh-CN");
    const t = i18n.getFixedT(null, "translation");
    const first = t("status.title");
    expect(first).toBe(zhCN.status.title);
    expect(t("status.title")).toBe(first);
    expect(i18n.t("status.title")).toBe(first);
    expect(t("home.title", { name: "王芳" })).toBe("欢迎，王芳");
    expect(t("home.title", { name: "李伟" })).toBe("欢迎，李伟");
    // English stays English after the Chinese instance has kept its texts.
    expect(createI18n("en").getFixedT(null, "translation")("status.title")).toBe(en.status.title);
    // A key that is not there still answers the key, however often it is asked for.
    expect(t("status.noSuchText")).toBe("status.noSuchText");
    expect(t("status.noSuchText")).toBe("status.noSuchText");
  });

  it.each([
    [null, "en"],
    ["", "en"],
    ["en-US,en;q=0.9", "en"],
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["zh-TW", "zh-CN"],
    ["en;q=0.5,zh;q=0.9", "zh-CN"],
    ["fr-FR", "en"],
  ])("picks a language from Accept-Language %j", (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });
});

import { describe, expect, it } from "vitest";

import { isBuiltIn, shownText } from "~/kernel/built-in-text";

const wordings = { en: "Build customer information files", zh: "梳理现有客户名单，建立客户信息档案" };

describe("built-in text in the viewer's language", () => {
  it.each([
    ["stored in English, read in Chinese", wordings.en, "zh-CN", wordings.zh],
    ["stored in English, read in English", wordings.en, "en", wordings.en],
    ["stored in Chinese, read in English", wordings.zh, "en", wordings.en],
    ["stored in Chinese, read in Chinese", wordings.zh, "zh-CN", wordings.zh],
  ] as const)("%s", (_case, stored, locale, shown) => {
    expect(shownText(stored, wordings, locale)).toBe(shown);
  });

  it("shows what a person wrote, once they changed the text, in every language", () => {
    const edited = "Build customer files for the new distributors";
    expect(shownText(edited, wordings, "zh-CN")).toBe(edited);
    expect(shownText(edited, wordings, "en")).toBe(edited);
    expect(isBuiltIn(edited, wordings)).toBe(false);
    // a small edit is an edit: trailing punctuation or spaces included
    expect(shownText(`${wordings.en}.`, wordings, "zh-CN")).toBe(`${wordings.en}.`);
    expect(shownText(` ${wordings.zh}`, wordings, "en")).toBe(` ${wordings.zh}`);
  });

  it("shows text without wordings as stored, and an empty text as empty", () => {
    expect(shownText("Typed by the head", undefined, "zh-CN")).toBe("Typed by the head");
    expect(shownText(null, wordings, "zh-CN")).toBeNull();
    expect(shownText("", wordings, "zh-CN")).toBe("");
  });
});

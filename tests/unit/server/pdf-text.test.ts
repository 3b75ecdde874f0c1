import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { breakTokens, subsetOf, subsetTable, textRuns, wrapText } from "~/server/pdf-text";

const unicode = JSON.parse(readFileSync("node_modules/@fontsource/noto-sans-sc/unicode.json", "utf8")) as Record<string, string>;
const table = subsetTable(unicode);

describe("subsetTable and subsetOf", () => {
  it("finds each character's subset as unicode.json lists it", () => {
    const small = subsetTable({ "[3]": "U+4e00-4e05,U+4e10", "[4]": "U+4e06-4e0f", latin: "U+0000-00FF" });
    expect(subsetOf(small, 0x4e00)).toBe("3");
    expect(subsetOf(small, 0x4e05)).toBe("3");
    expect(subsetOf(small, 0x4e06)).toBe("4");
    expect(subsetOf(small, 0x4e10)).toBe("3");
    expect(subsetOf(small, 0x41)).toBe("latin");
    // nobody holds it: the fallback draws it
    expect(subsetOf(small, 0x4e11)).toBe("latin");
  });

  it("lets latin win where a numbered subset repeats a code point", () => {
    const small = subsetTable({ "[7]": "U+0041-0043,U+4e00", latin: "U+0000-00FF" });
    expect(subsetOf(small, 0x42)).toBe("latin");
    expect(subsetOf(small, 0x4e00)).toBe("7");
  });

  it("reads the real font's table: CJK characters in their numbered subsets, ASCII in latin", () => {
    expect(unicode["[101]"]).toMatch(/U\+7c3f/i);
    expect(subsetOf(table, "簿".codePointAt(0) ?? 0)).toBe("101");
    expect(subsetOf(table, "A".codePointAt(0) ?? 0)).toBe("latin");
    // ranges are sorted and do not overlap, so the binary search sees one answer
    table.ranges.slice(1).forEach((range, index) => expect(range.from).toBeGreaterThan(table.ranges[index]?.to ?? -1));
  });
});

describe("textRuns", () => {
  it("cuts a mixed text into runs of one subset each and keeps every character in order", () => {
    const text = "企业询证函 Confirmation，余额 1,234.50 元";
    const runs = textRuns(table, text);
    expect(runs.map((run) => run.text).join("")).toBe(text);
    for (const run of runs) {
      for (const char of run.text.trim()) expect(subsetOf(table, char.codePointAt(0) ?? 0)).toBe(run.subset);
    }
    expect(runs.find((run) => run.text.startsWith("Confirmation"))?.subset).toBe("latin");
    // neighbours differ, or they would have been one run
    runs.slice(1).forEach((run, index) => expect(run.subset).not.toBe(runs[index]?.subset));
  });

  it("keeps spaces in the run they follow", () => {
    expect(textRuns(table, "ab  cd")).toEqual([{ subset: "latin", text: "ab  cd" }]);
    expect(textRuns(table, "")).toEqual([]);
  });
});

describe("breakTokens and wrapText", () => {
  it("keeps Latin words whole and breaks between CJK characters, never before a closing mark", () => {
    expect(breakTokens("Pay now, please")).toEqual(["Pay ", "now, ", "please"]);
    expect(breakTokens("请付款，谢谢。")).toEqual(["请", "付", "款，", "谢", "谢。"]);
    expect(breakTokens("共 12 元")).toEqual(["共", " ", "12 ", "元"]);
  });

  it("breaks lines no wider than the width (one unit per character here)", () => {
    const measure = (text: string) => [...text].length;
    expect(wrapText("aaa bbb ccc", 7, measure)).toEqual(["aaa bbb", "ccc"]);
    expect(wrapText("一二三四五六七", 3, measure)).toEqual(["一二三", "四五六", "七"]);
    expect(wrapText("一二三，四", 3, measure)).toEqual(["一二", "三，四"]);
    expect(wrapText("abcdefgh", 3, measure)).toEqual(["abc", "def", "gh"]);
    expect(wrapText("a\nb", 10, measure)).toEqual(["a", "b"]);
    for (const line of wrapText("The customer 上海华东贸易有限公司 owes 1,234.50 as of 2026-11-30.", 9, measure)) {
      expect(measure(line)).toBeLessThanOrEqual(9);
    }
  });
});

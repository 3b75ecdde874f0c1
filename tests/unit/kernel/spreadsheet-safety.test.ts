import { describe, expect, it } from "vitest";

import { csvField, csvLine, csvText, neutraliseCellText } from "~/kernel/spreadsheet-safety";

describe("neutraliseCellText (OWASP CSV injection)", () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ["+1", "'+1"],
    ["-2+3", "'-2+3"],
    ["@SUM(1)", "'@SUM(1)"],
    ["\tTAB", "'\tTAB"],
    ["\rCR", "'\rCR"],
  ])("prefixes %j with a single quote", (text, safe) => {
    expect(neutraliseCellText(text)).toBe(safe);
  });

  it.each(["Harbour Trading Co.", "港湾贸易", "1+1", "a=b", "", " =leading space", "'quoted"])("leaves %j alone", (text) => {
    expect(neutraliseCellText(text)).toBe(text);
  });
});

describe("CSV fields", () => {
  it("quotes commas, quotes and line breaks, doubling quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
  });

  it("neutralises before quoting, and writes null as an empty field", () => {
    expect(csvText('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvText("\rCR")).toBe(`"'\rCR"`);
    expect(csvText(null)).toBe("");
    expect(csvLine(["a", "b"])).toBe("a,b\r\n");
  });
});

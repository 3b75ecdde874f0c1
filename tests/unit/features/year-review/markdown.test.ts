import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { describe, expect, it } from "vitest";

import { lineText, parseInline, parseMarkdown } from "~/features/year-review/markdown";
import { ReportText } from "~/features/year-review/components/report-text";

const html = (text: string) => renderToStaticMarkup(createElement(ReportText, { text }));

describe("parseMarkdown", () => {
  it("reads paragraphs, line breaks, bold, lists and headings", () => {
    const blocks = parseMarkdown("第一段**加粗**文字\n第二行\n\n- 甲\n- 乙\n  续行\n\n1. 一\n2) 二\n\n## 小标题");
    expect(blocks).toEqual([
      { type: "paragraph", lines: [[{ text: "第一段", bold: false }, { text: "加粗", bold: true }, { text: "文字", bold: false }], [{ text: "第二行", bold: false }]] },
      { type: "list", ordered: false, items: [[{ text: "甲", bold: false }], [{ text: "乙 续行", bold: false }]] },
      { type: "list", ordered: true, items: [[{ text: "一", bold: false }], [{ text: "二", bold: false }]] },
      { type: "heading", level: 2, line: [{ text: "小标题", bold: false }] },
    ]);
  });

  it("reads a pipe table, padding short rows and dropping extra cells, with \\| as a literal bar", () => {
    const [table] = parseMarkdown("| 客户 | 金额 |\n| --- | ---: |\n| 大连大客 | 8,611 |\n| 只有一格 |\n| a \\| b | 1 | 多余 |");
    expect(table?.type).toBe("table");
    if (table?.type !== "table") return;
    expect(table.header.map(lineText)).toEqual(["客户", "金额"]);
    expect(table.align).toEqual(["left", "right"]);
    expect(table.rows.map((row) => row.map(lineText))).toEqual([
      ["大连大客", "8,611"],
      ["只有一格", ""],
      ["a | b", "1"],
    ]);
  });

  it("keeps an unpaired ** and text it does not know as typed", () => {
    expect(parseInline("a ** b")).toEqual([{ text: "a ** b", bold: false }]);
    expect(parseInline("****")).toEqual([{ text: "****", bold: false }]);
    expect(parseMarkdown("[link](http://x) `code` ![img](y)")).toEqual([
      { type: "paragraph", lines: [[{ text: "[link](http://x) `code` ![img](y)", bold: false }]] },
    ]);
    expect(parseMarkdown("| only a bar line")).toEqual([{ type: "paragraph", lines: [[{ text: "| only a bar line", bold: false }]] }]);
  });

  it("never throws on odd input", () => {
    for (const text of ["", "\n\n\n", "|", "|\n|", "| --- |", "-", "1.", "#", "**", "\r\n\r\n- a\r\n", "|a|\n|-|\n|", "  - \n"]) {
      expect(() => parseMarkdown(text)).not.toThrow();
    }
  });
});

describe("ReportText", () => {
  it("renders the blocks as HTML elements", () => {
    expect(html("**粗**体\n\n- 甲\n\n| a | b |\n| - | -: |\n| 1 | 2 |")).toBe(
      '<div class="report-text"><p><strong>粗</strong>体</p><ul><li>甲</li></ul><div class="table-wrap"><table class="table report-text__table"><thead><tr><th scope="col" style="text-align:left">a</th><th scope="col" style="text-align:right">b</th></tr></thead><tbody><tr><td style="text-align:left">1</td><td style="text-align:right">2</td></tr></tbody></table></div></div>',
    );
  });

  it("escapes everything hostile: tags, attributes, links, entities", () => {
    const hostile = [
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(1)">',
      '**<b onclick=alert(1)>x</b>**',
      '[click](javascript:alert(1))',
      '| <svg onload=alert(1)> | &lt;ok&gt; |\n| --- | --- |\n| "quote" | \'single\' |',
      '- <iframe src="http://evil.example"></iframe>',
    ].join("\n\n");
    const out = html(hostile);
    expect(out).not.toMatch(/<(script|img|svg|iframe|b |a )/i);
    expect(out).not.toContain('href="javascript');
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(out).toContain("<strong>&lt;b onclick=alert(1)&gt;x&lt;/b&gt;</strong>");
    expect(out).toContain("[click](javascript:alert(1))");
    expect(out).toContain("&amp;lt;ok&amp;gt;");
    expect(out).toContain("&lt;iframe src=&quot;http://evil.example&quot;&gt;&lt;/iframe&gt;");
  });
});

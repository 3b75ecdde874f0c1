import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { type PdfDocumentSpec, pdfBytes } from "~/server/pdf.server";

const dir = mkdtempSync(path.join(tmpdir(), "qd-pdf-"));
let count = 0;

function pdfText(bytes: Uint8Array, layout = false): string {
  const file = path.join(dir, `doc-${(count += 1)}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync("pdftotext", [...(layout ? ["-layout"] : []), file, "-"], { encoding: "utf8" });
}

function pdfFonts(bytes: Uint8Array): string[] {
  const file = path.join(dir, `doc-${(count += 1)}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync("pdffonts", [file], { encoding: "utf8" }).split("\n").slice(2).filter((line) => line.trim() !== "");
}

/** pdftotext drops the spaces between CJK characters and a number */
const squeezed = (text: string | undefined) => (text ?? "").replace(/\s+/g, "");

const label = (page: number, pages: number) => `第 ${page} 页 共 ${pages} 页`;

// Each test loads font subsets and runs pdftotext: about a second alone, more on a loaded machine.
describe("pdfBytes", { timeout: 30_000 }, () => {
  it("writes Chinese and Latin text that pdftotext reads back, including a character of the subset fontkit misreads as WOFF", async () => {
    const bytes = await pdfBytes({
      title: "询证函",
      pageLabel: label,
      sections: [{ blocks: [{ kind: "title", text: "企业询证函" }, { kind: "paragraph", text: "本公司账簿记录 Balance 1,234.56 元" }] }],
    });
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe("%PDF-");
    const text = pdfText(bytes);
    expect(text).toContain("企业询证函");
    expect(text).toContain("本公司账簿记录 Balance 1,234.56 元");
    expect(squeezed(text)).toContain("第1页共1页");
    // only the subsets used are embedded: no standard font, a handful of Noto subsets
    const fonts = pdfFonts(bytes);
    expect(fonts.every((line) => line.includes("NotoSansSC"))).toBe(true);
    expect(fonts.length).toBeLessThan(20);
    expect(bytes.length).toBeLessThan(120_000);
  });

  it("breaks a long table across pages with its header repeated, and numbers each section's pages", async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [`INV-${String(i).padStart(3, "0")}`, "上海华东贸易有限公司", `${i + 1}.00`]);
    const spec: PdfDocumentSpec = {
      title: "t",
      pageLabel: label,
      sections: [
        { blocks: [{ kind: "table", columns: [{ header: "单号", width: 2 }, { header: "客户名称", width: 4 }, { header: "金额", width: 2, align: "right" }], rows, totals: [["合计", "", "7,260.00"]] }] },
        { blocks: [{ kind: "paragraph", text: "第二封信" }] },
      ],
    };
    const text = pdfText(await pdfBytes(spec));
    const pages = text.split("\f").filter((page) => page.trim() !== "");
    expect(pages.length).toBeGreaterThanOrEqual(4);
    const tablePages = pages.slice(0, -1);
    for (const page of tablePages) expect(page).toContain("客户名称");
    expect(squeezed(tablePages.at(-1))).toContain(`第${tablePages.length}页共${tablePages.length}页`);
    expect(squeezed(tablePages[0])).toContain(`第1页共${tablePages.length}页`);
    expect(pages.at(-1)).toContain("第二封信");
    expect(squeezed(pages.at(-1))).toContain("第1页共1页");
    for (const row of rows) expect(text).toContain(row[0]);
    expect(text).toContain("7,260.00");
  });
});

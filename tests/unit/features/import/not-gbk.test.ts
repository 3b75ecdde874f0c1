import { readFileSync } from "node:fs";
import { join } from "node:path";

import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";

import { createI18n } from "~/i18n";
import { ImportContext } from "~/features/import/context";
import { detectEncoding } from "~/features/import/decode";
import { previewTable } from "~/features/import/read-table";
import { formatIssue } from "~/features/import/report";
import { sourceFromBuffer } from "~/features/import/source";

import { run } from "../../../fixtures/import/helpers";

const CUSTOMERS = "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days";
const LEDGER = join(__dirname, "../../../fixtures/ledger");

const windows1252 = (name: string, lines: string[]) => sourceFromBuffer(name, iconv.encode(lines.join("\r\n") + "\r\n", "win1252"));

describe("a CSV that is neither UTF-8 nor GBK", () => {
  it('refuses the Windows-1252 "Café Müller" instead of storing "Caf� M黮ler"', async () => {
    const source = windows1252("customers.csv", [CUSTOMERS, "C1,Alpha,East,,A,1000,45", "C2,Café Müller,West,,B,500,30"]);
    expect(iconv.decode(await source.readRange(0, source.size), "gb18030")).toContain("Caf� M黮ler");
    const result = await run(source, { kind: "customers" });
    expect(result.rows).toEqual([]);
    expect(result.report).toEqual([
      'customers.csv:3: the file is not UTF-8 or GBK text (it looks like Latin-1/Windows-1252, where "Café" would be stored wrongly): save it as "CSV UTF-8" or as .xlsx and import that',
    ]);
    const issue = result.errors[0];
    if (!issue) throw new Error("no issue");
    expect(formatIssue(issue, createI18n("zh-CN").t)).toBe(
      "customers.csv:3: 文件不是 UTF-8 或 GBK 文本（看起来是 Latin-1/Windows-1252 编码，“Café”这样的文字会存错）：请另存为“CSV UTF-8”或 .xlsx 后再导入",
    );
    expect(await previewTable(source)).toMatchObject({ ok: false, message: { key: "notUtf8OrGbk" }, line: 3 });
  });

  it.each(["Müller GmbH", "Zürich Versicherung", "Señor Muñoz", "Bäckerei Größe", "Fußball"])(
    "refuses %s, whose Windows-1252 bytes happen to be valid GB18030",
    async (name) => {
      const bytes = iconv.encode(`${CUSTOMERS}\nC1,${name},,,,,\n`, "win1252");
      expect(iconv.decode(bytes, "gb18030")).not.toContain("\uFFFD");
      expect(await detectEncoding(sourceFromBuffer("c.csv", bytes))).toEqual({ notGbk: true, line: 2 });
    },
  );

  it("still reads GBK files: the ledger fixtures, traditional and rare GBK-only characters, symbols", async () => {
    const context = new ImportContext();
    const utf8Context = new ImportContext();
    for (const kind of ["customers", "invoices", "payments", "adjustments"] as const) {
      const text = readFileSync(join(LEDGER, `${kind}.csv`), "utf8");
      const utf8 = await run(sourceFromBuffer(`${kind}.csv`, Buffer.from(text)), { kind }, utf8Context);
      const gbk = await run(sourceFromBuffer(`${kind}.csv`, iconv.encode(text, "gbk")), { kind }, context);
      expect(gbk.report).toEqual([]);
      expect(gbk.rows.length).toBeGreaterThan(0);
      expect(gbk.rows).toEqual(utf8.rows);
      // the customers carry Chinese names; the other files are plain ASCII (read as UTF-8 either way)
      if (kind === "customers") expect(gbk.encoding).toBe("gb18030");
    }
    const names = ["香港貿易有限公司", "臺灣總經銷（台北）", "朱镕基纪念馆", "喆啡咖啡", "①号仓库 ℃ № ￥", "Müller（中国）有限公司"];
    const source = sourceFromBuffer("c.csv", iconv.encode([CUSTOMERS, ...names.map((name, i) => `C${i},${name},,,,,`)].join("\n"), "gbk"));
    const result = await run(source, { kind: "customers" });
    expect(result.report).toEqual([]);
    expect(result.rows.map((row) => (row.record as { name: string }).name)).toEqual(names);
  });
});

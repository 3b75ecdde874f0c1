import { describe, expect, it } from "vitest";

import {
  numberText,
  openTable,
  previewTable,
  TableReadError,
  type TableRow,
} from "~/features/import/read-table";
import type { TableFormat } from "~/features/import/sniff";
import { sourceFromBuffer, type ImportSource } from "~/features/import/source";

import { csvFile, english, xlsxFile } from "../../../fixtures/import/helpers";

async function readAll(source: ImportSource, format: TableFormat = "csv") {
  const table = await openTable(source, format);
  const rows: TableRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return { header: table.header, rows, encoding: table.encoding };
}

describe("CSV tables", () => {
  const lines = [
    "code,name",
    'C1,"Alpha',
    'Trading"',
    "",
    "C2,=1+1",
    ",",
    'C3,"Gamma ""Best"""',
    'C4,"x',
    "",
    'y"',
    "C5,Epsilon",
  ];

  it.each([
    ["LF", "\n"],
    ["CRLF", "\r\n"],
  ])("reports the physical line where each record starts (%s)", async (_name, newline) => {
    const { header, rows } = await readAll(csvFile("c.csv", lines, "utf-8", newline));
    expect(header).toEqual({ line: 1, values: ["code", "name"] });
    expect(rows).toEqual([
      { line: 2, values: ["C1", `Alpha${newline}Trading`] },
      { line: 5, values: ["C2", "=1+1"] },
      { line: 7, values: ["C3", 'Gamma "Best"'] },
      { line: 8, values: ["C4", `x${newline}${newline}y`] },
      { line: 11, values: ["C5", "Epsilon"] },
    ]);
  });

  it("drops the BOM and reads GBK", async () => {
    const bom = await readAll(csvFile("c.csv", ["code,name", "C1,华东"], "utf-8-bom"));
    expect(bom.header?.values).toEqual(["code", "name"]);
    expect(bom.encoding).toBe("utf-8-bom");
    const gbk = await readAll(csvFile("c.csv", ["客户编码,客户名称", "C1,上海华东贸易有限公司"], "gbk"));
    expect(gbk.encoding).toBe("gb18030");
    expect(gbk.header?.values).toEqual(["客户编码", "客户名称"]);
    expect(gbk.rows).toEqual([{ line: 2, values: ["C1", "上海华东贸易有限公司"] }]);
  });

  it("reads semicolon- and tab-separated exports", async () => {
    const semicolon = await readAll(csvFile("c.csv", ["code;name;amount", 'C1;"A, B";1,5']));
    expect(semicolon.rows[0]?.values).toEqual(["C1", "A, B", "1,5"]);
    const tab = await readAll(csvFile("c.csv", ["code\tname", "C1\tA"]));
    expect(tab.rows[0]?.values).toEqual(["C1", "A"]);
  });

  it("fails with the line of an unclosed quote", async () => {
    const source = csvFile("c.csv", ["code,name", "C1,A", 'C2,"B', "C3,C"]);
    await expect(readAll(source)).rejects.toThrow(TableReadError);
    await expect(readAll(source)).rejects.toMatchObject({
      line: 3,
      message: 'a quoted value is never closed: a " is missing, so the rest of the file would be one value',
    });
  });

  it("has no header in a file of blank lines", async () => {
    const { header, rows } = await readAll(csvFile("c.csv", ["", " , ", ""]));
    expect(header).toBeNull();
    expect(rows).toEqual([]);
  });

  it("streams: a reader can stop early and close the file", async () => {
    const big = csvFile("big.csv", ["code,name", ...Array.from({ length: 50_000 }, (_, i) => `C${i},Name ${i}`)]);
    const table = await openTable(big, "csv");
    const seen: number[] = [];
    for await (const row of table.rows) {
      seen.push(row.line);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([2, 3, 4]);
    await table.close();
  });
});

describe("XLSX tables", () => {
  it("reads the first sheet with dates, serial numbers, exact decimals, formulas and rich text", async () => {
    const source = await xlsxFile("i.xlsx", {
      Invoices: [
        ["invoice_no", "issue_date", "due_date", "amount", "note"],
        [
          "INV-1",
          new Date(Date.UTC(2025, 0, 15)),
          45700,
          0.1 + 0.2,
          { richText: [{ text: "rich " }, { text: "text" }] },
        ],
        [1001, "2025/02/01", null, 12345.67, { formula: "1+1", result: 2 }],
        [],
        ["INV-3", new Date(Date.UTC(2024, 1, 29, 18, 30)), "2025-03-01", 1e6, true],
      ],
      Other: [["ignored"], ["x"]],
    });
    const { header, rows, encoding } = await readAll(source, "xlsx");
    expect(encoding).toBeNull();
    expect(header).toEqual({ line: 1, values: ["invoice_no", "issue_date", "due_date", "amount", "note"] });
    expect(rows).toEqual([
      { line: 2, values: ["INV-1", "2025-01-15", "45700", "0.3", "rich text"] },
      { line: 3, values: ["1001", "2025/02/01", "", "12345.67", "2"] },
      { line: 5, values: ["INV-3", "2024-02-29", "2025-03-01", "1000000", "TRUE"] },
    ]);
  });

  it("reports a damaged workbook as a read error", async () => {
    const good = await xlsxFile("x.xlsx", { S: [["a"], ["1"]] });
    const bytes = Buffer.from(await good.readRange(0, good.size));
    // Garble the compressed data after the first local header.
    bytes.fill(0x55, 200, bytes.length - 800);
    await expect(readAll(sourceFromBuffer("x.xlsx", bytes), "xlsx")).rejects.toThrow(TableReadError);
  });
});

describe("cell text", () => {
  it.each([
    [0.1 + 0.2, "0.3"],
    [12345.670000000002, "12345.67"],
    [55.94, "55.94"],
    [1e21, "1e+21"],
    [123456789012, "123456789012"],
    [-0.05, "-0.05"],
    [1e-7, "1e-7"],
  ])("number %d reads %s", (value, text) => {
    expect(numberText(value)).toBe(text);
  });
});

describe("previewTable", () => {
  it("returns the header and the first rows only", async () => {
    const source = csvFile("c.csv", ["code,name", ...Array.from({ length: 30 }, (_, i) => `C${i},N${i}`)]);
    const preview = await previewTable(source, { maxRows: 5 });
    expect(preview.ok && preview.header.values).toEqual(["code", "name"]);
    expect(preview.ok && preview.rows.map((row) => row.line)).toEqual([2, 3, 4, 5, 6]);
    expect(preview.ok && preview.truncated).toBe(true);
    const small = await previewTable(csvFile("c.csv", ["code,name", "C1,A"]));
    expect(small.ok && small.truncated).toBe(false);
  });

  it("explains why a file cannot be previewed", async () => {
    expect(english(await previewTable(sourceFromBuffer("e.csv", Buffer.alloc(0))))).toEqual({
      ok: false,
      message: "The file is empty",
      line: null,
    });
    expect(await previewTable(csvFile("q.csv", ["a,b", '1,"2']))).toMatchObject({ ok: false, line: 2 });
  });
});

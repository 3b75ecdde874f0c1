import { describe, expect, it } from "vitest";

import { openTable, previewTable, TableReadError, type TableRow } from "~/features/import/read-table";
import { sourceFromBuffer, type ImportSource } from "~/features/import/source";
import { columnNumber, isDateFormat, resolveTarget, serialDate } from "~/features/import/xlsx";

import { english, zipFile } from "../../../fixtures/import/helpers";

const WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";

interface Part {
  name: string;
  xml: string;
}

/** A workbook made part by part, the way writers other than Excel lay them out. */
function workbook(sheets: { name: string; state?: string; xml: string }[], extra: Part[] = [], workbookPr = ""): ImportSource {
  const parts: Part[] = [
    { name: "[Content_Types].xml", xml: "<Types/>" },
    ...sheets.map((sheet, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, xml: sheet.xml })),
    ...extra,
    {
      name: "xl/workbook.xml",
      xml: `<x:workbook xmlns:x="main" xmlns:r="rel">${workbookPr}<x:sheets>${sheets
        .map((sheet, i) => `<x:sheet name="${sheet.name}" sheetId="${i + 1}"${sheet.state ? ` state="${sheet.state}"` : ""} r:id="rId${i + 1}"/>`)
        .join("")}</x:sheets></x:workbook>`,
    },
    {
      name: "xl/_rels/workbook.xml.rels",
      xml: `<Relationships>${sheets
        .map((_, i) => `<Relationship Id="rId${i + 1}" Type="${WORKSHEET}" Target="/xl/worksheets/sheet${i + 1}.xml"/>`)
        .join("")}</Relationships>`,
    },
  ];
  return sourceFromBuffer("book.xlsx", zipFile(parts.map((part) => ({ name: part.name, data: Buffer.from(part.xml, "utf8") }))));
}

const sheetXml = (rows: string) => `<?xml version="1.0"?><x:worksheet xmlns:x="main"><x:sheetData>${rows}</x:sheetData></x:worksheet>`;

async function readAll(source: ImportSource, options = {}) {
  const table = await openTable(source, "xlsx", options);
  const rows: TableRow[] = [];
  for await (const row of table.rows) rows.push(row);
  return { sheet: table.sheet, header: table.header, rows };
}

describe("reading XLSX parts", () => {
  it("reads prefixed elements, rows and cells without references, rich and phonetic shared strings, escapes", async () => {
    const source = workbook(
      [
        {
          name: "应收 & 收款",
          xml: sheetXml(
            `<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="s"><x:v>2</x:v></x:c></x:row>` +
              `<x:row r="4"><x:c r="A4" t="str"><x:f>A1</x:f><x:v>a &amp; b</x:v></x:c><x:c r="C4" t="b"><x:v>0</x:v></x:c></x:row>` +
              `<x:row><x:c t="e"><x:v>#N/A</x:v></x:c><x:c t="d"><x:v>2026-03-01T00:00:00</x:v></x:c><x:c s="1"><x:v>46082</x:v></x:c></x:row>` +
              `<x:row r="9"><x:c r="B9" t="inlineStr"><x:is><x:r><x:t>富</x:t></x:r><x:r><x:t xml:space="preserve"> 文本</x:t></x:r></x:is></x:c><x:c r="C9" s="2"><x:v>46082.75</x:v></x:c></x:row>` +
              `<x:row r="10"><x:c r="A10" s="1"/><x:c r="B10"><x:v></x:v></x:c></x:row>`,
          ),
        },
      ],
      [
        {
          name: "xl/sharedStrings.xml",
          xml:
            `<sst><si><t>客户</t><rPh sb="0" eb="2"><t>きゃく</t></rPh></si>` +
            `<si><r><rPr><b/></rPr><t>line one_x000D_</t></r><r><t>&#10;line two</t></r></si>` +
            `<si><t><![CDATA[<raw>]]></t></si></sst>`,
        },
        {
          name: "xl/styles.xml",
          // 31 and 58: the dates of Chinese Excel, built in and never written out as formats
          xml: `<styleSheet><cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs><xf numFmtId="0"/><xf numFmtId="31"/><xf numFmtId="58"/></cellXfs></styleSheet>`,
        },
      ],
    );
    const { sheet, header, rows } = await readAll(source);
    expect(sheet).toBe("应收 & 收款");
    expect(header).toEqual({ line: 1, values: ["客户", "line one\r\nline two", "<raw>"] });
    expect(rows).toEqual([
      { line: 4, values: ["a & b", "", "FALSE"] },
      { line: 5, values: ["#N/A", "2026-03-01", "2026-03-01"] },
      { line: 9, values: ["", "富 文本", "2026-03-01"] },
    ]);
  });

  it("counts dates from 1904 when the workbook says so", async () => {
    const source = workbook(
      [{ name: "S", xml: sheetXml(`<x:row r="1"><x:c r="A1" s="1"><x:v>44620</x:v></x:c></x:row>`) }],
      [{ name: "xl/styles.xml", xml: `<styleSheet><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>` }],
      `<x:workbookPr date1904="1"/>`,
    );
    expect((await readAll(source)).header?.values).toEqual(["2026-03-01"]);
  });

  it("reads a named sheet, and refuses a name the workbook does not have", async () => {
    const sheets = [
      { name: "A", xml: sheetXml(`<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>first</x:t></x:is></x:c></x:row>`) },
      { name: "B", xml: sheetXml(`<x:row r="3"><x:c r="B3" t="inlineStr"><x:is><x:t>second</x:t></x:is></x:c></x:row>`) },
    ];
    expect((await readAll(workbook(sheets), { sheet: "B" })).header).toEqual({ line: 3, values: ["", "second"] });
    await expect(readAll(workbook(sheets), { sheet: "C" })).rejects.toMatchObject({ message: 'the workbook has no sheet named "C"' });
  });

  it("says so when only hidden sheets have data, and reads an all-empty workbook as empty", async () => {
    const row = `<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>code</x:t></x:is></x:c></x:row>`;
    const hiddenOnly = workbook([
      { name: "Visible", xml: sheetXml("") },
      { name: "Hidden", state: "veryHidden", xml: sheetXml(row) },
    ]);
    expect(english(await previewTable(hiddenOnly))).toMatchObject({ ok: false, message: expect.stringContaining("hidden sheets are not read") });
    expect(english(await previewTable(workbook([{ name: "Empty", xml: sheetXml("<x:row/>") }])))).toMatchObject({ ok: false, message: "The file is empty" });
  });

  it("refuses a DOCTYPE (no entity expansion) and an entry that inflates past its declared size", async () => {
    const doctype = workbook([{ name: "S", xml: `<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData/></worksheet>` }]);
    await expect(readAll(doctype)).rejects.toThrow(TableReadError);

    const big = `<worksheet><sheetData>${`<row><c t="inlineStr"><is><t>x</t></is></c></row>`.repeat(2000)}</sheetData></worksheet>`;
    const bytes = zipFile([
      { name: "[Content_Types].xml", data: Buffer.from("<Types/>") },
      { name: "xl/worksheets/sheet1.xml", data: Buffer.from(big), declaredSize: 1000 },
      { name: "xl/workbook.xml", data: Buffer.from(`<workbook><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>`) },
      {
        name: "xl/_rels/workbook.xml.rels",
        data: Buffer.from(`<Relationships><Relationship Id="rId1" Type="${WORKSHEET}" Target="worksheets/sheet1.xml"/></Relationships>`),
      },
    ]);
    await expect(readAll(sourceFromBuffer("lie.xlsx", bytes))).rejects.toMatchObject({
      message: expect.stringContaining("unpacks to more than the 1000 bytes its zip directory declares"),
    });
  });
});

describe("XLSX helpers", () => {
  it.each([
    ["General", false],
    ["0.00", false],
    ["#,##0.00_);[Red](#,##0.00)", false],
    ["[$¥-804]#,##0.00", false],
    ["0.00E+00", false],
    ["@", false],
    ["h:mm:ss", false],
    ["[h]:mm", false],
    ["yyyy-mm-dd", true],
    ['yyyy"年"m"月"d"日"', true],
    ["[$-804]yyyy/m/d;@", true],
    ["[DBNum1][$-804]yyyy\"年\"m\"月\"d\"日\"", true],
    ["d-mmm-yyyy", true],
    ["mmm", true],
    ["yyyy/m/d h:mm", true],
    ["YYYY-MM-DD HH:MM:SS", true],
  ])("the format %s shows a date: %s", (code, expected) => {
    expect(isDateFormat(code)).toBe(expected);
  });

  it("turns serials into dates around Excel's 1900 leap-year bug", () => {
    expect(serialDate(1)).toBe("1900-01-01");
    expect(serialDate(59)).toBe("1900-02-28");
    expect(serialDate(60)).toBeNull();
    expect(serialDate(61)).toBe("1900-03-01");
    expect(serialDate(46082.99)).toBe("2026-03-01");
    expect(serialDate(0, true)).toBe("1904-01-01");
  });

  it("reads column letters and relationship targets", () => {
    expect([columnNumber("A1"), columnNumber("Z9"), columnNumber("AA1"), columnNumber("KN2"), columnNumber("XFD1")]).toEqual([1, 26, 27, 300, 16384]);
    expect(resolveTarget("xl/workbook.xml", "worksheets/sheet1.xml")).toBe("xl/worksheets/sheet1.xml");
    expect(resolveTarget("xl/workbook.xml", "/xl/worksheets/sheet1.xml")).toBe("xl/worksheets/sheet1.xml");
    expect(resolveTarget("xl/workbook.xml", "../customXml/item1.xml")).toBe("customXml/item1.xml");
  });
});

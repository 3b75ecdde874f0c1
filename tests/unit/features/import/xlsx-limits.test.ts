import { describe, expect, it } from "vitest";

import { createI18n } from "~/i18n";
import { englishMessage, renderMessage, type ImportMessage } from "~/features/import/issue-text";
import { openTable, previewTable, TableReadError, type TableOptions } from "~/features/import/read-table";
import { sourceFromBuffer, type ImportSource } from "~/features/import/source";

import { zipFile, type ZipEntry } from "../../../fixtures/import/helpers";

const WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";

/** A one-sheet workbook whose sheet part is `sheet` (its central directory entry may lie). */
function workbook(sheet: Omit<ZipEntry, "name">, extra: ZipEntry[] = []): ImportSource {
  return sourceFromBuffer(
    "bomb.xlsx",
    zipFile([
      { name: "[Content_Types].xml", data: Buffer.from("<Types/>") },
      { name: "xl/worksheets/sheet1.xml", ...sheet },
      ...extra,
      { name: "xl/workbook.xml", data: Buffer.from(`<workbook><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>`) },
      {
        name: "xl/_rels/workbook.xml.rels",
        data: Buffer.from(`<Relationships><Relationship Id="rId1" Type="${WORKSHEET}" Target="worksheets/sheet1.xml"/></Relationships>`),
      },
    ]),
  );
}

const sheetXml = (rows: string) => Buffer.from(`<worksheet><sheetData>${rows}</sheetData></worksheet>`);
const inlineRow = (text: string) => `<row r="1"><c r="A1" t="inlineStr"><is><t>${text}</t></is></c></row>`;

/** The read's refusal: what the user is told (an XLSX problem inside "cannot be read"). */
async function refusal(source: ImportSource, options: TableOptions = {}): Promise<ImportMessage> {
  try {
    const table = await openTable(source, "xlsx", options);
    for await (const row of table.rows) void row;
  } catch (error) {
    if (error instanceof TableReadError) return error.problem;
    throw error;
  }
  throw new Error("the workbook was read without a refusal");
}

function detail(problem: ImportMessage): ImportMessage {
  expect(problem.key).toBe("xlsxUnreadable");
  const inner = problem.params?.detail;
  if (typeof inner !== "object") throw new Error(`no message in ${JSON.stringify(problem)}`);
  return inner;
}

describe("XLSX unpacking limits, counted on the bytes actually inflated", () => {
  it("stops a part whose central directory declares a small size at that size, with a message in both languages", async () => {
    // 40 MB of one cell deflates to ~40 KB; the directory says 100 KB, under every declared-size check.
    const cell = "A".repeat(40 * 1024 * 1024);
    const source = workbook({ data: sheetXml(inlineRow(cell)), declaredSize: 100 * 1024 });
    expect(source.size).toBeLessThan(200 * 1024);
    const problem = await refusal(source);
    expect(detail(problem)).toEqual({ key: "xlsxPartLarger", params: { part: "xl/worksheets/sheet1.xml", declared: 100 * 1024 } });
    expect(englishMessage(problem)).toBe(
      'the XLSX file cannot be read (the part "xl/worksheets/sheet1.xml" unpacks to more than the 102400 bytes its zip directory declares (a zip bomb?)): open it in Excel and save it again',
    );
    expect(renderMessage(problem, createI18n("zh-CN").t)).toBe(
      "无法读取 XLSX 文件（部件“xl/worksheets/sheet1.xml”解压后超过了 ZIP 目录声明的 102400 字节（疑似压缩炸弹））：请在 Excel 中打开并重新保存",
    );
  });

  it("refuses a part declared larger than the limit before inflating it, whatever its real size", async () => {
    const declared = workbook({ data: sheetXml(inlineRow("code")), declaredSize: 300 * 1024 * 1024 });
    expect(detail(await refusal(declared))).toEqual({ key: "xlsxPartTooLarge", params: { part: "xl/worksheets/sheet1.xml", limit: 200 } });

    const honest = workbook({ data: sheetXml(inlineRow("x".repeat(100 * 1024))) });
    expect(detail(await refusal(honest, { xlsxLimits: { maxSheetBytes: 64 * 1024 } }))).toEqual({
      key: "xlsxPartTooLarge",
      params: { part: "xl/worksheets/sheet1.xml", limit: 0.1 },
    });
    // shared strings, styles and the workbook part have their own, smaller limit
    const strings = workbook(
      { data: sheetXml(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`) },
      [{ name: "xl/sharedStrings.xml", data: Buffer.from(`<sst><si><t>${"y".repeat(100 * 1024)}</t></si></sst>`) }],
    );
    expect(detail(await refusal(strings, { xlsxLimits: { maxPartBytes: 64 * 1024 } }))).toMatchObject({
      key: "xlsxPartTooLarge",
      params: { part: "xl/sharedStrings.xml" },
    });
  });

  it("refuses a part that unpacks to less than its declared size (the directory lies either way)", async () => {
    const data = sheetXml(inlineRow("code"));
    const source = workbook({ data, declaredSize: data.length + 5000 });
    expect(detail(await refusal(source))).toEqual({
      key: "xlsxPartSizeDiffers",
      params: { part: "xl/worksheets/sheet1.xml", actual: data.length, declared: data.length + 5000 },
    });
  });

  it("bounds the total unpacked from one workbook", async () => {
    const source = workbook({ data: sheetXml(inlineRow("z".repeat(30 * 1024))) });
    expect(detail(await refusal(source, { xlsxLimits: { maxTotalBytes: 16 * 1024 } }))).toEqual({
      key: "xlsxTooLargeUnpacked",
      params: { limit: 0 },
    });
  });

  it("refuses one cell longer than the bound, in a text run, pieced together from CDATA or in a shared string", async () => {
    const long = "B".repeat(1024 * 1024 + 1);
    expect(detail(await refusal(workbook({ data: sheetXml(inlineRow(long)) })))).toEqual({
      key: "xlsxCellTooLarge",
      params: { limit: 1024 * 1024 },
    });
    const pieces = `<![CDATA[${"C".repeat(600 * 1024)}]]>`.repeat(2);
    const cdata = workbook({ data: sheetXml(`<row r="1"><c r="A1" t="str"><v>${pieces}</v></c></row>`) });
    expect(detail(await refusal(cdata))).toMatchObject({ key: "xlsxCellTooLarge" });
    const shared = workbook(
      { data: sheetXml(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`) },
      [{ name: "xl/sharedStrings.xml", data: Buffer.from(`<sst><si><r><t>${"D".repeat(700 * 1024)}</t></r><r><t>${"D".repeat(700 * 1024)}</t></r></si></sst>`) }],
    );
    expect(detail(await refusal(shared))).toMatchObject({ key: "xlsxCellTooLarge" });
    // an element that never ends is held no longer than the bound either
    const openTag = workbook({ data: sheetXml(`<row r="1"><c r="A1" t="${"E".repeat(2 * 1024 * 1024)}`) });
    expect(detail(await refusal(openTag))).toMatchObject({ key: "xlsxCellTooLarge" });
  });

  it("refuses a cell beyond column XFD instead of growing the row to it", async () => {
    const source = workbook({ data: sheetXml(`<row r="3"><c r="XFE3"><v>1</v></c></row>`) });
    expect(detail(await refusal(source))).toEqual({ key: "xlsxTooManyColumns", params: { row: 3, limit: "XFD" } });
    const last = workbook({ data: sheetXml(`<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c><c r="XFD1"><v>1</v></c></row>`) });
    const preview = await previewTable(last);
    expect(preview.ok && preview.header.values.length).toBe(16_384);
  });

  it("still reads a workbook within the limits", async () => {
    const source = workbook({ data: sheetXml(inlineRow("x".repeat(32_767)) + `<row r="2"><c r="A2"><v>5</v></c></row>`) });
    const preview = await previewTable(source);
    expect(preview).toMatchObject({ ok: true, header: { line: 1 }, rows: [{ line: 2, values: ["5"] }] });
  });
});

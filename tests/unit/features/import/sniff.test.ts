import { describe, expect, it } from "vitest";

import { DEFAULT_SNIFF_LIMITS, readZipDirectory, sniffFile } from "~/features/import/sniff";
import { sourceFromBuffer } from "~/features/import/source";

import { english, PNG_BYTES, xlsxFile, zipFile } from "../../../fixtures/import/helpers";

const sniff = async (name: string, bytes: Buffer, limits = DEFAULT_SNIFF_LIMITS) =>
  english(await sniffFile(sourceFromBuffer(name, bytes), limits));
const xlsxParts = [
  { name: "[Content_Types].xml", data: Buffer.from("<Types/>") },
  { name: "xl/workbook.xml", data: Buffer.from("<workbook/>") },
];

describe("sniffFile", () => {
  it("accepts CSV text in any of the supported encodings", async () => {
    expect(await sniff("a.csv", Buffer.from("code,name\nC1,华东\n"))).toEqual({ ok: true, format: "csv" });
    expect(await sniff("a.txt", Buffer.from([0xbf, 0xcd, 0xbb, 0xa7]))).toEqual({ ok: true, format: "csv" });
  });

  it("recognises an XLSX by content, whatever its name", async () => {
    const xlsx = await xlsxFile("x", { Sheet1: [["code"]] });
    const bytes = await xlsx.readRange(0, xlsx.size);
    expect(await sniff("customers.csv", bytes)).toEqual({ ok: true, format: "xlsx" });
  });

  it.each([
    ["an empty file", "invoices.csv", Buffer.alloc(0), "The file is empty"],
    ["an empty XLSX", "invoices.xlsx", Buffer.alloc(0), "The file is empty"],
    ["a renamed PNG", "invoices.csv", PNG_BYTES, '"invoices.csv" is not a CSV or XLSX file (looks like a PNG image)'],
    ["a renamed PNG", "invoices.xlsx", PNG_BYTES, '"invoices.xlsx" is not a CSV or XLSX file (looks like a PNG image)'],
    [
      "a JPEG",
      "a.csv",
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
      '"a.csv" is not a CSV or XLSX file (looks like a JPEG image)',
    ],
    ["a PDF", "a.csv", Buffer.from("%PDF-1.7\n"), '"a.csv" is not a CSV or XLSX file (looks like a PDF document)'],
    [
      "a gzip",
      "a.csv",
      Buffer.from([0x1f, 0x8b, 8, 0]),
      '"a.csv" is not a CSV or XLSX file (looks like a gzip archive)',
    ],
    [
      "binary data",
      "a.csv",
      Buffer.from([1, 2, 3, 0, 5, 6]),
      '"a.csv" is not a CSV or XLSX file (looks like a binary file)',
    ],
    [
      "an old .xls",
      "a.xlsx",
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]),
      '"a.xlsx" is an old Excel 97-2003 (.xls) or password-protected workbook: save it as .xlsx or CSV UTF-8 and import that',
    ],
    [
      "UTF-16 text",
      "a.csv",
      Buffer.from("\ufeffcode", "utf16le"),
      '"a.csv" is UTF-16 text: save it as "CSV UTF-8" or as .xlsx and import that',
    ],
    ["an empty zip", "a.xlsx", zipFile([]), '"a.xlsx" is not a CSV or XLSX file (looks like an empty ZIP archive)'],
  ])("refuses %s (%s)", async (_what, name, bytes, message) => {
    expect(await sniff(name, bytes)).toEqual({ ok: false, message });
  });

  it("refuses a zip that is not a workbook", async () => {
    const zip = zipFile([{ name: "notes.txt", data: Buffer.from("hello") }]);
    expect(await sniff("a.xlsx", zip)).toEqual({
      ok: false,
      message: '"a.xlsx" is not a CSV or XLSX file (looks like a ZIP archive)',
    });
    const docx = zipFile([{ name: "[Content_Types].xml" }, { name: "word/document.xml" }]);
    expect(await sniff("a.xlsx", docx)).toEqual({
      ok: false,
      message: '"a.xlsx" is not a CSV or XLSX file (looks like a Word document)',
    });
  });

  it("refuses a truncated zip", async () => {
    const zip = zipFile(xlsxParts);
    expect(await sniff("a.xlsx", zip.subarray(0, zip.length - 30))).toEqual({
      ok: false,
      message: '"a.xlsx" is a damaged ZIP file (no central directory)',
    });
  });

  it("refuses a zip bomb on its declared sizes, before unzipping anything", async () => {
    const bomb = zipFile([
      ...xlsxParts,
      {
        name: "xl/worksheets/sheet1.xml",
        data: Buffer.from("<x/>"),
        declaredSize: 900 * 1024 * 1024,
        declaredCompressedSize: 1024 * 1024,
      },
    ]);
    expect(await sniff("bomb.xlsx", bomb)).toEqual({
      ok: false,
      message: '"bomb.xlsx" was refused: "xl/worksheets/sheet1.xml" would expand 900 times (a zip bomb?)',
    });
  });

  it("refuses an XLSX too large once unpacked", async () => {
    const big = zipFile([
      ...xlsxParts,
      ...[1, 2, 3].map((n) => ({
        name: `xl/worksheets/sheet${n}.xml`,
        declaredSize: 400 * 1024 * 1024,
        declaredCompressedSize: 20 * 1024 * 1024,
      })),
    ]);
    expect(await sniff("big.xlsx", big)).toEqual({
      ok: false,
      message: '"big.xlsx" is too large once unpacked (1200 MB; the limit is 1024 MB)',
    });
  });

  it("refuses files over the size limit", async () => {
    const limits = { ...DEFAULT_SNIFF_LIMITS, maxFileBytes: 1024 * 1024 };
    expect(await sniff("big.csv", Buffer.alloc(1536 * 1024, "a"), limits)).toEqual({
      ok: false,
      message: '"big.csv" is too large (1.5 MB; the limit is 1 MB)',
    });
  });

  it("refuses too many zip entries", async () => {
    const zip = zipFile([...xlsxParts, { name: "a" }, { name: "b" }]);
    expect(await sniff("a.xlsx", zip, { ...DEFAULT_SNIFF_LIMITS, maxZipEntries: 3 })).toEqual({
      ok: false,
      message: '"a.xlsx" has too many parts (4 zip entries; the limit is 3)',
    });
  });

  it("reads the central directory of a real workbook", async () => {
    const xlsx = await xlsxFile("x", { Sheet1: [["code"], ["C1"]] });
    const entries = await readZipDirectory(xlsx, 100);
    expect(Array.isArray(entries) && entries.map((entry) => entry.name)).toContain("xl/worksheets/sheet1.xml");
  });
});

import path from "node:path";

import { describe, expect, it } from "vitest";

import { ImportContext } from "~/features/import/context";
import { previewTable } from "~/features/import/read-table";
import { sourceFromFile } from "~/features/import/source-file.server";

import { ledger, run } from "../../../fixtures/import/helpers";

// Written by tests/fixtures/import/make-xlsx-fixtures.py (openpyxl, pandas, XlsxWriter).
const fixture = (name: string) => sourceFromFile(path.resolve("tests/fixtures/import/xlsx", name));
const customers = () => new ImportContext(ledger({ C1: 30, C2: 30 }, { "INV-1": "C1", "INV-9": "C2" }));

describe("XLSX files as other tools write them", () => {
  it("openpyxl: a payments sheet named 收款, inline strings, date cells in five number formats, numeric amounts", async () => {
    const preview = await previewTable(await fixture("openpyxl-receipts.xlsx"), { maxRows: 10 });
    expect(preview).toMatchObject({ ok: true, format: "xlsx", encoding: null, sheet: "收款", sheets: [{ name: "收款", hidden: false }] });
    if (!preview.ok) return;
    expect(preview.header.values).toEqual(["收款单号", "客户编码", "收款日期", "金额", "备注"]);
    expect(preview.rows.map((row) => [row.line, ...row.values.slice(0, 4)])).toEqual([
      [2, "SK-001", "C1", "2026-01-05", "1200"],
      [3, "SK-002", "C1", "2026-02-28", "1234.5"],
      [4, "SK-003", "C2", "2026-03-31", "0.3"],
      // a date and time: the date
      [5, "SK-004", "C2", "2026-04-30", "99999.99"],
      [6, "SK-005", "C1", "2024-02-29", "50"],
    ]);

    const result = await run(await fixture("openpyxl-receipts.xlsx"), { kind: "payments" }, customers());
    expect(result.report).toEqual([]);
    expect(result.sheet).toBe("收款");
    expect(result.rows.map((row) => row.record)).toEqual([
      { paymentNo: "SK-001", customerCode: "C1", date: "2026-01-05", amount: 120000, invoiceNo: null },
      { paymentNo: "SK-002", customerCode: "C1", date: "2026-02-28", amount: 123450, invoiceNo: null },
      { paymentNo: "SK-003", customerCode: "C2", date: "2026-03-31", amount: 30, invoiceNo: null },
      { paymentNo: "SK-004", customerCode: "C2", date: "2026-04-30", amount: 9999999, invoiceNo: null },
      { paymentNo: "SK-005", customerCode: "C1", date: "2024-02-29", amount: 5000, invoiceNo: null },
    ]);
  });

  it("pandas: skips the notes sheet in front and reads the invoices on 应收发票 (shared strings, datetime formats)", async () => {
    const preview = await previewTable(await fixture("pandas-invoices.xlsx"), { recognise: (header) => header.includes("发票号") });
    expect(preview).toMatchObject({ ok: true, sheet: "应收发票", sheets: [{ name: "说明", hidden: false }, { name: "应收发票", hidden: false }] });

    const result = await run(await fixture("pandas-invoices.xlsx"), { kind: "invoices" }, customers());
    expect(result.report).toEqual([]);
    expect(result.sheet).toBe("应收发票");
    expect(result.rows.map((row) => row.record)).toEqual([
      { invoiceNo: "FP-001", customerCode: "C1", issueDate: "2026-01-15", dueDate: "2026-02-14", amount: 1130000 },
      { invoiceNo: "FP-002", customerCode: "C2", issueDate: "2026-02-01", dueDate: "2026-03-03", amount: 226050 },
      { invoiceNo: "FP-003", customerCode: "C1", issueDate: "2026-03-10", dueDate: "2026-04-09", amount: 7 },
    ]);
  });

  it("without a recognisable sheet, reads the first visible sheet with data", async () => {
    const preview = await previewTable(await fixture("pandas-invoices.xlsx"), { recognise: () => false });
    expect(preview).toMatchObject({ ok: true, sheet: "说明" });
    expect(preview.ok && preview.header.values).toEqual(["说明"]);
  });

  it("openpyxl: a hidden first sheet is passed over for the visible Payments sheet", async () => {
    const result = await run(await fixture("openpyxl-hidden-first.xlsx"), { kind: "payments" }, customers());
    expect(result.report).toEqual([]);
    expect(result.sheet).toBe("Payments");
    expect(result.rows.map((row) => [row.line, row.record])).toEqual([
      [2, { paymentNo: "P-100", customerCode: "C1", date: "2026-06-01", amount: 30000, invoiceNo: null }],
      [3, { paymentNo: "P-101", customerCode: "C2", date: "2026-06-02", amount: 4567, invoiceNo: "INV-9" }],
    ]);
    const preview = await previewTable(await fixture("openpyxl-hidden-first.xlsx"));
    expect(preview).toMatchObject({ sheets: [{ name: "旧数据", hidden: true }, { name: "Payments", hidden: false }] });
  });

  it("openpyxl: a sheet 300 columns wide, the last ledger column at KN", async () => {
    const result = await run(await fixture("openpyxl-wide.xlsx"), { kind: "customers" });
    expect(result.report).toEqual([]);
    expect(result.sheet).toBe("客户档案");
    expect(result.rows.map((row) => row.record)).toMatchObject([
      { code: "W-1", name: "宽表客户一", region: "华东" },
      { code: "W-2", name: "宽表客户二", region: "华南" },
    ]);
    // the other 297 columns are named once, in one warning
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]?.line).toBe(1);
  });

  it("XlsxWriter: constant-memory inline strings, a rich-text cell and a d-mmm-yyyy date", async () => {
    const result = await run(await fixture("xlsxwriter-adjustments.xlsx"), { kind: "adjustments" }, customers());
    expect(result.report).toEqual([]);
    expect(result.sheet).toBe("调整 Adjustments");
    expect(result.rows.map((row) => row.record)).toEqual([
      { adjustmentNo: "TZ-1", customerCode: "C1", date: "2026-05-20", amount: 8880, type: "credit_note", invoiceNo: "INV-1" },
    ]);
  });
});

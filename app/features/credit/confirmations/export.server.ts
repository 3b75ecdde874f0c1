import { PassThrough, type Readable } from "node:stream";

import ExcelJS from "exceljs";

import type { ConfirmationRow } from "~/features/credit/confirmations/queries.server";
import { type Locale, createI18n } from "~/i18n";
import type { IsoDate } from "~/kernel/ledger/types";
import { minorToMajorNumber, minorToMajorString } from "~/kernel/money";
import { UTF8_BOM, csvField, csvLine, csvText, neutraliseCellText } from "~/kernel/spreadsheet-safety";

/**
 * A batch's rows as CSV or XLSX in customer order, written as read; text cells neutralised
 * against formula injection, amounts as numbers in major units.
 */
const COLUMNS = [
  "customer",
  "customerName",
  "owner",
  "region",
  "ourBalance",
  "sent",
  "channel",
  "returned",
  "state",
  "difference",
  "note",
  "resolved",
  "resolutionNote",
] as const;

type Cell = { text: string | null } | { minor: number | null };

export type ConfirmationsExportFormat = "csv" | "xlsx";

export const CONFIRMATIONS_CONTENT_TYPES: Record<ConfirmationsExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

export function confirmationsExportFileName(batch: { id: number; periodEnd: IsoDate }, format: ConfirmationsExportFormat): string {
  return `confirmations-${batch.id}-${batch.periodEnd}.${format}`;
}

export function confirmationsExportStream(
  format: ConfirmationsExportFormat,
  batch: { periodEnd: IsoDate },
  rows: AsyncIterable<ConfirmationRow>,
  locale: Locale,
): Readable {
  const { t } = createI18n(locale);
  const headers = COLUMNS.map((column) => t(`confirmations.table.${column}`));
  const cells = (row: ConfirmationRow): Cell[] => [
    { text: row.customerCode },
    { text: row.customerName },
    { text: row.ownerName },
    { text: row.region },
    { minor: row.ourBalance },
    { text: row.sentOn },
    { text: row.channel ? t(`confirmations.channels.${row.channel}`) : null },
    { text: row.returnedOn },
    { text: t(`confirmations.states.${row.state}`) },
    { minor: row.result === "mismatched" ? row.difference : null },
    { text: row.note || null },
    { text: row.resolvedOn },
    { text: row.resolutionNote },
  ];
  const out = new PassThrough();
  const run = async () => {
    if (format === "csv") {
      out.write(UTF8_BOM + csvLine(headers.map(csvField)));
      for await (const row of rows) {
        if (out.destroyed) return;
        const line = csvLine(cells(row).map((cell) => ("text" in cell ? csvText(cell.text) : cell.minor === null ? "" : minorToMajorString(cell.minor))));
        if (!out.write(line)) await new Promise((resolve) => out.once("drain", resolve));
      }
      out.end();
      return;
    }
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet(batch.periodEnd);
    sheet.columns = COLUMNS.map((column, i) => ({
      header: headers[i],
      key: column,
      width: column === "customerName" || column === "note" ? 36 : 16,
      style: column === "ourBalance" || column === "difference" ? { numFmt: "#,##0.00;-#,##0.00" } : {},
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for await (const row of rows) {
      if (out.destroyed) return;
      sheet
        .addRow(cells(row).map((cell) => ("text" in cell ? (cell.text === null ? null : neutraliseCellText(cell.text)) : cell.minor === null ? null : minorToMajorNumber(cell.minor))))
        .commit();
    }
    sheet.commit();
    await workbook.commit();
  };
  run().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

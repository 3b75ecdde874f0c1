import { PassThrough, type Readable } from "node:stream";

import ExcelJS from "exceljs";

import type { HoldKind } from "~/features/credit/holds/holds";
import type { HoldsExportList } from "~/features/credit/holds/holds.server";
import type { HoldInForceRow, LimitRow } from "~/features/credit/holds/lists";
import { type Locale, createI18n } from "~/i18n";
import type { IsoDate } from "~/kernel/ledger/types";
import { minorToMajorNumber, minorToMajorString } from "~/kernel/money";
import { UTF8_BOM, csvField, csvLine, csvText, neutraliseCellText } from "~/kernel/spreadsheet-safety";
import { dateInTimeZone } from "~/server/clock.server";
import { drained } from "~/server/stream-drain.server";

/** The holds in force and the over-limit list as files, from rows the use case read. */

// ---------------------------------------------------------------- export files

export type HoldsExportFormat = "csv" | "xlsx";

export const HOLDS_CONTENT_TYPES: Record<HoldsExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

export function holdsExportFileName(list: HoldsExportList, asOf: IsoDate, format: HoldsExportFormat): string {
  return `${list === "holds" ? "holds" : "over-limit"}-${asOf}.${format}`;
}

type Cell = { kind: "text"; value: string | null } | { kind: "amount"; minor: number | null } | { kind: "number"; value: number };

interface Column {
  key: string;
  label: string;
  kind: Cell["kind"];
}

const HOLD_COLUMNS: Column[] = [
  { key: "code", label: "code", kind: "text" },
  { key: "name", label: "name", kind: "text" },
  { key: "owner", label: "owner", kind: "text" },
  { key: "region", label: "region", kind: "text" },
  { key: "kind", label: "kind", kind: "text" },
  { key: "since", label: "since", kind: "text" },
  { key: "reason", label: "reason", kind: "text" },
  { key: "setBy", label: "setBy", kind: "text" },
  { key: "ar", label: "ar", kind: "amount" },
  { key: "limit", label: "limit", kind: "amount" },
];

const LIMIT_COLUMNS: Column[] = [
  { key: "code", label: "code", kind: "text" },
  { key: "name", label: "name", kind: "text" },
  { key: "owner", label: "owner", kind: "text" },
  { key: "region", label: "region", kind: "text" },
  { key: "grade", label: "grade", kind: "text" },
  { key: "ar", label: "ar", kind: "amount" },
  { key: "limit", label: "limit", kind: "amount" },
  { key: "utilisation", label: "utilisation", kind: "number" },
  { key: "kind", label: "kind", kind: "text" },
];

function csvCell(cell: Cell): string {
  if (cell.kind === "text") return csvText(cell.value);
  if (cell.kind === "number") return String(cell.value);
  return cell.minor === null ? "" : minorToMajorString(cell.minor);
}

function xlsxValue(cell: Cell): string | number | null {
  if (cell.kind === "text") return cell.value === null ? null : neutraliseCellText(cell.value);
  if (cell.kind === "number") return cell.value;
  return cell.minor === null ? null : minorToMajorNumber(cell.minor);
}

/**
 * The holds in force (or the over-limit list) as CSV or XLSX, written row by row as read: text
 * cells neutralised against formula injection, amounts as numbers in major units.
 */
export function holdsExportStream(
  list: HoldsExportList,
  format: HoldsExportFormat,
  data: { holds: readonly HoldInForceRow[]; limits: readonly LimitRow[]; locale: Locale; timeZone: string },
): Readable {
  const out = new PassThrough();
  const { t } = createI18n(data.locale);
  const columns = list === "holds" ? HOLD_COLUMNS : LIMIT_COLUMNS;
  const headers = columns.map((column) => t(`holds.exportColumns.${column.label}`));
  const kindText = (kind: HoldKind | null) => (kind ? t(`holds.kind.${kind}`) : null);
  const rows: () => Generator<Cell[]> =
    list === "holds"
      ? function* () {
          for (const row of data.holds) {
            yield [
              { kind: "text", value: row.code },
              { kind: "text", value: row.name },
              { kind: "text", value: row.ownerName },
              { kind: "text", value: row.region },
              { kind: "text", value: kindText(row.kind) },
              // The day the page shows: the instant's date in the installation's time zone, not UTC's.
              { kind: "text", value: dateInTimeZone(new Date(row.since), data.timeZone) },
              { kind: "text", value: row.reason },
              { kind: "text", value: row.setByName },
              { kind: "amount", minor: row.arTotal },
              { kind: "amount", minor: row.creditLimit },
            ];
          }
        }
      : function* () {
          for (const row of data.limits) {
            yield [
              { kind: "text", value: row.code },
              { kind: "text", value: row.name },
              { kind: "text", value: row.ownerName },
              { kind: "text", value: row.region },
              { kind: "text", value: row.grade },
              { kind: "amount", minor: row.arTotal },
              { kind: "amount", minor: row.creditLimit },
              { kind: "number", value: Math.round(row.utilisation * 1000) / 10 },
              { kind: "text", value: kindText(row.holdKind) },
            ];
          }
        };

  const run = async () => {
    if (format === "csv") {
      if (!out.write(UTF8_BOM + csvLine(headers.map(csvField)))) await drained(out);
      for (const cells of rows()) {
        if (out.destroyed) return;
        if (!out.write(csvLine(cells.map(csvCell)))) await drained(out);
      }
      out.end();
      return;
    }
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet(list === "holds" ? "holds" : "over-limit");
    sheet.columns = columns.map((column, i) => ({
      header: headers[i],
      key: column.key,
      width: column.kind === "text" ? (column.key === "name" || column.key === "reason" ? 36 : 14) : 16,
      style: column.kind === "amount" ? { numFmt: "#,##0.00;-#,##0.00" } : column.kind === "number" ? { numFmt: "0.0" } : {},
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for (const cells of rows()) {
      if (out.destroyed) return;
      sheet.addRow(cells.map(xlsxValue)).commit();
      if (out.writableLength > out.writableHighWaterMark) await drained(out);
    }
    sheet.commit();
    await workbook.commit();
  };
  run().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

import { PassThrough, type Readable } from "node:stream";

import ExcelJS from "exceljs";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { type LedgerScope, ledgerScopeOf } from "~/kernel/ledger/scope";
import { csvField, csvLine, csvText, neutraliseCellText, UTF8_BOM } from "~/kernel/spreadsheet-safety";
import { minorToMajorString } from "~/kernel/money";
import {
  EXPORT_COLUMNS,
  type ExportCell,
  type StatusMonth,
  type StatusParams,
  exportCells,
  exportTotalsCells,
  readStatusParams,
  resolveStatusMonth,
  spreadsheetAmount,
} from "~/features/status-table/status-table";
import { type Locale, createI18n } from "~/i18n";
import { StatusLedgerBusyError, ensureStatusPositions, openStatusCursor } from "~/features/status-table/queries.server";
import { drained } from "~/server/stream-drain.server";

/**
 * The status table's request handling shared by the page and the export: who asks (staff see
 * their own customers), which month (400 for an impossible one), the positions brought up to date.
 */
export interface StatusRequest {
  scope: LedgerScope;
  params: StatusParams;
  month: StatusMonth;
  locale: Locale;
}

export async function readStatusRequest(request: Request): Promise<StatusRequest> {
  const user = await requirePermission(request, "ledger:read");
  const params = readStatusParams(new URL(request.url).searchParams);
  const resolved = resolveStatusMonth(params.month, today());
  if (!resolved.ok) throw new Response(resolved.message, { status: 400, statusText: "Bad Request" });
  try {
    await ensureStatusPositions(getDb());
  } catch (error) {
    if (error instanceof StatusLedgerBusyError) {
      throw new Response(error.message, { status: 503, headers: { "Retry-After": "30" } });
    }
    throw error;
  }
  return { scope: ledgerScopeOf(user), params, month: resolved.month, locale: user.locale };
}

// ---------------------------------------------------------------- exports

export type ExportFormat = "csv" | "xlsx";

const AMOUNT_FORMAT = "#,##0.00;-#,##0.00";

function headers(locale: Locale): string[] {
  const { t } = createI18n(locale);
  return EXPORT_COLUMNS.map((column) => t(`status.columns.${column.label}`));
}

function csvCell(cell: ExportCell): string {
  if (cell.kind === "text") return csvText(cell.value);
  return cell.minor === null ? "" : minorToMajorString(cell.minor);
}

function xlsxValue(cell: ExportCell): string | number | null {
  if (cell.kind === "text") return cell.value === null ? null : neutraliseCellText(cell.value);
  return cell.minor === null ? null : spreadsheetAmount(cell.minor);
}

/** Writes to `out` with back-pressure. */
function write(out: PassThrough, chunk: string): Promise<void> | void {
  if (!out.write(chunk)) return drained(out);
}

/**
 * Streams the filtered table as CSV or XLSX: rows are read from the database and written one at a
 * time (exceljs' streaming writer commits each row), so memory stays flat however many customers.
 */
export function statusExportStream(status: StatusRequest, format: ExportFormat): Readable {
  const out = new PassThrough();
  const cursor = openStatusCursor(
    { month: status.month, scope: status.scope, filters: status.params.filters },
    { sort: status.params.sort, dir: status.params.dir },
  );
  const totalsLabel = createI18n(status.locale).t("status.totals");

  const run = async () => {
    if (format === "csv") {
      await write(out, UTF8_BOM + csvLine(headers(status.locale).map(csvField)));
      for (const row of cursor.rows()) {
        if (out.destroyed) return;
        const pending = write(out, csvLine(exportCells(row).map(csvCell)));
        if (pending) await pending;
      }
      await write(out, csvLine(exportTotalsCells(cursor.totals, totalsLabel).map(csvCell)));
      out.end();
      return;
    }
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    const sheet = workbook.addWorksheet(status.month.month);
    sheet.columns = EXPORT_COLUMNS.map((column, i) => ({
      header: headers(status.locale)[i],
      key: column.key,
      width: column.kind === "amount" ? 16 : column.key === "name" ? 36 : 14,
      style: column.kind === "amount" ? { numFmt: AMOUNT_FORMAT } : {},
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for (const row of cursor.rows()) {
      if (out.destroyed) return;
      sheet.addRow(exportCells(row).map(xlsxValue)).commit();
      // Let the compressor's output drain between rows so buffered output stays small.
      if (out.writableLength > out.writableHighWaterMark) await drained(out);
    }
    const totals = sheet.addRow(exportTotalsCells(cursor.totals, totalsLabel).map(xlsxValue));
    totals.font = { bold: true };
    totals.commit();
    sheet.commit();
    await workbook.commit();
  };

  run()
    .catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))))
    .finally(() => cursor.close());
  return out;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

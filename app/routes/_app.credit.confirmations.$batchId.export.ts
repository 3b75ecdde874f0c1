import { PassThrough } from "node:stream";

import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import ExcelJS from "exceljs";

import { requirePermission } from "~/server/auth.server";
import { readBatchId, readBatchView } from "~/features/credit/confirmations/confirmations.server";
import { getDb } from "~/server/db.server";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import { minorToMajorNumber, minorToMajorString } from "~/kernel/money";
import { UTF8_BOM, csvField, csvLine, csvText, neutraliseCellText } from "~/kernel/spreadsheet-safety";
import { createI18n } from "~/i18n";
import { type ConfirmationRow, allBatchRows, findBatch } from "~/features/credit/confirmations/queries.server";

/**
 * `/credit/confirmations/:batchId/export?format=csv|xlsx` plus the page's filters: the batch's
 * rows in customer order, streamed as read; text cells neutralised against formula injection.
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

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const batchId = readBatchId(params.batchId);
  const search = new URL(request.url).searchParams;
  const format = search.get("format");
  if (format !== "csv" && format !== "xlsx") throw new Response("format must be xlsx or csv", { status: 400 });
  const db = getDb();
  const batch = await findBatch(db, batchId);
  if (!batch) throw new Response("No such confirmation batch.", { status: 404 });
  const { t } = createI18n(user.locale);
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
  const rows = allBatchRows(db, batchId, ledgerScopeOf(user), readBatchView(search).filters);
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
  return new Response(createReadableStreamFromReadable(out), {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="confirmations-${batch.id}-${batch.periodEnd}.${format}"`,
      "Cache-Control": "no-store",
    },
  });
}

import type { Readable } from "node:stream";

import type { Db } from "~/server/db.server";
import { GenerationCache } from "~/server/generation-cache.server";
import { type SpreadsheetFormat, type SpreadsheetSheet, spreadsheetStream } from "~/server/spreadsheet.server";
import { AppError } from "~/kernel/app-error";
import type { IsoDate } from "~/kernel/ledger/types";
import { type LedgerScope, ledgerScopeOf } from "~/kernel/ledger/scope";
import type { Role } from "~/kernel/permissions";
import { customerFilterOptions } from "~/features/ledger/index.server";
import {
  EXPORT_COLUMNS,
  type StatusMonth,
  type StatusParams,
  exportCells,
  exportFileName,
  exportTotalsCells,
  latestStatusMonth,
  readStatusParams,
  resolveStatusMonth,
  statusMonthForPage,
} from "~/features/status-table/status-table";
import { type Locale, createI18n } from "~/i18n";
import { openStatusCursor, statusTable } from "~/features/status-table/queries.server";

/**
 * The status table's use cases: the page and the export. They only read: the positions are kept
 * by the import and the background job (status-keeper.server.ts); customers whose documents were
 * changed some other way show their last written positions until the job has caught up.
 */

export interface StatusViewer {
  id: number;
  role: Role;
  locale: Locale;
}

/** Rows per page; the totals row always covers the whole filtered set. */
const PAGE_SIZE = 100;

interface StatusRequest {
  scope: LedgerScope;
  params: StatusParams;
  month: StatusMonth;
}

/** For the export: who asks (staff see their own customers) and which month: an impossible one is refused (400). */
function statusRequest(viewer: StatusViewer, search: URLSearchParams, today: IsoDate): StatusRequest {
  const params = readStatusParams(search);
  const resolved = resolveStatusMonth(params.month, today);
  if (!resolved.ok) throw AppError.field("month", "status.errors.month");
  return { scope: ledgerScopeOf(viewer), params, month: resolved.month };
}

/**
 * One page of the filtered table, its totals, and the filters' choices. A month that cannot be
 * shown (not begun, not written YYYY-MM) is not refused here: the page shows a month that can be,
 * its filters kept, and says at the month field what was wrong (`monthProblem`).
 */
export async function loadStatusPage(db: Db, viewer: StatusViewer, search: URLSearchParams, today: IsoDate) {
  const params = readStatusParams(search);
  const { month, problem } = statusMonthForPage(params.month, today);
  const scope = ledgerScopeOf(viewer);
  // A page's rows only change when the database does: kept per viewer, request and business date until the next write.
  const key = JSON.stringify([viewer.id, viewer.role, viewer.locale, today, month.month, scopeKey(scope), params]);
  return statusPageCache.get(db, key, () => computeStatusPage(db, { scope, params, month }, { monthProblem: problem, maxMonth: latestStatusMonth(today) }));
}

type StatusPage = Awaited<ReturnType<typeof computeStatusPage>>;
const statusPageCache = new GenerationCache<StatusPage>(100);

function scopeKey(scope: LedgerScope): string {
  return JSON.stringify(scope);
}

async function computeStatusPage(
  db: Db,
  { scope, params, month }: StatusRequest,
  field: { monthProblem: ReturnType<typeof statusMonthForPage>["problem"]; maxMonth: string },
) {
  const [table, options] = await Promise.all([
    statusTable(
      db,
      { month, scope, filters: params.filters },
      { sort: params.sort, dir: params.dir, page: params.page, pageSize: PAGE_SIZE },
    ),
    customerFilterOptions(db, scope),
  ]);
  return {
    month,
    ...table,
    options,
    /** staff see only their own customers: an owner filter would offer nothing */
    ownerFilter: scope.kind === "all",
    state: { month: month.month, filters: params.filters, sort: params.sort, dir: params.dir },
    /** what was wrong with the month asked (an i18n key for the month field), or null */
    monthProblem: field.monthProblem,
    /** the month field's `max`: the month in progress */
    maxMonth: field.maxMonth,
  };
}

export interface StatusExport {
  fileName: string;
  /** the file's bytes, written as the rows are read */
  body: Readable;
}

/**
 * The filtered table (every row, in the page's order, totals last) as CSV or XLSX, streamed from
 * a read transaction of its own, so memory stays flat however many customers.
 */
export async function exportStatusTable(
  db: Db,
  viewer: StatusViewer,
  search: URLSearchParams,
  format: SpreadsheetFormat,
  today: IsoDate,
): Promise<StatusExport> {
  const { scope, params, month } = statusRequest(viewer, search, today);
  const { t } = createI18n(viewer.locale);
  const cursor = await openStatusCursor(db, { month, scope, filters: params.filters }, { sort: params.sort, dir: params.dir });
  const sheet: SpreadsheetSheet = {
    name: month.month,
    columns: EXPORT_COLUMNS.map((column) => ({
      header: t(`status.columns.${column.label}`),
      width: column.kind === "amount" ? 16 : column.key === "name" ? 36 : 14,
    })),
    rows: (async function* () {
      for await (const row of cursor.rows()) yield exportCells(row);
    })(),
    totals: () => [exportTotalsCells(cursor.totals, t("status.totals"))],
  };
  return { fileName: exportFileName(month.month, format), body: spreadsheetStream(format, [sheet], () => cursor.close()) };
}

import ExcelJS from "exceljs";

import { type CurrentUser, requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { type Db, getDb } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import {
  type BookFigures,
  EXPORT_COLUMNS,
  type ExportFormat,
  type ScoreboardPeriod,
  type ScoreboardView,
  buildScoreboard,
  csvValue,
  exportCells,
  openingDate,
  presetPeriod,
  scoreboardFor,
  xlsxNumber,
} from "~/features/scoreboard/scoreboard";
import { UTF8_BOM, csvField, csvLine, csvText, neutraliseCellText } from "~/kernel/spreadsheet-safety";
import { type Locale, createI18n } from "~/i18n";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/index.server";
import { scoreboardItems, scoreboardOwners } from "~/features/scoreboard/queries.server";
import { getSettings } from "~/features/settings/index.server";
import { scoreboardPeriodSchema, scoreboardPresetSchema } from "~/features/scoreboard/schema";

/**
 * The scoreboard's request handling shared by the page and the export: who asks (ledger:read;
 * staff see their own row), which period (a quick pick, typed dates, or this fiscal quarter to
 * date), and the figures, every one of them from the KPI service.
 */

export interface PeriodForm {
  start: string;
  end: string;
}

export type ScoreboardRequest =
  | { ok: true; user: CurrentUser; period: ScoreboardPeriod; form: PeriodForm; today: IsoDate; fiscalStartMonth: number }
  | {
      ok: false;
      user: CurrentUser;
      /** i18n keys per field */
      fieldErrors: Record<string, string[]>;
      form: PeriodForm;
      today: IsoDate;
      fiscalStartMonth: number;
    };

export async function readScoreboardRequest(request: Request): Promise<ScoreboardRequest> {
  const user = await requirePermission(request, "ledger:read");
  const { fiscalStartMonth } = await getSettings(getDb());
  const day = today();
  const params = new URL(request.url).searchParams;
  const preset = params.get("preset");
  const start = params.get("start");
  const end = params.get("end");
  const context = { user, today: day, fiscalStartMonth };
  if (preset !== null && preset !== "") {
    const parsed = scoreboardPresetSchema.safeParse(preset);
    if (!parsed.success) {
      return { ok: false, ...context, fieldErrors: { preset: ["scoreboard.errors.badPreset"] }, form: { start: start ?? "", end: end ?? "" } };
    }
    const period = presetPeriod(parsed.data, day, fiscalStartMonth);
    return { ok: true, ...context, period, form: { ...period } };
  }
  if ((start === null || start === "") && (end === null || end === "")) {
    const period = presetPeriod("quarterToDate", day, fiscalStartMonth);
    return { ok: true, ...context, period, form: { ...period } };
  }
  const form = { start: start ?? "", end: end ?? "" };
  const parsed = scoreboardPeriodSchema.safeParse(form);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
    return { ok: false, ...context, fieldErrors, form };
  }
  return { ok: true, ...context, period: { start: parsed.data.start, end: parsed.data.end }, form };
}

/** The KPI service's collected, overdue at the start and at the end, for one scope and period. */
export async function bookFigures(db: Db, scope: string, period: ScoreboardPeriod): Promise<BookFigures> {
  // The baseline is the day before the start, so one call gives the overdue at both ends.
  const { values } = await kpiValues(
    db,
    resolveKpiRequest({ asOf: period.end, scope, periodStart: period.start, baseline: openingDate(period) }),
  );
  return { collected: values.collected, overdueAtStart: values.overdue_at_baseline, overdueAtEnd: values.overdue_total };
}

const NO_BOOK: BookFigures = { collected: 0, overdueAtStart: 0, overdueAtEnd: 0 };

export async function loadScoreboard(db: Db, period: ScoreboardPeriod, viewer: { id: number; role: CurrentUser["role"] }): Promise<ScoreboardView> {
  const [owners, items, company] = await Promise.all([
    scoreboardOwners(db, period),
    scoreboardItems(db, period),
    bookFigures(db, "company", period),
  ]);
  const figures = await Promise.all(
    owners.map((owner) => (owner.customers > 0 ? bookFigures(db, `owner:${owner.email}`, period) : Promise.resolve(NO_BOOK))),
  );
  const board = buildScoreboard({
    period,
    company,
    items,
    owners: owners.map((owner, i) => ({
      ownerId: owner.id,
      name: owner.name,
      email: owner.email,
      role: owner.role,
      active: owner.active,
      customers: owner.customers,
      figures: figures[i],
    })),
  });
  return scoreboardFor(board, viewer);
}

// ---------------------------------------------------------------- exports

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

const NUMBER_FORMATS = { amount: "#,##0.00;-#,##0.00", ratio: "0.00%", count: "0" } as const;

function exportHeaders(locale: Locale): string[] {
  const { t } = createI18n(locale);
  return EXPORT_COLUMNS.map((column) => t(`scoreboard.columns.${column.key}`));
}

function exportLabels(locale: Locale) {
  const { t } = createI18n(locale);
  return { unowned: t("scoreboard.unowned"), totals: t("scoreboard.totals") };
}

/** UTF-8 with a BOM (Excel then reads Chinese right), CRLF lines, text neutralised against formulas. */
export function scoreboardCsv(view: ScoreboardView, locale: Locale): string {
  const lines = [csvLine(exportHeaders(locale).map(csvField))];
  for (const row of exportCells(view, exportLabels(locale))) {
    lines.push(csvLine(row.map((cell) => (cell.kind === "text" ? csvText(cell.value) : csvValue(cell)))));
  }
  return UTF8_BOM + lines.join("");
}

/** One sheet named after the period; amounts and ratios are numeric cells with number formats. */
export async function scoreboardXlsx(view: ScoreboardView, locale: Locale): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(`${view.period.start} to ${view.period.end}`);
  const headers = exportHeaders(locale);
  sheet.columns = EXPORT_COLUMNS.map((column, i) => ({
    header: headers[i],
    key: column.key,
    width: column.kind === "amount" ? 18 : column.kind === "text" ? 30 : 12,
    style: column.kind === "text" ? {} : { numFmt: NUMBER_FORMATS[column.kind] },
  }));
  sheet.getRow(1).font = { bold: true };
  const rows = exportCells(view, exportLabels(locale));
  rows.forEach((cells, index) => {
    const row = sheet.addRow(cells.map((cell) => (cell.kind === "text" ? (cell.value === null ? null : neutraliseCellText(cell.value)) : xlsxNumber(cell))));
    if (index >= view.rows.length) row.font = { bold: index === rows.length - 1 };
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

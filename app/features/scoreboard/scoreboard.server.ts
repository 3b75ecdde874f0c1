import type { CurrentUser } from "~/server/auth.server";
import type { Db } from "~/server/db.server";
import { type SpreadsheetCell, type SpreadsheetFormat, spreadsheetBytes } from "~/server/spreadsheet.server";
import { AppError } from "~/kernel/app-error";
import type { IsoDate } from "~/kernel/ledger/types";
import {
  type BookFigures,
  EXPORT_COLUMNS,
  type ExportCell,
  type ScoreboardPeriod,
  type ScoreboardView,
  buildScoreboard,
  csvValue,
  exportCells,
  exportFileName,
  openingDate,
  presetPeriod,
  scoreboardFor,
  xlsxNumber,
} from "~/features/scoreboard/scoreboard";
import { createI18n } from "~/i18n";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/index.server";
import { scoreboardItems, scoreboardOwners } from "~/features/scoreboard/queries.server";
import { getSettings } from "~/features/settings/index.server";
import { scoreboardPeriodSchema, scoreboardPresetSchema } from "~/features/scoreboard/schema";
import { type OwnerScore, type ScoringRules, scoreOwners } from "~/features/scoreboard/scoring";
import { getScoringRules, promisesByOwner } from "~/features/scoreboard/scoring.server";

/**
 * The scoreboard's use cases, the page and the export: which period (a quick pick, typed dates,
 * or this fiscal quarter to date), and the figures, every one of them from the KPI service.
 * Staff see their own row. The routes check the permission (ledger:read) and read the request.
 */

export interface PeriodForm {
  start: string;
  end: string;
}

type Viewer = Pick<CurrentUser, "id" | "role" | "locale">;

export type ScoreboardPeriodChoice =
  | { ok: true; period: ScoreboardPeriod; form: PeriodForm }
  /** fieldErrors: i18n keys per field */
  | { ok: false; fieldErrors: Record<string, string[]>; form: PeriodForm };

/** The period the query string asks for (`preset`, or `start` and `end`; neither: this quarter to date). */
export function scoreboardPeriodOf(search: URLSearchParams, today: IsoDate, fiscalStartMonth: number): ScoreboardPeriodChoice {
  const preset = search.get("preset");
  const start = search.get("start");
  const end = search.get("end");
  if (preset !== null && preset !== "") {
    const parsed = scoreboardPresetSchema.safeParse(preset);
    if (!parsed.success) return { ok: false, fieldErrors: { preset: ["scoreboard.errors.badPreset"] }, form: { start: start ?? "", end: end ?? "" } };
    const period = presetPeriod(parsed.data, today, fiscalStartMonth);
    return { ok: true, period, form: { ...period } };
  }
  if ((start === null || start === "") && (end === null || end === "")) {
    const period = presetPeriod("quarterToDate", today, fiscalStartMonth);
    return { ok: true, period, form: { ...period } };
  }
  const form = { start: start ?? "", end: end ?? "" };
  const parsed = scoreboardPeriodSchema.safeParse(form);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
    return { ok: false, fieldErrors, form };
  }
  return { ok: true, period: { start: parsed.data.start, end: parsed.data.end }, form };
}

const NO_FIELD_ERRORS: Record<string, string[]> = {};

/**
 * The page: the form as asked and the board, or (a bad period, answered on the page itself with
 * the form to correct it) the form's errors and no board.
 */
export async function loadScoreboardPage(db: Db, viewer: Viewer, search: URLSearchParams, today: IsoDate) {
  const { fiscalStartMonth } = await getSettings(db);
  const choice = scoreboardPeriodOf(search, today, fiscalStartMonth);
  const who = { id: viewer.id, role: viewer.role };
  if (!choice.ok) return { form: choice.form, fieldErrors: choice.fieldErrors, viewer: who, board: null };
  const board = await loadScoreboard(db, choice.period, viewer);
  return { form: choice.form, fieldErrors: NO_FIELD_ERRORS, viewer: who, board };
}

/** The KPI service's collected, overdue at the start and at the end, for one scope and period. */
export async function bookFigures(db: Db, scope: string, period: ScoreboardPeriod): Promise<BookFigures> {
  return (await bookKpis(db, scope, period)).figures;
}

/** The book's figures and its KPI `collection_rate` (for the scoring), from one KPI call. */
async function bookKpis(db: Db, scope: string, period: ScoreboardPeriod): Promise<{ figures: BookFigures; collectionRate: number | null }> {
  // The baseline is the day before the start, so one call gives the overdue at both ends.
  const { values } = await kpiValues(
    db,
    resolveKpiRequest({ asOf: period.end, scope, periodStart: period.start, baseline: openingDate(period) }),
  );
  return {
    figures: { collected: values.collected, overdueAtStart: values.overdue_at_baseline, overdueAtEnd: values.overdue_total },
    collectionRate: values.collection_rate,
  };
}

const NO_BOOK = { figures: { collected: 0, overdueAtStart: 0, overdueAtEnd: 0 }, collectionRate: null };

/** The board with each row's score (考核) under the department's scoring rules. */
export interface ScoredScoreboardView extends Omit<ScoreboardView, "rows"> {
  rows: (ScoreboardView["rows"][number] & { score: OwnerScore })[];
  scoring: ScoringRules;
}

export async function loadScoreboard(db: Db, period: ScoreboardPeriod, viewer: { id: number; role: CurrentUser["role"] }): Promise<ScoredScoreboardView> {
  const [owners, items, company, promises, scoring] = await Promise.all([
    scoreboardOwners(db, period),
    scoreboardItems(db, period),
    bookFigures(db, "company", period),
    promisesByOwner(db, period),
    getScoringRules(db),
  ]);
  const withKpis = await Promise.all(
    owners.map(async (owner) => ({ owner, kpis: owner.customers > 0 ? await bookKpis(db, `owner:${owner.email}`, period) : NO_BOOK })),
  );
  const withFigures = withKpis.map(({ owner, kpis }) => ({ owner, figures: kpis.figures }));
  const collectionRates = new Map(withKpis.map(({ owner, kpis }) => [owner.id, kpis.collectionRate]));
  const board = buildScoreboard({
    period,
    company,
    items,
    owners: withFigures.map(({ owner, figures }) => ({
      ownerId: owner.id,
      name: owner.name,
      email: owner.email,
      role: owner.role,
      active: owner.active,
      customers: owner.customers,
      figures,
    })),
  });
  // scored on the whole board, before staff are cut down to their own row, so a rank is among everyone
  const scores = scoreOwners(
    board.rows.map((row) => ({
      ownerId: row.ownerId,
      scorable: row.rank !== null,
      collectionRate: collectionRates.get(row.ownerId) ?? null,
      overdueAtStart: row.figures.overdueAtStart,
      overdueAtEnd: row.figures.overdueAtEnd,
      promises: promises.get(row.ownerId) ?? { due: 0, done: 0 },
      items: { due: row.items.due, done: row.items.onTime },
    })),
    scoring.rules,
  );
  const scoreOf = new Map(scores.map((score) => [score.ownerId, score]));
  const view = scoreboardFor(board, viewer);
  // every row of the view is a row of the board, and each board row was scored
  return { ...view, scoring: scoring.rules, rows: view.rows.map((row) => ({ ...row, score: scoreOf.get(row.ownerId)! })) };
}

// ---------------------------------------------------------------- exports

const NUMBER_FORMATS = { ratio: "0.00%", count: "0" } as const;

function spreadsheetCell(cell: ExportCell): SpreadsheetCell {
  switch (cell.kind) {
    case "text":
    case "amount":
      return cell;
    case "ratio":
    case "count":
      return { kind: "number", value: xlsxNumber(cell), format: NUMBER_FORMATS[cell.kind], csv: csvValue(cell) };
  }
}

const SCORE_COLUMNS = ["points", "scoreRank", "warning"] as const;

/** An owner row's points (one decimal), rank by points and warning; empty on the unowned and totals lines. */
function scoreCells(score: OwnerScore | null, warningText: string): SpreadsheetCell[] {
  return [
    { kind: "number", value: score?.points ?? null, format: "0.0", csv: score?.points == null ? "" : score.points.toFixed(1) },
    { kind: "number", value: score?.rank ?? null, format: "0", csv: score?.rank == null ? "" : String(score.rank) },
    { kind: "text", value: score?.warning ? warningText : null },
  ];
}

/**
 * The rows the page shows, in its order, then the unowned customers (head and leadership) and the
 * company's totals (bold). A handful of rows: built in memory. A bad period is refused (400).
 */
export async function exportScoreboard(db: Db, viewer: Viewer, search: URLSearchParams, format: SpreadsheetFormat, today: IsoDate) {
  const { fiscalStartMonth } = await getSettings(db);
  const choice = scoreboardPeriodOf(search, today, fiscalStartMonth);
  if (!choice.ok) throw AppError.invalid(choice.fieldErrors, "scoreboard.errors.title");
  const view = await loadScoreboard(db, choice.period, viewer);
  const { t } = createI18n(viewer.locale);
  const rows = exportCells(view, { unowned: t("scoreboard.unowned"), totals: t("scoreboard.totals") }).map((row, index) => [
    ...row.map(spreadsheetCell),
    ...scoreCells(view.rows[index]?.score ?? null, t("scoreboard.scoring.warning")),
  ]);
  const totals = rows.splice(rows.length - 1, 1);
  const bytes = await spreadsheetBytes(format, [
    {
      name: `${view.period.start} to ${view.period.end}`,
      columns: [
        ...EXPORT_COLUMNS.map((column) => ({
          header: t(`scoreboard.columns.${column.key}`),
          width: column.kind === "amount" ? 18 : column.kind === "text" ? 30 : 12,
        })),
        ...SCORE_COLUMNS.map((key) => ({ header: t(`scoreboard.scoring.columns.${key}`), width: 12 })),
      ],
      rows,
      totals: () => totals,
    },
  ]);
  return { fileName: exportFileName(choice.period, format), bytes };
}

import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import { AppError } from "~/kernel/app-error";
import type { Actor } from "~/features/plans";
import type { Locale } from "~/i18n";
import { recordAudit } from "~/features/audit/index.server";
import { getSettings } from "~/features/settings/index.server";
import { type ReviewViewer, type YearReview, datesOf } from "~/features/year-review/year-review.server";
import { loadPeriodReview } from "~/features/year-review/period-review.server";
import { type ReportPeriod, begunPeriods, periodDates, periodLabel, reportPath } from "~/features/year-review/report-period";
import { type PeriodScoring, scoringSentence } from "~/features/year-review/report-scoring";
import { periodScoring } from "~/features/year-review/scoring.server";
import { type ReportLanguage, type ReportSection, type ReportTexts, REPORT_SECTIONS, reportDraft } from "~/features/year-review/report-draft";
import { type NextYearProjection, projectionSentence } from "~/features/year-review/next-year";
import { nextYearSection } from "~/features/year-review/next-year.server";
import { type ReportState, mayReadReport, reportMay, reportTransition } from "~/features/year-review/report-lifecycle";
import { reportActionSchema } from "~/features/year-review/report.schema";
import { type YearMeasures, loadYearMeasures, measureSentences } from "~/features/year-review/measures.server";
import {
  type ReportCommentRow,
  acceptedTexts,
  findReport,
  insertReport,
  insertReportComments,
  insertReportVersion,
  listReportComments,
  updateReport,
} from "~/features/year-review/queries/report.server";

/**
 * The head's written report on a fiscal year (seed 000): four sections of Markdown, first a draft
 * generated from the review's figures in the reader's language (never stored by reading it), then
 * the head's own text once saved; submitted to leadership, who comment per section and return or
 * accept it. Every save names the version it was based on: a stale one is refused with 409.
 */

export interface ReportView {
  fiscalYear: number;
  /** the year, a half (h1, h2) or a quarter (q1–q4) */
  period: ReportPeriod;
  /** the periods of the year that have begun: the reports there are to switch to */
  periods: ReportPeriod[];
  /** the period's first and last day (its closing: today while it runs) */
  from: IsoDate;
  to: IsoDate;
  /** null: nothing stored yet, `texts` is the generated draft */
  state: ReportState | null;
  /** the version a save must name (0 before the first save) */
  version: number;
  texts: ReportTexts;
  /** the accepted text, frozen, when the report was accepted */
  accepted: ReportTexts | null;
  acceptedVersion: number | null;
  updatedAt: string | null;
  updatedByName: string | null;
  comments: ReportCommentRow[];
  measures: YearMeasures;
  /** the staff scoring (考核) of the period */
  scoring: PeriodScoring;
  currency: string;
  may: { edit: boolean; decide: boolean };
}

export const languageOf = (locale: Locale | undefined): ReportLanguage => (locale === "zh-CN" ? "zh" : "en");

/** The generated draft of a period's report, from its review, its measures and its scoring. */
export function generatedDraft(
  review: YearReview,
  measures: YearMeasures,
  currency: string,
  language: ReportLanguage,
  period: ReportPeriod = "year",
  scoring: PeriodScoring | null = null,
  nextYear: NextYearProjection | null = null,
): ReportTexts {
  const fiscalYear = review.dates.fiscalYear;
  return reportDraft(
    {
      fiscalYear,
      currency,
      overdue: review.receivables.overdue,
      work: review.work,
      problems: review.problems,
      measures: review.measures,
      measureSentences: measureSentences(measures, currency, language, period === "year"),
      ...(period === "year" ? {} : { period: { label: periodLabel(fiscalYear, period, language), previousLabel: periodLabel(fiscalYear - 1, period, language) } }),
      runningTo: review.dates.running ? review.dates.closing : null,
      scoringSentence: scoring === null ? null : scoringSentence(scoring, language),
      nextYearSentence: period === "year" && nextYear !== null ? projectionSentence(nextYear, fiscalYear + 1, currency, language) : null,
    },
    language,
  );
}

/** What the report page shows: reads only (the draft is generated, not stored). */
export async function reportView(db: Db, viewer: ReviewViewer & Actor, fiscalYear: number, today: IsoDate, period: ReportPeriod = "year"): Promise<ReportView> {
  return (await reportAndReview(db, viewer, fiscalYear, today, period)).report;
}

/** The report and the review it was drafted from (the Word export shows the review's figures). */
export async function reportAndReview(
  db: Db,
  viewer: ReviewViewer & Actor,
  fiscalYear: number,
  today: IsoDate,
  period: ReportPeriod = "year",
): Promise<{ report: ReportView; review: YearReview }> {
  if (!mayReadReport(viewer)) throw AppError.forbidden("review.report.error.forbidden");
  // refuses (404) a year with nothing to review, or a period that has not begun
  const { review, dates } = await loadPeriodReview(db, viewer, fiscalYear, period, today);
  const [settings, stored, measures, scoring] = await Promise.all([
    getSettings(db),
    findReport(db, fiscalYear, period),
    loadYearMeasures(db, dates),
    periodScoring(db, viewer, dates.start, dates.closing),
  ]);
  // the year's draft states next year's projected receivables at the defaults (no growth, the plan's target)
  const nextYear = stored || period !== "year" ? null : (await nextYearSection(db, review.dates, review.work.kpiItems, new URLSearchParams())).projection;
  const texts = stored?.texts ?? generatedDraft(review, measures, settings.baseCurrency, languageOf(viewer.locale), period, scoring, nextYear);
  const [comments, accepted] = stored
    ? await Promise.all([listReportComments(db, stored.id), stored.state === "accepted" ? acceptedTexts(db, stored.id) : Promise.resolve(null)])
    : [[], null];
  const report: ReportView = {
    fiscalYear,
    period,
    periods: begunPeriods(fiscalYear, review.fiscalStartMonth, today),
    from: dates.start,
    to: dates.closing,
    state: stored?.state ?? null,
    version: stored?.version ?? 0,
    texts,
    accepted,
    acceptedVersion: stored?.acceptedVersion ?? null,
    updatedAt: stored?.updatedAt ?? null,
    updatedByName: stored?.updatedByName ?? null,
    comments,
    measures,
    scoring,
    currency: settings.baseCurrency,
    may: reportMay(stored?.state ?? null, viewer),
  };
  return { report, review };
}

function fieldErrorsOf(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of issues) (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
  return fieldErrors;
}

/** 404 unless `period` of `fiscalYear` has begun in a year there is to review. */
async function reportablePeriod(db: Db, fiscalYear: number, period: ReportPeriod, today: IsoDate): Promise<void> {
  const { fiscalStartMonth } = await datesOf(db, fiscalYear, today);
  periodDates(fiscalYear, period, fiscalStartMonth, today);
}

const stale = () => AppError.conflict("review.report.error.conflict", null);

/**
 * A post on the report page: save or submit (the head), return or accept (leadership). Who may
 * is answered before what was typed; a refused post changes nothing.
 */
export async function reportCommand(
  db: Db,
  actor: Actor,
  fiscalYear: number,
  fields: Record<string, string>,
  today: IsoDate,
  viewer: ReviewViewer,
  period: ReportPeriod = "year",
): Promise<{ redirectTo: string }> {
  const intent = fields.intent;
  if (intent !== "save" && intent !== "submit" && intent !== "return" && intent !== "accept") {
    throw AppError.field("intent", "review.report.error.unknownIntent");
  }
  const stored = await findReport(db, fiscalYear, period);
  // Permission and state first, with no comment count: a return without comments is a 400 below.
  const allowed = reportTransition(stored?.state ?? null, intent, actor, 1);
  if (!allowed.ok) {
    if (allowed.status === 403) throw AppError.forbidden(allowed.reason);
    throw AppError.conflict(allowed.reason, null);
  }
  // The period must have begun, in a year there is to review, to be reported on (404 otherwise).
  await reportablePeriod(db, fiscalYear, period, today);
  const parsed = reportActionSchema.safeParse(fields);
  if (!parsed.success) throw AppError.invalid(fieldErrorsOf(parsed.error.issues));
  const input = parsed.data;
  if (input.version !== (stored?.version ?? 0)) throw stale();
  const at = new Date().toISOString();
  const base = reportPath(fiscalYear, period);

  if (input.intent === "save" || input.intent === "submit") {
    const texts: ReportTexts = { overdue: input.overdue, work: input.work, problems: input.problems, measures: input.measures };
    const empty = REPORT_SECTIONS.filter((section) => texts[section].trim() === "");
    if (input.intent === "submit" && empty.length > 0) {
      throw AppError.invalid(Object.fromEntries(empty.map((section) => [section, ["review.report.error.emptySection"]])));
    }
    const state: ReportState = input.intent === "submit" ? "submitted" : stored?.state ?? "draft";
    await db.transaction().execute(async (trx) => {
      let id: number;
      let version: number;
      if (stored) {
        if (!(await updateReport(trx, stored.id, stored.version, { state, texts, userId: actor.id, at }))) throw stale();
        id = stored.id;
        version = stored.version + 1;
      } else {
        const inserted = await insertReport(trx, { fiscalYear, period, state, texts, userId: actor.id, at });
        if (inserted === null) throw stale();
        id = inserted;
        version = 1;
      }
      if (state === "submitted") await insertReportVersion(trx, { reportId: id, version, state: "submitted", texts, userId: actor.id, at });
      await recordAudit(trx, {
        userId: actor.id,
        entity: "review_report",
        entityId: id,
        action: input.intent === "submit" ? "submitted" : stored ? "updated" : "created",
        before: stored ? { state: stored.state, version: stored.version, texts: stored.texts } : undefined,
        after: { period, state, version, texts },
      });
    });
    return { redirectTo: `${base}${input.intent === "submit" ? "#report-state" : ""}` };
  }

  // return / accept: the leader's comments per section, on the version they read
  // reportTransition refused every other case above
  const current = stored!;
  const typed = input.intent === "return" || input.intent === "accept" ? input : null;
  if (typed === null) throw AppError.field("intent", "review.report.error.unknownIntent");
  const comments = REPORT_SECTIONS.flatMap((section: ReportSection) => {
    const body = typed[`comment_${section}`];
    return body === "" ? [] : [{ section, body }];
  });
  const decided = reportTransition(current.state, input.intent, actor, comments.length);
  if (!decided.ok) throw AppError.field("comment_overdue", decided.reason);
  const decision = input.intent === "return" ? "returned" : "accepted";
  await db.transaction().execute(async (trx) => {
    const saved = await updateReport(trx, current.id, current.version, {
      state: decided.to,
      ...(decision === "accepted" ? { acceptedVersion: current.version } : {}),
      userId: actor.id,
      at,
    });
    if (!saved) throw stale();
    if (decision === "accepted") {
      await insertReportVersion(trx, { reportId: current.id, version: current.version, state: "accepted", texts: current.texts, userId: actor.id, at });
    }
    await insertReportComments(
      trx,
      comments.map((comment) => ({ reportId: current.id, reportVersion: current.version, section: comment.section, decision, authorId: actor.id, body: comment.body, at })),
    );
    await recordAudit(trx, {
      userId: actor.id,
      entity: "review_report",
      entityId: current.id,
      action: decision,
      before: { state: current.state, version: current.version },
      after: { period, state: decided.to, version: current.version + 1, comments },
    });
  });
  return { redirectTo: `${base}#report-state` };
}

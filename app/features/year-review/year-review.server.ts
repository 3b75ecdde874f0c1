import { kpiMemo } from "~/features/dashboard/index.server";
import type { Db } from "~/server/db.server";
import { GenerationCache } from "~/server/generation-cache.server";
import { addDays, fiscalYearOf, quarterOf } from "~/kernel/dates";
import { kpiDefinition, isLinkableKpiKey } from "~/features/kpi";
import { parseScope, scopeText } from "~/features/kpi";
import { scopeNames } from "~/features/kpi/index.server";
import { type MonthlyTrendPoint, type QuarterlyCollectionPoint, monthlyTrend } from "~/features/kpi";
import { AGING_BUCKETS, type KpiValues } from "~/features/kpi";
import { quarterLabel } from "~/features/kpi";
import { PLAN_CATEGORY_NAMES } from "~/features/plans";
import { type Locale, createI18n } from "~/i18n";
import type { IsoDate } from "~/kernel/ledger/types";
import type { Actor } from "~/features/plans";
import { can } from "~/kernel/permissions";
import { targetToInput } from "~/features/plans";
import {
  type CustomerOverdue,
  type Movers,
  type OverdueComparison,
  type Problems,
  type ProposedItem,
  type ReviewDates,
  type ReviewItem,
  type WorkDone,
  availableYears,
  lastCompleteFiscalYear,
  ledgerCovers,
  nextYearMeasures,
  overdueComparison,
  problems,
  proposalNote,
  rankMovers,
  reviewDates,
  targetMet,
  workDone,
} from "~/features/year-review/year-review";
import { planItemsIn } from "~/features/settings/index.server";
import { recordAudit } from "~/features/audit/index.server";
import { findPlanCovering, plansStartingIn } from "~/features/plans/index.server";
import { getSettings } from "~/features/settings/index.server";
import {
  type ReviewCommentRow,
  activeOwnerIds,
  customerOverdueAt,
  customerRows,
  insertReviewComment,
  itemNotes,
  listReviewComments,
  reviewBounds,
} from "~/features/year-review/queries.server";
import { KpiReader, createItem, createPlan, getPlan, planProgress, quarterOfPlan } from "~/features/plans/index.server";
import { itemFieldsSchema, scopeFormFields } from "~/features/plans";
import { AppError } from "~/kernel/app-error";
import { type SpreadsheetCell, spreadsheetBytes } from "~/server/spreadsheet.server";
import { reviewActionSchema } from "~/features/year-review/schema";
import { mayReadReport } from "~/features/year-review/report-lifecycle";
import { yearProvisionMovement } from "~/features/provisions/index.server";
import type { PeriodScoring } from "~/features/year-review/report-scoring";
import { periodScoring } from "~/features/year-review/scoring.server";
import { type NextYearSection, nextYearSection } from "~/features/year-review/next-year.server";

/**
 * The year-end review of one fiscal year (PRODUCT.md flow 4; domain/year-review.ts says what each
 * section holds and which dates it compares): one query function per section, each built on the
 * KPI service and the plan service so its figures are those of the dashboard, the API and the
 * plan board for the same dates.
 */

export interface ReviewViewer {
  id: number;
  role: Actor["role"];
  /** the KPI API's scope rule needs it: staff read their own book (owner:<email>) */
  email: string;
  /** the language built-in plan texts are shown in; as stored when not given */
  locale?: Locale;
}

type Kpis = ReturnType<typeof kpiMemo>;

export interface QuarterFigures extends QuarterlyCollectionPoint {
  dso: number | null;
  dsoCountback: number | null;
  overdueTotal: number;
  arTotal: number;
}

export interface ReceivablesSection {
  /** company overdue (minor units) at the three dates, as /api/kpis gives them */
  overdue: OverdueComparison;
  quarters: QuarterFigures[];
  monthly: MonthlyTrendPoint[];
  /** aging at each quarter's end (or today for the running quarter) */
  agingByQuarter: MonthlyTrendPoint[];
  movers: Movers;
  /** staff see only their own customers in the movers, like the dashboard's top-overdue list */
  ownCustomersOnly: boolean;
  /** the ledger's first document date: before it there is no position (null: an empty ledger) */
  ledgerStart: IsoDate | null;
  /** false when the ledger begins after the year's opening date: no opening position to compare with */
  openingCovered: boolean;
}

export interface YearReview {
  dates: ReviewDates;
  fiscalStartMonth: number;
  receivables: ReceivablesSection;
  work: WorkDone;
  problems: Problems;
  measures: ProposedItem[];
  /** the Q1 plan of the next year, when there is one already */
  nextYearPlanId: number | null;
  comments: ReviewCommentRow[];
  /** owners' and customers' names by the scope text of the items' KPIs (kpi `scopeNames`) */
  scopeNames: Record<string, string>;
}

async function reviewableYears(db: Db, today: IsoDate) {
  const [settings, bounds] = await Promise.all([getSettings(db), reviewBounds(db)]);
  const firstPlanYear = bounds.firstPlanStart === null ? null : fiscalYearOf(bounds.firstPlanStart, settings.fiscalStartMonth).fiscalYear;
  return { settings, bounds, years: availableYears(bounds.firstDocumentDate, firstPlanYear, today, settings.fiscalStartMonth) };
}

/** The years that can be reviewed, newest first. */
export async function reviewYears(db: Db, today: IsoDate): Promise<number[]> {
  return (await reviewableYears(db, today)).years;
}

/**
 * `/review`: the last fiscal year that has ended when it can be reviewed (`open`), else the years
 * there are (a new installation whose ledger does not reach back that far).
 */
export async function reviewIndex(db: Db, today: IsoDate): Promise<{ open: number | null; years: number[] }> {
  const { settings, years } = await reviewableYears(db, today);
  const last = lastCompleteFiscalYear(today, settings.fiscalStartMonth);
  return { open: years.includes(last) ? last : null, years };
}

/** The review page: the review, the years to switch to, and what the viewer may do on it. */
export async function reviewPage(db: Db, viewer: ReviewViewer & Actor, fiscalYear: number, today: IsoDate, search = new URLSearchParams()) {
  // A year's review takes tens of milliseconds (KPI objects at a dozen dates, the year's plans) and
  // only changes when the database does: kept per viewer, year and business date until the next write.
  // The staff scoring and the provision movement ride along: they read every promise and run of the
  // year, and change only with the database too.
  const key = JSON.stringify([viewer.id, viewer.role, viewer.email, viewer.locale ?? null, fiscalYear, today]);
  const { review, scoring, provisionMovement } = await reviewCache.get(db, key, async () => {
    const review = await loadYearReview(db, viewer, fiscalYear, today);
    return {
      review,
      // the staff scoring (考核) of the year, as the scoreboard gives it for the same dates
      scoring: await periodScoring(db, viewer, review.dates.start, review.dates.closing),
      // the year's bad-debt provision movement, from the approved provision runs ending in the year
      provisionMovement: await yearProvisionMovement(db, viewer, review.dates.start, review.dates.end),
    };
  });
  return {
    review,
    scoring,
    // next year's receivables for the scenario in the URL (kept figures; the scenario applied per request)
    nextYear: await nextYearSection(db, review.dates, review.work.kpiItems, search),
    years: await reviewYears(db, today),
    today,
    may: { comment: can(viewer, "review:comment"), draft: can(viewer, "plan:edit"), report: mayReadReport(viewer) },
    provisionMovement,
  };
}

const reviewCache = new GenerationCache<{
  review: YearReview;
  scoring: PeriodScoring;
  provisionMovement: Awaited<ReturnType<typeof yearProvisionMovement>>;
}>(50);

/** The review's tables as an XLSX workbook, and its file name. */
export async function exportYearReview(db: Db, viewer: ReviewViewer & { locale: Locale }, fiscalYear: number, today: IsoDate, search = new URLSearchParams()) {
  const review = await loadYearReview(db, viewer, fiscalYear, today);
  const scoring = await periodScoring(db, viewer, review.dates.start, review.dates.closing);
  // the projection for the page's scenario (a field in error takes its default, as on the page)
  const nextYear = await nextYearSection(db, review.dates, review.work.kpiItems, search);
  return { fileName: `year-review-${fiscalYear}.xlsx`, bytes: await reviewWorkbook(review, viewer.locale, scoring, nextYear) };
}

/** A reviewable year's dates (404 for a year with nothing to review), its fiscal start and the ledger's first day. */
export async function datesOf(
  db: Db,
  fiscalYear: number,
  today: IsoDate,
): Promise<{ dates: ReviewDates; fiscalStartMonth: number; ledgerStart: IsoDate | null }> {
  const { settings, bounds, years } = await reviewableYears(db, today);
  if (!years.includes(fiscalYear)) throw AppError.notFound("review.error.notFound");
  return {
    dates: reviewDates(fiscalYear, settings.fiscalStartMonth, today),
    fiscalStartMonth: settings.fiscalStartMonth,
    ledgerStart: bounds.firstDocumentDate,
  };
}

// ---------------------------------------------------------------- (1) the receivables

async function valuesAt(kpis: Kpis, dates: readonly IsoDate[]): Promise<(date: IsoDate) => KpiValues> {
  const entries = await Promise.all(dates.map(async (date) => [date, (await kpis(date)).values] as const));
  const byDate = new Map(entries);
  // called only with the dates asked for above
  return (date) => byDate.get(date)!;
}

export async function overdueSection(kpis: Kpis, dates: ReviewDates, ledgerStart: IsoDate | null): Promise<OverdueComparison> {
  const at = await valuesAt(kpis, [dates.previousOpening, dates.opening, dates.closing]);
  return overdueComparison(
    dates,
    {
      previousOpening: at(dates.previousOpening).overdue_total,
      opening: at(dates.opening).overdue_total,
      closing: at(dates.closing).overdue_total,
    },
    ledgerStart,
  );
}

export async function quarterSection(kpis: Kpis, dates: ReviewDates): Promise<QuarterFigures[]> {
  const at = await valuesAt(kpis, dates.quarters.map((q) => q.measuredOn));
  return dates.quarters.map((q) => {
    const values = at(q.measuredOn);
    return {
      fiscalYear: dates.fiscalYear,
      quarter: q.quarter,
      start: q.start,
      date: q.measuredOn,
      partial: !q.complete,
      collectionRate: values.collection_rate,
      cei: values.cei,
      collected: values.collected,
      billed: values.billed,
      dso: values.dso,
      dsoCountback: values.dso_countback,
      overdueTotal: values.overdue_total,
      arTotal: values.ar_total,
    };
  });
}

export async function monthlySection(kpis: Kpis, dates: ReviewDates): Promise<{ monthly: MonthlyTrendPoint[]; agingByQuarter: MonthlyTrendPoint[] }> {
  const quarterPoints = dates.quarters.map((q) => ({ month: q.measuredOn.slice(0, 7), date: q.measuredOn, partial: !q.complete }));
  const at = await valuesAt(kpis, [...dates.months.map((m) => m.date), ...quarterPoints.map((q) => q.date)]);
  return { monthly: monthlyTrend(dates.months, at), agingByQuarter: monthlyTrend(quarterPoints, at) };
}

/** Customers whose overdue fell and rose most from the year's start to its end. */
export async function moversSection(db: Db, dates: ReviewDates, viewer: ReviewViewer): Promise<Movers> {
  const [customers, overdue] = await Promise.all([customerRows(db), customerOverdueAt(db, [dates.opening, dates.closing])]);
  // customerOverdueAt answers for every date it is asked
  const atStart = overdue.get(dates.opening)!;
  // customerOverdueAt answers for every date it is asked
  const atEnd = overdue.get(dates.closing)!;
  const rows: CustomerOverdue[] = [];
  for (const customer of customers) {
    if (viewer.role === "staff" && customer.ownerId !== viewer.id) continue;
    const start = atStart.get(customer.id) ?? 0;
    const end = atEnd.get(customer.id) ?? 0;
    if (start === 0 && end === 0) continue;
    rows.push({ customerId: customer.id, code: customer.code, name: customer.name, ownerId: customer.ownerId, ownerName: customer.ownerName, atStart: start, atEnd: end });
  }
  return rankMovers(rows);
}

export async function receivablesSection(
  db: Db,
  dates: ReviewDates,
  viewer: ReviewViewer,
  ledgerStart: IsoDate | null,
): Promise<ReceivablesSection> {
  const kpis = kpiMemo(db, { type: "company" });
  // Without an opening position every customer would "rise" from a made-up zero: no movers then.
  const openingCovered = ledgerCovers(ledgerStart, dates.opening);
  const [overdue, quarters, series, movers] = await Promise.all([
    overdueSection(kpis, dates, ledgerStart),
    quarterSection(kpis, dates),
    monthlySection(kpis, dates),
    openingCovered ? moversSection(db, dates, viewer) : Promise.resolve(rankMovers([])),
  ]);
  return { overdue, quarters, ...series, movers, ownCustomersOnly: viewer.role === "staff", ledgerStart, openingCovered };
}

// ---------------------------------------------------------------- (2)-(4) the year's plans

/**
 * Every item of the plans that begin within the year (by their own dates, whatever fiscal start
 * month they were named under), with its notes and each KPI link's result at its quarter's end;
 * titles and notes in `locale` where they are still built-in text, as stored without one.
 */
export async function yearItems(
  db: Db,
  dates: Pick<ReviewDates, "start" | "end">,
  fiscalStartMonth: number,
  today: IsoDate,
  locale?: Locale,
  viewer: ReviewViewer | null = null,
): Promise<ReviewItem[]> {
  const plans = await Promise.all((await plansStartingIn(db, dates)).map((span) => getPlan(db, span.id)));
  const items: ReviewItem[] = [];
  // The figures of scopes the viewer may not read through the KPI API stay out of the review (and of
  // what is derived from them: verdicts, missed targets, proposals). Commands pass no viewer.
  const reader = new KpiReader(db, viewer);
  for (const plan of plans) {
    // A closed quarter is measured at its last day (planProgress never reads past it).
    const progress = await planProgress(db, plan, today, reader);
    const quarter = quarterOfPlan(plan);
    const final = quarter.end < today;
    // The review counts quarters as the year is divided now.
    const reviewQuarter = quarterOf(plan.start, fiscalStartMonth).quarter;
    for (const item of locale ? await planItemsIn(db, plan.items, locale) : plan.items) {
      const view = progress.items[item.id];
      const hidden = view?.hidden != null;
      items.push({
        id: item.id,
        planId: plan.id,
        quarter: reviewQuarter,
        position: item.position,
        title: item.title,
        category: item.category,
        description: item.description,
        ownerId: item.ownerId,
        ownerName: item.ownerName,
        dueDate: item.dueDate,
        status: item.status,
        outcome: item.outcome,
        doneOn: item.doneOn,
        carriedOverFrom: item.carriedOverFrom,
        customers: item.customers,
        notes: [],
        kpi: item.kpiLink && {
          key: item.kpiLink.kpi,
          scope: scopeText(item.kpiLink.scope),
          better: item.kpiLink.better,
          baseline: hidden ? null : view?.baseline ?? item.kpiLink.baseline,
          baselineDate: hidden ? null : view?.baselineDate ?? item.kpiLink.baselineDate,
          target: item.kpiLink.target,
          result: view?.current ?? null,
          measuredOn: view?.measuredOn ?? progress.measuredOn,
          final,
          hidden,
        },
      });
    }
  }
  const notes = await itemNotes(db, items.map((item) => item.id), locale);
  for (const item of items) item.notes = notes.get(item.id) ?? [];
  return items;
}

/** Owners' and customers' names by the scope text of the items' KPIs. */
export async function itemScopeNames(db: Db, items: readonly Pick<ReviewItem, "kpi">[]): Promise<Record<string, string>> {
  const scopes = items.flatMap((item) => {
    const parsed = item.kpi ? parseScope(item.kpi.scope) : null;
    return parsed?.ok ? [parsed.scope] : [];
  });
  return scopeNames(db, scopes);
}

/** The plan in force on the next year's first day (its Q1), whatever it was named: its id, or null. */
async function planAfterYear(db: Db, dates: Pick<ReviewDates, "end">): Promise<number | null> {
  return (await findPlanCovering(db, addDays(dates.end, 1)))?.id ?? null;
}

/** Everything the review page shows for one fiscal year. Refuses (404) a year with nothing to review. */
export async function loadYearReview(db: Db, viewer: ReviewViewer, fiscalYear: number, today: IsoDate): Promise<YearReview> {
  const { dates, fiscalStartMonth, ledgerStart } = await datesOf(db, fiscalYear, today);
  const [receivables, items, nextYearPlanId, comments] = await Promise.all([
    receivablesSection(db, dates, viewer, ledgerStart),
    yearItems(db, dates, fiscalStartMonth, today, viewer.locale, viewer),
    planAfterYear(db, dates),
    listReviewComments(db, fiscalYear),
  ]);
  return {
    dates,
    fiscalStartMonth,
    receivables,
    scopeNames: await itemScopeNames(db, items),
    work: workDone(items),
    problems: problems(items, receivables.movers),
    measures: nextYearMeasures(items),
    nextYearPlanId,
    comments,
  };
}

// ---------------------------------------------------------------- commands

/** Leadership's comment on the year's review. */
export async function addReviewComment(db: Db, actor: Actor, fiscalYear: number, body: string, today: IsoDate): Promise<number> {
  if (!can(actor, "review:comment")) throw AppError.forbidden("plan.error.forbidden");
  await datesOf(db, fiscalYear, today);
  const text = body.trim();
  if (text === "") throw AppError.field("body", "validation.required");
  return db.transaction().execute(async (trx) => {
    const id = await insertReviewComment(trx, { fiscalYear, authorId: actor.id, body: text, createdAt: new Date().toISOString() });
    await recordAudit(trx, { userId: actor.id, entity: "review", entityId: fiscalYear, action: "commented", after: { commentId: id, body: text } });
    return id;
  });
}

/**
 * The head's "draft next year's Q1 from this review": an empty draft plan for Q1 of the next
 * fiscal year holding one item per proposed measure (owner kept while they may still own items,
 * category, customers, KPI link and target kept, due on the quarter's last day, a line saying
 * where it came from). Refused (409 `review.error.planExists`) when that plan exists already.
 */
export async function draftNextYearPlan(db: Db, actor: Actor, fiscalYear: number, language: "en" | "zh", today: IsoDate): Promise<number> {
  if (!can(actor, "plan:edit")) throw AppError.forbidden("plan.error.forbidden");
  const { dates, fiscalStartMonth } = await datesOf(db, fiscalYear, today);
  if ((await planAfterYear(db, dates)) !== null) throw AppError.conflict("review.error.planExists", null);
  return draftPlan(db, actor, fiscalYear, language, today, dates, fiscalStartMonth);
}

async function draftPlan(
  db: Db,
  actor: Actor,
  fiscalYear: number,
  language: "en" | "zh",
  today: IsoDate,
  dates: ReviewDates,
  fiscalStartMonth: number,
): Promise<number> {
  const [items, owners] = await Promise.all([yearItems(db, dates, fiscalStartMonth, today), activeOwnerIds(db)]);
  const proposals = nextYearMeasures(items);
  const planId = await createPlan(db, actor, { fiscalYear: fiscalYear + 1, quarter: 1, source: "empty", language }, today);
  const quarter = quarterOfPlan(await getPlan(db, planId));
  for (const proposal of proposals) {
    const scope = proposal.kpi ? parseScope(proposal.kpi.scope) : null;
    const kpiKey = proposal.kpi && isLinkableKpiKey(proposal.kpi.key) && scope?.ok ? proposal.kpi.key : "";
    const scopeFields = scopeFormFields(kpiKey !== "" && scope?.ok ? scope.scope : null);
    const note = proposalNote(proposal, fiscalYear, language);
    const fields = itemFieldsSchema.parse({
      title: proposal.title,
      category: proposal.category,
      description: (proposal.description ? `${proposal.description}\n\n${note}` : note).slice(0, 4000),
      ownerId: proposal.ownerId !== null && owners.has(proposal.ownerId) ? String(proposal.ownerId) : "",
      dueDate: quarter.end,
      customers: proposal.customers.join(" "),
      kpiKey,
      ...scopeFields,
      // kpiKey is a proposal's KPI, which came from a plan item's linkable KPI
      kpiTarget: kpiKey !== "" && proposal.kpi ? targetToInput(kpiDefinition(kpiKey as Parameters<typeof kpiDefinition>[0]).unit, proposal.kpi.target) : "",
    });
    try {
      await createItem(db, actor, planId, fields, today);
    } catch (error) {
      // A customer or KPI scope that no longer exists: the item still goes in, without them.
      if (!(error instanceof AppError) || error.status !== 400) throw error;
      await createItem(db, actor, planId, { ...fields, customers: "", kpiKey: "", kpiScope: "company", kpiCustomer: "", kpiTarget: "" }, today);
    }
  }
  return planId;
}

/**
 * A post on the review page (`intent` comment or draft-next-year): who may is answered before
 * what was typed (a staff member's empty comment is a 403, not a 400). Where to go next.
 */
export async function reviewCommand(
  db: Db,
  actor: Actor,
  fiscalYear: number,
  fields: Record<string, string>,
  today: IsoDate,
): Promise<{ redirectTo: string }> {
  if (fields.intent === "comment" && !can(actor, "review:comment")) throw AppError.forbidden("review.error.commentForbidden");
  if (fields.intent === "draft-next-year" && !can(actor, "plan:edit")) throw AppError.forbidden("plan.error.forbidden");
  const parsed = reviewActionSchema.safeParse(fields);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
    throw AppError.invalid(fieldErrors);
  }
  if (parsed.data.intent === "comment") {
    await addReviewComment(db, actor, fiscalYear, parsed.data.body, today);
    return { redirectTo: `/review/${fiscalYear}#comments` };
  }
  const planId = await draftNextYearPlan(db, actor, fiscalYear, parsed.data.language, today);
  return { redirectTo: `/plans/${planId}` };
}

// ---------------------------------------------------------------- the XLSX export

type Cell = string | number | null | { value: number | null; format: string };

interface SheetSpec {
  name: string;
  headers: string[];
  rows: Cell[][];
}

const MONEY = "#,##0.00";
const RATIO = "0.0%";
const DAYS = "0.0";

function spreadsheetCell(cell: Cell): SpreadsheetCell {
  if (cell === null || typeof cell === "string") return { kind: "text", value: cell };
  if (typeof cell === "number") return { kind: "number", value: cell };
  return { kind: "number", value: cell.value, format: cell.format };
}

/** Next year's projection: the twelve months and the year, with the target's columns when there is one. */
function nextYearSheets(section: NextYearSection | null, t: (key: string) => string): SheetSpec[] {
  const projection = section?.projection;
  if (!section || !projection) return [];
  const withTarget = section.dsoTarget !== null;
  const last = projection.months[projection.months.length - 1];
  return [
    {
      name: t("review.nextYear.sheet"),
      headers: ["month", "sales", "collections", "receivables", "dso", ...(withTarget ? ["target", "gap"] : [])].map((key) => t(`review.nextYear.${key}`)),
      rows: [
        ...projection.months.map((m): Cell[] => [m.month, money(m.sales), money(m.collections), money(m.receivables), decimal(m.dso), ...(withTarget ? [money(m.targetReceivables), money(m.gap)] : [])]),
        [
          t("review.nextYear.year"),
          money(projection.totalSales),
          money(projection.months.reduce((sum, m) => sum + m.collections, 0)),
          money(projection.closing),
          decimal(last?.dso ?? null),
          ...(withTarget ? [null, null] : []),
        ],
      ],
    },
  ];
}

const money = (minor: number | null): Cell => ({ value: minor === null ? null : minor / 100, format: MONEY });
const ratio = (value: number | null): Cell => ({ value, format: RATIO });
const decimal = (value: number | null): Cell => ({ value, format: DAYS });

function kpiCell(key: string, value: number | null): Cell {
  if (!isLinkableKpiKey(key)) return value;
  switch (kpiDefinition(key).unit) {
    case "money":
      return money(value);
    case "ratio":
      return ratio(value);
    case "count":
      return { value, format: "0" };
    default:
      return decimal(value);
  }
}

/**
 * The review's tables as one workbook, one sheet per table, in the viewer's language. Amounts,
 * ratios and days are numeric cells with number formats; every text cell is neutralised against
 * formula injection by the one spreadsheet writer.
 */
export async function reviewWorkbook(
  review: YearReview,
  locale: "en" | "zh-CN",
  scoring: PeriodScoring | null = null,
  nextYear: NextYearSection | null = null,
): Promise<Uint8Array<ArrayBuffer>> {
  const { t } = createI18n(locale);
  const lang = locale === "zh-CN" ? "zh" : "en";
  const quarterName = (quarter: number) => quarterLabel(review.dates.fiscalYear, quarter, locale, review.fiscalStartMonth);
  const kpiName = (key: string) => (isLinkableKpiKey(key) ? kpiDefinition(key).name[lang] : key);
  const verdict = (kpi: NonNullable<ReviewItem["kpi"]>) => {
    if (kpi.hidden) return t("review.kpi.hiddenScope");
    if (!kpi.final) return t("review.kpi.inProgress");
    const met = targetMet(kpi);
    return met === null ? t("review.kpi.noTarget") : met ? t("review.kpi.met") : t("review.kpi.missed");
  };
  const { receivables, work } = review;
  const moverRows = (movers: Movers["fell"]): Cell[][] =>
    movers.map((m, i) => [i + 1, m.code, m.name, m.ownerName ?? "", money(m.atStart), money(m.atEnd), money(m.change)]);
  const moverHeaders = ["review.movers.rank", "review.movers.code", "review.movers.customer", "review.movers.owner", "review.movers.atStart", "review.movers.atEnd", "review.movers.change"].map((k) => t(k));
  const kpiHeaders = [
    "review.work.item", "review.work.quarter", "review.work.owner", "review.kpi.kpi", "review.kpi.scope", "review.kpi.baseline",
    "review.kpi.baselineDate", "review.kpi.target", "review.kpi.result", "review.kpi.measuredOn", "review.kpi.verdict",
  ].map((k) => t(k));
  const kpiRows = (items: ReviewItem[]): Cell[][] =>
    items.map((item) => {
      // called only with the KPI-linked items
      const kpi = item.kpi!;
      return [item.title, quarterName(item.quarter), item.ownerName ?? "", kpiName(kpi.key), kpi.scope, kpiCell(kpi.key, kpi.baseline), kpi.baselineDate ?? "", kpiCell(kpi.key, kpi.target), kpiCell(kpi.key, kpi.result), kpi.measuredOn, verdict(kpi)];
    });
  const overdueRow = (change: OverdueComparison["year"]): Cell[] => [change.fiscalYear, change.from, change.to, money(change.atStart), money(change.atEnd), money(change.reduction), ratio(change.reductionRate)];

  const sheets: SheetSpec[] = [
    {
      name: t("review.xlsx.overdue"),
      headers: ["review.overdue.year", "review.xlsx.from", "review.xlsx.to", "review.overdue.atStart", "review.overdue.atEnd", "review.overdue.reduction", "review.overdue.reductionRate"].map((k) => t(k)),
      rows: [overdueRow(receivables.overdue.year), overdueRow(receivables.overdue.previousYear)],
    },
    {
      name: t("review.xlsx.quarters"),
      headers: ["review.quarters.quarter", "review.quarters.asOf", "review.quarters.dso", "review.quarters.dsoCountback", "review.quarters.collectionRate", "review.quarters.cei", "review.quarters.overdue", "review.quarters.arTotal", "review.quarters.billed", "review.quarters.collected"].map((k) => t(k)),
      rows: receivables.quarters.map((q) => [quarterName(q.quarter), q.date, decimal(q.dso), decimal(q.dsoCountback), ratio(q.collectionRate), decimal(q.cei), money(q.overdueTotal), money(q.arTotal), money(q.billed), money(q.collected)]),
    },
    {
      name: t("review.xlsx.monthly"),
      headers: ["review.xlsx.monthEnd", "review.quarters.overdue", "review.quarters.arTotal", "review.quarters.dso"].map((k) => t(k)),
      rows: receivables.monthly.map((m) => [m.date, money(m.overdueTotal), money(m.arTotal), decimal(m.dso)]),
    },
    {
      name: t("review.xlsx.aging"),
      headers: [t("review.quarters.asOf"), ...AGING_BUCKETS.map((bucket) => t(`aging.${bucket}`)), t("aging.total")],
      rows: receivables.agingByQuarter.map((p) => [p.date, ...AGING_BUCKETS.map((bucket) => money(p.aging[bucket])), money(p.arTotal)]),
    },
    { name: t("review.xlsx.fell"), headers: moverHeaders, rows: moverRows(receivables.movers.fell) },
    { name: t("review.xlsx.rose"), headers: moverHeaders, rows: moverRows(receivables.movers.rose) },
    {
      name: t("review.xlsx.work"),
      headers: ["review.measures.category", "review.work.item", "review.work.quarter", "review.work.owner", "review.work.doneOn", "review.work.notes"].map((k) => t(k)),
      rows: work.categories.flatMap((group) =>
        group.items.map((item) => [PLAN_CATEGORY_NAMES[group.category][lang], item.title, quarterName(item.quarter), item.ownerName ?? "", item.doneOn ?? "", item.notes.join("\n")]),
      ),
    },
    { name: t("review.xlsx.kpi"), headers: kpiHeaders, rows: kpiRows(work.kpiItems) },
    {
      name: t("review.xlsx.unfinished"),
      headers: ["review.work.item", "review.work.quarter", "review.work.owner", "review.work.due", "review.problems.state"].map((k) => t(k)),
      rows: review.problems.unfinished.map((item) => [item.title, quarterName(item.quarter), item.ownerName ?? "", item.dueDate ?? "", t(`review.problems.states.${item.state}`)]),
    },
    { name: t("review.xlsx.missed"), headers: kpiHeaders, rows: kpiRows(review.problems.missedTargets) },
    {
      name: t("review.xlsx.measures"),
      headers: ["review.work.item", "review.measures.category", "review.work.owner", "review.kpi.kpi", "review.kpi.scope", "review.kpi.target", "review.measures.why"].map((k) => t(k)),
      rows: review.measures.map((m) => [
        m.title,
        PLAN_CATEGORY_NAMES[m.category][lang],
        m.ownerName ?? "",
        m.kpi ? kpiName(m.kpi.key) : "",
        m.kpi?.scope ?? "",
        m.kpi ? kpiCell(m.kpi.key, m.kpi.target) : null,
        `${quarterName(m.sourceQuarter)}: ${m.reasons.map((r) => t(`review.measures.reasons.${r}`)).join(", ")}`,
      ]),
    },
    ...nextYearSheets(nextYear, t),
    ...(scoring === null
      ? []
      : [
          {
            name: t("review.report.scoring.title"),
            headers: [
              t("review.report.scoring.rank"),
              t("review.report.scoring.owner"),
              t("review.report.scoring.points"),
              ...(["collectionRate", "overdueReduction", "promisesKept", "itemsOnTime"] as const).map((measure) => `${t(`scoreboard.scoring.measure.${measure}`)} (${scoring.weights[measure]})`),
              t("review.report.scoring.warning"),
            ],
            rows: scoring.lines.map((line): Cell[] => [
              line.rank,
              line.name,
              { value: line.points, format: "0.0" },
              ratio(line.shares.collectionRate),
              ratio(line.shares.overdueReduction),
              ratio(line.shares.promisesKept),
              ratio(line.shares.itemsOnTime),
              line.warning ? t("review.report.scoring.warned", { warnBelow: scoring.warnBelow }) : "",
            ]),
          },
        ]),
    {
      name: t("review.xlsx.comments"),
      headers: ["review.xlsx.author", "review.xlsx.at", "review.xlsx.comment"].map((k) => t(k)),
      rows: review.comments.map((c) => [c.authorName ?? "", c.createdAt, c.body]),
    },
  ];

  const width = (spec: SheetSpec, index: number) =>
    Math.min(48, Math.max(10, ...[spec.headers[index] ?? "", ...spec.rows.map((r) => { const cell = r[index]; return typeof cell === "string" ? cell : "0000000000000"; })].map((text) => text.length + 2)));
  return spreadsheetBytes(
    "xlsx",
    sheets.map((spec) => ({
      name: spec.name,
      columns: spec.headers.map((header, index) => ({ header, width: width(spec, index) })),
      rows: spec.rows.map((row) => row.map(spreadsheetCell)),
      freezeHeader: true,
    })),
  );
}

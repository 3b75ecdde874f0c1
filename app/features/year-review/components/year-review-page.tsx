import { Form, Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { sentences } from "~/i18n";

import {
  Charts,
  KpiItemsTable,
  MeasuresTable,
  MoverTable,
  OverdueSummary,
  QuarterTable,
  Section,
  UnfinishedTable,
  WorkByCategory,
} from "~/features/year-review/components/review-sections";
import { YearProvisionMovementTable } from "~/features/provisions/components";
import type { YearProvisionMovement } from "~/features/provisions";
import type { YearReview } from "~/features/year-review/year-review.server";
import type { PeriodScoring } from "~/features/year-review/report-scoring";
import { ScoringTable } from "~/features/year-review/components/scoring-table";
import { NextYearProjection } from "~/features/year-review/components/next-year";
import type { NextYearSection } from "~/features/year-review/next-year.server";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { useFormatAmount, useFormatDate } from "~/ui/use-format-amount";
import type { Refusal } from "~/server/responses.server";

/** What the page's loader sends. */
export interface ReviewPageData {
  review: YearReview;
  /** the staff scoring (考核) of the year */
  scoring: PeriodScoring;
  years: number[];
  /** the business date the server rendered with */
  today: string;
  may: { comment: boolean; draft: boolean; report: boolean };
  /** the year's bad-debt provision movement (null: staff, or no approved run in the year) */
  provisionMovement: YearProvisionMovement | null;
  /** next year's receivables for the scenario in the URL */
  nextYear: NextYearSection;
}

type LoaderData = ReviewPageData;

/** The scenario the page shows, for the export: the workbook holds the same projection. */
function nextYearQuery(section: NextYearSection): string {
  const params = new URLSearchParams();
  if (section.input.growth !== "") params.set("growth", section.input.growth);
  if (section.input.dsoTarget !== "") params.set("dsoTarget", section.input.dsoTarget);
  const query = params.toString();
  return query === "" ? "" : `?${query}`;
}

function YearSwitch({ years, current }: { years: number[]; current: number }) {
  const { t } = useTranslation();
  return (
    <nav className="review-years no-print" aria-label={t("review.years")}>
      <span className="muted">{t("review.years")}{t("common.colon")}</span>
      <ul>
        {years.map((year) => (
          <li key={year}>
            {year === current ? (
              <span aria-current="page" className="review-years__current">
                {year}
              </span>
            ) : (
              <Link to={`/review/${year}`}>{year}</Link>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Comments({ data: loaded, refused }: { data: LoaderData; refused: Refusal | null }) {
  const { t } = useTranslation();
  const timeZone = useTimeZone();
  const { i18n } = useTranslation();
  const navigation = useNavigation();
  const fieldErrors = refused?.fieldErrors ?? {};
  const bodyError = fieldErrors.body?.[0];
  const locale = i18n.language === "zh-CN" ? "zh-CN" : "en";
  return (
    <section className="review-section review-comments" aria-labelledby="comments">
      <h2 id="comments">{t("review.comments.title")}</h2>
      {loaded.review.comments.length === 0 ? (
        <p className="muted">{t("review.comments.none")}</p>
      ) : (
        <ul className="review-comment-list">
          {loaded.review.comments.map((comment) => (
            <li key={comment.id}>
              <p className="review-comment__body">{comment.body}</p>
              <p className="muted small">
                {comment.authorName ?? "—"} · {formatDateTime(comment.createdAt, locale, timeZone)}
              </p>
            </li>
          ))}
        </ul>
      )}
      {loaded.may.comment ? (
        // A new comment in the list gives a fresh form: the box empties for the next one, while a
        // refused comment keeps what was typed.
        <Form key={loaded.review.comments.length} method="post" className="form-grid no-print" noValidate>
          <input type="hidden" name="intent" value="comment" />
          <div className="field">
            <label htmlFor="review-comment">{t("review.comments.label")}</label>
            <textarea
              id="review-comment"
              name="body"
              rows={4}
              maxLength={2000}
              aria-invalid={bodyError ? true : undefined}
              aria-describedby={bodyError ? "review-comment-error" : undefined}
            />
            {bodyError ? (
              <p className="field__error" id="review-comment-error">
                {t(bodyError)}
              </p>
            ) : null}
          </div>
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
              {t("review.comments.submit")}
            </button>
          </div>
        </Form>
      ) : null}
    </section>
  );
}

/** The review of one fiscal year: its four sections and leadership's comments. */
export function YearReviewPage({ loaded, refused }: { loaded: ReviewPageData; refused: Refusal | null }) {
  const { t, i18n } = useTranslation();
  const formatDate = useFormatDate();
  const formatAmount = useFormatAmount();
  const { review } = loaded;
  const { dates, receivables } = review;
  const lang = i18n.language === "zh-CN" ? "zh" : "en";
  // Field errors show at their fields; a refusal of the whole post (409: a plan exists) up here.
  const refusal = refused?.message && Object.keys(refused.fieldErrors).length === 0 ? t(refused.message) : null;
  return (
    <article className="review">
      <p className="breadcrumb no-print">
        <Link to="/review">{t("review.title")}</Link>
      </p>
      <header className="review-head">
        <h1>{t("review.heading", { year: dates.fiscalYear })}</h1>
        <p className="muted">
          {t("review.period", { start: formatDate(dates.start), end: formatDate(dates.end) })}
          {dates.running ? ` · ${t("review.running", { date: formatDate(dates.closing) })}` : ""}
        </p>
        <div className="review-actions no-print">
          {loaded.may.report ? (
            <Link className="button button--primary" to={`/review/${dates.fiscalYear}/report`}>
              {t("review.report.link")}
            </Link>
          ) : null}
          <a className="button" href={`/review/${dates.fiscalYear}/xlsx${nextYearQuery(loaded.nextYear)}`} download>
            {t("review.export")}
          </a>
          <button type="button" className="button" onClick={() => window.print()}>
            {t("review.print")}
          </button>
        </div>
        <YearSwitch years={loaded.years} current={dates.fiscalYear} />
      </header>
      {refusal ? (
        <p className="alert alert--error" role="alert">
          {refusal}
        </p>
      ) : null}
      <aside className="review-dates" aria-label={t("review.dates.title")}>
        <h2 className="review-dates__title">{t("review.dates.title")}</h2>
        <p>
          {sentences(t, [
            t("review.dates.start", { date: formatDate(dates.opening), previous: dates.fiscalYear - 1 }),
            dates.running ? t("review.dates.endRunning", { date: formatDate(dates.closing) }) : t("review.dates.end", { date: formatDate(dates.closing) }),
            t("review.dates.before", { from: formatDate(dates.previousOpening), to: formatDate(dates.opening), previous: dates.fiscalYear - 1 }),
            t("review.dates.asOf"),
          ])}
        </p>
      </aside>

      <Section id="receivables" title={t("review.sections.receivables")}>
        <OverdueSummary review={review} />
        <h3>{t("review.quarters.heading")}</h3>
        <QuarterTable review={review} />
        <Charts review={review} />
        <div className="review-movers">
          <h3>{t("review.movers.heading")}</h3>
          {receivables.ownCustomersOnly ? <p className="muted">{t("review.movers.ownOnly")}</p> : null}
          {receivables.openingCovered ? null : <p className="muted" data-testid="movers-no-opening">{t("review.movers.noOpening")}</p>}
          <p className="muted">
            {t("review.movers.summary", {
              fell: receivables.movers.fellCount,
              fellTotal: formatAmount(receivables.movers.fellTotal),
              rose: receivables.movers.grewCount,
              roseTotal: formatAmount(receivables.movers.grewTotal),
            })}
          </p>
          <MoverTable movers={receivables.movers.fell} title={t("review.movers.fell")} kind="fell" />
          <MoverTable movers={receivables.movers.rose} title={t("review.movers.rose")} kind="rose" />
        </div>
        <YearProvisionMovementTable data={loaded.provisionMovement} year={dates.fiscalYear} />
      </Section>

      <Section id="work" title={t("review.sections.work")}>
        <WorkByCategory review={review} />
        <h3>{t("review.kpi.heading")}</h3>
        <KpiItemsTable items={review.work.kpiItems} title={t("review.kpi.heading")} review={review} kind="kpi-items" />
      </Section>

      <Section id="problems" title={t("review.sections.problems")}>
        <h3>{t("review.problems.unfinished")}</h3>
        <UnfinishedTable items={review.problems.unfinished} review={review} />
        <h3>{t("review.problems.missedTargets")}</h3>
        <KpiItemsTable items={review.problems.missedTargets} title={t("review.problems.missedTargets")} review={review} kind="missed-targets" />
        <h3>{t("review.problems.grew")}</h3>
        <p>
          {t("review.problems.grewSummary", { count: review.problems.grew.count, total: formatAmount(review.problems.grew.total) })}
        </p>
      </Section>

      <Section id="measures" title={t("review.sections.measures", { year: dates.fiscalYear + 1 })}>
        <p>{t("review.measures.lead", { year: dates.fiscalYear + 1 })}</p>
        <MeasuresTable measures={review.measures} review={review} />
        {review.nextYearPlanId !== null ? (
          <p className="no-print">
            <Link to={`/plans/${review.nextYearPlanId}`}>{t("review.measures.openPlan", { year: dates.fiscalYear + 1 })}</Link>
          </p>
        ) : loaded.may.draft ? (
          <Form method="post" className="no-print">
            <input type="hidden" name="intent" value="draft-next-year" />
            <input type="hidden" name="language" value={lang} />
            <button type="submit" className="button button--primary">
              {t("review.measures.draft", { year: dates.fiscalYear + 1 })}
            </button>
          </Form>
        ) : null}
        <NextYearProjection section={loaded.nextYear} fiscalYear={dates.fiscalYear} />
      </Section>

      <ScoringTable scoring={loaded.scoring} headingId="review-scoring" />
      <Comments data={loaded} refused={refused} />
    </article>
  );
}

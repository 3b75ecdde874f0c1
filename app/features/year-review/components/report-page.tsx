import { Form, Link, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import type { Refusal } from "~/server/responses.server";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { useLocale } from "~/ui/use-format-amount";
import { REPORT_SECTIONS, type ReportSection } from "~/features/year-review/report-draft";
import type { ReportView } from "~/features/year-review/report.server";
import { ReportText } from "~/features/year-review/components/report-text";
import { MeasuresTables } from "~/features/year-review/components/measures-tables";
import { ScoringTable } from "~/features/year-review/components/scoring-table";
import { type ReportPeriod, periodHeadingLabel, reportPath } from "~/features/year-review/report-period";

const r = "review.report";

/** A section's title: the year's fourth is next year's measures, a period's the next period's. */
export function sectionTitleKey(section: ReportSection, period: ReportPeriod): string {
  return section === "measures" && period !== "year" ? `${r}.measuresPeriod` : `${r}.sections.${section}`;
}

/** The report's heading in the reader's language: the year's, or a half's or quarter's. */
export function useReportHeading(fiscalYear: number, period: ReportPeriod): string {
  const { t } = useTranslation();
  const language = useLocale() === "zh-CN" ? "zh" : "en";
  return period === "year" ? t(`${r}.heading`, { year: fiscalYear }) : t(`${r}.headingPeriod`, { period: periodHeadingLabel(fiscalYear, period, language) });
}

/** The year's reports: the year's own, its halves and quarters that have begun. */
function PeriodSwitch({ report }: { report: ReportView }) {
  const { t } = useTranslation();
  return (
    <nav className="review-years no-print" aria-label={t(`${r}.periods.title`)}>
      <span className="muted">{t(`${r}.periods.title`)}:</span>
      <ul>
        {report.periods.map((period) => (
          <li key={period}>
            {period === report.period ? (
              <span aria-current="page" className="review-years__current">
                {t(`${r}.periods.${period}`)}
              </span>
            ) : (
              <Link to={reportPath(report.fiscalYear, period)}>{t(`${r}.periods.${period}`)}</Link>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

function FieldError({ id, keys }: { id: string; keys: string[] | undefined }) {
  const { t } = useTranslation();
  const first = keys?.[0];
  return first ? (
    <p className="field__error" id={id}>
      {t(first)}
    </p>
  ) : null;
}

function StateLine({ report }: { report: ReportView }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  return (
    <div className="report-state" id="report-state" data-state={report.state ?? "none"} data-version={report.version}>
      <p>
        <strong>{t(`${r}.state.label`)}:</strong> {t(`${r}.state.${report.state ?? "none"}`)}
        {report.version > 0 ? <> · {t(`${r}.state.version`, { version: report.acceptedVersion ?? report.version })}</> : null}
        {report.updatedAt && report.updatedByName ? (
          <span className="muted"> · {t(`${r}.state.savedBy`, { name: report.updatedByName, at: formatDateTime(report.updatedAt, locale, timeZone) })}</span>
        ) : null}
      </p>
      {report.state === null ? <p className="muted no-print">{t(report.period === "year" ? `${r}.state.generatedNote` : `${r}.state.generatedNotePeriod`)}</p> : null}
      {report.state === "accepted" && report.acceptedVersion !== null ? <p className="muted">{t(`${r}.state.acceptedNote`, { version: report.acceptedVersion })}</p> : null}
    </div>
  );
}

function SectionComments({ report, section }: { report: ReportView; section: ReportSection }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const comments = report.comments.filter((comment) => comment.section === section);
  if (comments.length === 0) return null;
  return (
    <aside className="report-comments" aria-label={t(`${r}.comments.title`)}>
      <h3 className="report-comments__title">{t(`${r}.comments.title`)}</h3>
      <ul>
        {comments.map((comment) => (
          <li key={comment.id} data-section={section} data-decision={comment.decision}>
            <p className="report-comment__body">{comment.body}</p>
            <p className="muted small">
              {comment.authorName ?? "—"} · {t(`${r}.comments.${comment.decision}`)} · {t(`${r}.comments.onVersion`, { version: comment.reportVersion })} ·{" "}
              {formatDateTime(comment.createdAt, locale, timeZone)}
            </p>
          </li>
        ))}
      </ul>
    </aside>
  );
}

function EditForm({ report, refused }: { report: ReportView; refused: Refusal | null }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const errors = refused?.fieldErrors ?? {};
  // A refused post keeps what was typed; a saved one shows the stored text.
  const typed = refused ? refused.submitted : null;
  return (
    <section className="review-section no-print report-edit" aria-labelledby="report-edit">
      <h2 id="report-edit">{t(`${r}.edit.title`)}</h2>
      <p className="muted small">{t(`${r}.edit.help`)}</p>
      <Form method="post" className="form-grid" noValidate key={report.version}>
        <input type="hidden" name="version" value={report.version} />
        {REPORT_SECTIONS.map((section) => (
          <div className="field" key={section}>
            <label htmlFor={`report-${section}`}>{t(sectionTitleKey(section, report.period))}</label>
            <textarea
              id={`report-${section}`}
              name={section}
              rows={section === "work" ? 14 : 8}
              maxLength={20000}
              defaultValue={typeof typed?.[section] === "string" ? typed[section] : report.texts[section]}
              aria-invalid={errors[section] ? true : undefined}
              aria-describedby={errors[section] ? `report-${section}-error` : undefined}
            />
            <FieldError id={`report-${section}-error`} keys={errors[section]} />
          </div>
        ))}
        <div className="form-actions">
          <button type="submit" name="intent" value="save" className="button" disabled={navigation.state === "submitting"}>
            {t(`${r}.edit.save`)}
          </button>
          <button type="submit" name="intent" value="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
            {t(`${r}.edit.submit`)}
          </button>
        </div>
      </Form>
    </section>
  );
}

function DecideForm({ report, refused }: { report: ReportView; refused: Refusal | null }) {
  const { t } = useTranslation();
  const navigation = useNavigation();
  const errors = refused?.fieldErrors ?? {};
  return (
    <section className="review-section no-print report-decide" aria-labelledby="report-decide">
      <h2 id="report-decide">{t(`${r}.decide.title`)}</h2>
      <p className="muted small">{t(`${r}.decide.help`)}</p>
      <Form method="post" className="form-grid" noValidate key={report.version}>
        <input type="hidden" name="version" value={report.version} />
        {REPORT_SECTIONS.map((section) => {
          const name = `comment_${section}`;
          const typed = refused?.submitted[name];
          return (
            <div className="field" key={section}>
              <label htmlFor={`report-${name}`}>{t(`${r}.decide.comment`, { section: t(sectionTitleKey(section, report.period)) })}</label>
              <textarea
                id={`report-${name}`}
                name={name}
                rows={3}
                maxLength={2000}
                defaultValue={typeof typed === "string" ? typed : ""}
                aria-invalid={errors[name] ? true : undefined}
                aria-describedby={errors[name] ? `report-${name}-error` : undefined}
              />
              <FieldError id={`report-${name}-error`} keys={errors[name]} />
            </div>
          );
        })}
        <div className="form-actions">
          <button type="submit" name="intent" value="return" className="button" disabled={navigation.state === "submitting"}>
            {t(`${r}.decide.return`)}
          </button>
          <button type="submit" name="intent" value="accept" className="button button--primary" disabled={navigation.state === "submitting"}>
            {t(`${r}.decide.accept`)}
          </button>
        </div>
      </Form>
    </section>
  );
}

/** The head's written report on a year: its four sections, leadership's comments, the year's measures. */
export function ReportPage({ report, refused }: { report: ReportView; refused: Refusal | null }) {
  const { t } = useTranslation();
  // A refusal of the whole post (409, 403) shows up here; field errors at their fields.
  const refusal = refused?.message && Object.keys(refused.fieldErrors).length === 0 ? t(refused.message) : null;
  const texts = report.accepted ?? report.texts;
  const heading = useReportHeading(report.fiscalYear, report.period);
  return (
    <article className="review written-report" data-period={report.period}>
      <p className="breadcrumb no-print">
        <Link to={`/review/${report.fiscalYear}`}>{t(`${r}.back`)}</Link>
      </p>
      <PeriodSwitch report={report} />
      <header className="review-head">
        <h1>{heading}</h1>
        <p className="muted no-print">{t(`${r}.lead`)}</p>
        <div className="review-actions no-print">
          <a className="button" href={`${reportPath(report.fiscalYear, report.period)}/docx`} download>
            {t(`${r}.docx`)}
          </a>
          <button type="button" className="button" onClick={() => window.print()}>
            {t(`${r}.print`)}
          </button>
        </div>
        <StateLine report={report} />
        {refusal ? (
          <p className="alert alert--error" role="alert">
            {refusal}
          </p>
        ) : null}
      </header>
      {REPORT_SECTIONS.map((section) => (
        <section key={section} className="review-section report-section" aria-labelledby={`report-section-${section}`} data-section={section}>
          <h2 id={`report-section-${section}`}>{t(sectionTitleKey(section, report.period))}</h2>
          <ReportText text={texts[section]} />
          <SectionComments report={report} section={section} />
        </section>
      ))}
      {report.may.decide ? <DecideForm report={report} refused={refused} /> : null}
      {report.may.edit ? <EditForm report={report} refused={refused} /> : null}
      <ScoringTable scoring={report.scoring} />
      <MeasuresTables measures={report.measures} currency={report.currency} period={report.period} />
    </article>
  );
}

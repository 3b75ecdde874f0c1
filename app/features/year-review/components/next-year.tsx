import { Form, Link, useLocation } from "@remix-run/react";
import type { ChartConfiguration, TooltipItem } from "chart.js";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { sentences } from "~/i18n";

import { useKpiText } from "~/features/dashboard/components";
import { compactAmount, formatFixed, monthLabel } from "~/features/kpi";
import { Amount } from "~/ui/amount";
import { ChartCanvas } from "~/ui/charts/chart-canvas";
import { useFormatAmount, useFormatDate, useLocale } from "~/ui/use-format-amount";
import type { NextYearMonth } from "~/features/year-review/next-year";
import type { NextYearSection } from "~/features/year-review/next-year.server";

/*
 * The review's projection of next year's receivables: the scenario form (a GET form: the scenario
 * stays in the URL, so a projection can be linked and printed), how the figures were made, the
 * twelve months as a table and as a chart. Every amount carries its minor units in `data-minor`.
 */

const toMajor = (minor: number) => minor / 100;
const toMinor = (major: number) => Math.round(major * 100);

function ScenarioForm({ section }: { section: NextYearSection }) {
  const { t } = useTranslation();
  const location = useLocation();
  const field = (name: "growth" | "dsoTarget", label: string, hint: string, error: string | undefined) => (
    <div className="field">
      <label htmlFor={`next-year-${name}`}>{label}</label>
      <input
        id={`next-year-${name}`}
        name={name}
        type="text"
        inputMode="decimal"
        defaultValue={section.input[name]}
        maxLength={20}
        aria-invalid={error ? true : undefined}
        aria-describedby={`next-year-${name}-hint${error ? ` next-year-${name}-error` : ""}`}
      />
      <p className="muted small field__help" id={`next-year-${name}-hint`}>
        {hint}
      </p>
      {error ? (
        <p className="field__error" id={`next-year-${name}-error`}>
          {t(error)}
        </p>
      ) : null}
    </div>
  );
  return (
    // keyed by the URL: a new scenario (or the defaults) refills the boxes with what it holds
    <Form key={location.search} method="get" preventScrollReset className="next-year-form no-print" aria-labelledby="next-year-form-title" noValidate>
      <h4 id="next-year-form-title" className="next-year-form__title">
        {t("review.nextYear.form.title")}
      </h4>
      <div className="next-year-form__fields">
        {field("growth", t("review.nextYear.form.growth"), t("review.nextYear.form.growthHint"), section.errors.growth)}
        {field(
          "dsoTarget",
          t("review.nextYear.form.dsoTarget"),
          section.planTarget !== null ? t("review.nextYear.form.dsoHintPlan", { target: formatFixed(section.planTarget, 1) }) : t("review.nextYear.form.dsoHintNone"),
          section.errors.dsoTarget,
        )}
        <div className="form-actions">
          <button type="submit" className="button button--primary">
            {t("review.nextYear.form.submit")}
          </button>
          <Link to={`${location.pathname}#next-year`} className="button" preventScrollReset>
            {t("review.nextYear.form.reset")}
          </Link>
        </div>
      </div>
    </Form>
  );
}

function NextYearChart({ months, target }: { months: NextYearMonth[]; target: number | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const formatAmount = useFormatAmount();
  const receivablesName = t("review.nextYear.receivables");
  const dsoName = t("review.nextYear.dso");
  const targetName = t("review.nextYear.target");
  const config = useMemo<ChartConfiguration<"bar" | "line", (number | null)[], string>>(
    () => ({
      type: "bar",
      data: {
        labels: months.map((m) => monthLabel(m.month, locale)),
        datasets: [
          { type: "line", label: dsoName, data: months.map((m) => m.dso), yAxisID: "days", borderColor: "#12355b", backgroundColor: "#12355b", borderWidth: 2, pointRadius: 2, tension: 0.25, order: 0 },
          ...(target !== null
            ? [{ type: "line" as const, label: targetName, data: months.map((m) => (m.targetReceivables === null ? null : toMajor(m.targetReceivables))), yAxisID: "amount", borderColor: "#e09f3e", backgroundColor: "#e09f3e", borderDash: [6, 4], borderWidth: 2, pointRadius: 0, order: 1 }]
            : []),
          { type: "bar", label: receivablesName, data: months.map((m) => toMajor(m.receivables)), yAxisID: "amount", backgroundColor: "#1f5f99cc", borderRadius: 3, order: 2 },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          amount: { type: "linear", position: "left", beginAtZero: true, ticks: { callback: (value) => compactAmount(toMinor(Number(value)), locale) } },
          days: { type: "linear", position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: t("review.nextYear.chart.days") } },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: (item: TooltipItem<"bar" | "line">) =>
                item.dataset.yAxisID === "days"
                  ? `${item.dataset.label}: ${formatFixed(item.parsed.y ?? 0, 1)}`
                  : `${item.dataset.label}: ${formatAmount(toMinor(item.parsed.y ?? 0))}`,
            },
          },
        },
      },
    }),
    [months, target, locale, formatAmount, t, dsoName, receivablesName, targetName],
  );
  const first = months[0];
  const last = months[months.length - 1];
  if (!first || !last) return null;
  return (
    <section className="panel next-year-chart" aria-labelledby="next-year-chart">
      <h4 id="next-year-chart" className="panel__title">
        {t("review.nextYear.chart.title")}
      </h4>
      <ChartCanvas config={config} height={280} label={t("review.nextYear.chart.label", { from: monthLabel(first.month, locale), to: monthLabel(last.month, locale) })} />
    </section>
  );
}

function NextYearTable({ section }: { section: NextYearSection }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const text = useKpiText();
  const projection = section.projection;
  if (!projection) return null;
  const withTarget = section.dsoTarget !== null;
  const days = (value: number | null) => (value === null ? t("ledger.none") : text.value(value, "days"));
  const money = (value: number | null) => (value === null ? t("ledger.none") : <Amount minor={value} />);
  const collections = projection.months.reduce((sum, m) => sum + m.collections, 0);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={t("review.nextYear.table")}>
      <table className="ledger-table review-table stack-table" data-table="next-year">
        <caption>{t("review.nextYear.table")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("review.nextYear.month")}</th>
            <th scope="col" className="num">{t("review.nextYear.sales")}</th>
            <th scope="col" className="num">{t("review.nextYear.collections")}</th>
            <th scope="col" className="num">{t("review.nextYear.receivables")}</th>
            <th scope="col" className="num">{t("review.nextYear.dso")}</th>
            {withTarget ? <th scope="col" className="num">{t("review.nextYear.target")}</th> : null}
            {withTarget ? <th scope="col" className="num">{t("review.nextYear.gap")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {projection.months.map((m) => (
            <tr key={m.month} data-month={m.month}>
              <th scope="row" className="nowrap cell--title">{monthLabel(m.month, locale)}</th>
              <td className="num" data-col="sales" data-minor={m.sales} data-label={t("review.nextYear.sales")}>{money(m.sales)}</td>
              <td className="num" data-col="collections" data-minor={m.collections} data-label={t("review.nextYear.collections")}>{money(m.collections)}</td>
              <td className="num" data-col="receivables" data-minor={m.receivables} data-label={t("review.nextYear.receivables")}>{money(m.receivables)}</td>
              <td className="num" data-col="dso" data-label={t("review.nextYear.dso")}>{days(m.dso)}</td>
              {withTarget ? <td className="num" data-col="target" data-minor={m.targetReceivables ?? undefined} data-label={t("review.nextYear.target")}>{money(m.targetReceivables)}</td> : null}
              {withTarget ? <td className="num" data-col="gap" data-minor={m.gap ?? undefined} data-label={t("review.nextYear.gap")}>{money(m.gap)}</td> : null}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-month="year">
            <th scope="row" className="cell--title">{t("review.nextYear.year")}</th>
            <td className="num" data-col="sales" data-minor={projection.totalSales} data-label={t("review.nextYear.sales")}>{money(projection.totalSales)}</td>
            <td className="num" data-col="collections" data-minor={collections} data-label={t("review.nextYear.collections")}>{money(collections)}</td>
            <td className="num" data-col="receivables" data-minor={projection.closing} data-label={t("review.nextYear.receivables")}>{money(projection.closing)}</td>
            <td className="num" data-label={t("review.nextYear.dso")}>{days(projection.months[projection.months.length - 1]?.dso ?? null)}</td>
            {withTarget ? <td /> : null}
            {withTarget ? <td /> : null}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** The projection in the review's "next year's measures". */
export function NextYearProjection({ section, fiscalYear }: { section: NextYearSection; fiscalYear: number }) {
  const { t } = useTranslation();
  const formatAmount = useFormatAmount();
  const formatDate = useFormatDate();
  const { projection, cycle } = section;
  const last = projection?.months[projection.months.length - 1];
  const hasErrors = Object.keys(section.errors).length > 0;
  return (
    <div className="next-year" data-testid="next-year">
      <h3 id="next-year">{t("review.nextYear.heading")}</h3>
      {!section.available ? (
        <p className="muted">{t("review.nextYear.running", { year: fiscalYear })}</p>
      ) : !projection || !cycle ? (
        <p className="muted">{t("review.nextYear.pending")}</p>
      ) : (
        <>
          <p>{t("review.nextYear.lead", { year: fiscalYear + 1, previous: fiscalYear })}</p>
          <ScenarioForm section={section} />
          {hasErrors ? (
            <p className="alert alert--error" role="alert">
              {t("review.nextYear.error.shown")}
            </p>
          ) : null}
          {last ? (
            <p className="next-year__closing" data-testid="next-year-closing" data-minor={last.receivables}>
              <strong>
                {t("review.nextYear.closing", {
                  date: formatDate(last.monthEnd),
                  amount: formatAmount(last.receivables),
                  dso: last.dso === null ? t("ledger.none") : formatFixed(last.dso, 1),
                })}
              </strong>
            </p>
          ) : null}
          <NextYearTable section={section} />
          <NextYearChart months={projection.months} target={section.dsoTarget} />
          <p className="muted small next-year__method">
            {sentences(t, [
              t("review.nextYear.method", {
                base: formatAmount(projection.baseSales),
                previous: fiscalYear,
                total: formatAmount(projection.totalSales),
                growth: formatFixed(section.growthPct, 1),
                seasonYears: `${fiscalYear - 2}–${fiscalYear}`,
                days: projection.cycleDays,
                terms: formatFixed(cycle.termsDays, 1),
                late: formatFixed(cycle.lateDays, 1),
                opening: formatAmount(projection.opening),
              }),
              !cycle.measured && t("review.nextYear.unmeasured"),
            ])}
          </p>
        </>
      )}
    </div>
  );
}

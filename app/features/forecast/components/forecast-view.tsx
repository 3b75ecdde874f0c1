import type { ChartConfiguration } from "chart.js";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { sentences } from "~/i18n";

import { ChartCanvas } from "~/ui/charts/chart-canvas";
import { Amount } from "~/ui/amount";
import { useFormatAmount, useFormatDate } from "~/ui/use-format-amount";

/*
 * The forecast page's body: for the weeks and for the months, a chart (expected collections as
 * bars split into open invoices and new sales, the low–high range as a band) and a table of the
 * same figures; then the customers shown apart and where the figures fell back.
 */

export interface ForecastPeriodRow {
  label: string;
  open: number;
  newSales: number;
  expected: number;
  low: number;
  high: number;
}

const COLOURS = { open: "#1f5f99", newSales: "#8cc084", range: "#e09f3e" };

/**
 * The chart of one set of periods: open invoices and new sales stacked into each period's
 * expected bar, the high and low ends as lines with the band between them. On a stacked y axis
 * each line stands in a stack of its own, so it is drawn at its own value, not on top of the bars.
 */
export function periodChartConfig(
  rows: readonly ForecastPeriodRow[],
  labels: { open: string; newSales: string; high: string; low: string },
  format: (minor: number) => string,
): ChartConfiguration<"bar" | "line"> {
  return {
    type: "bar",
    data: {
      labels: rows.map((r) => r.label),
      datasets: [
        { type: "bar", label: labels.open, data: rows.map((r) => r.open / 100), backgroundColor: COLOURS.open, stack: "expected" },
        { type: "bar", label: labels.newSales, data: rows.map((r) => r.newSales / 100), backgroundColor: COLOURS.newSales, stack: "expected" },
        { type: "line", label: labels.high, data: rows.map((r) => r.high / 100), borderColor: COLOURS.range, borderDash: [4, 4], pointRadius: 0, fill: false, stack: "high" },
        { type: "line", label: labels.low, data: rows.map((r) => r.low / 100), borderColor: COLOURS.range, backgroundColor: "rgba(224, 159, 62, 0.15)", borderDash: [4, 4], pointRadius: 0, fill: "-1", stack: "low" },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { callback: (value) => format(Math.round(Number(value) * 100)) } } },
      plugins: { legend: { position: "bottom" } },
    },
  };
}

function PeriodChart({ rows, title }: { rows: ForecastPeriodRow[]; title: string }) {
  const { t } = useTranslation();
  const format = useFormatAmount();
  const config = useMemo(
    () => periodChartConfig(rows, { open: t("forecast.open"), newSales: t("forecast.newSales"), high: t("forecast.high"), low: t("forecast.low") }, format),
    [rows, t, format],
  );
  return <ChartCanvas label={`${title}: ${t("forecast.chartLabel")}`} config={config} height={280} />;
}

function PeriodTable({ rows, caption, first }: { rows: ForecastPeriodRow[]; caption: string; first: string }) {
  const { t } = useTranslation();
  const sum = (key: keyof Omit<ForecastPeriodRow, "label">) => rows.reduce((total, r) => total + r[key], 0);
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            <th scope="col" className="num">{t("forecast.open")}</th>
            <th scope="col" className="num">{t("forecast.newSales")}</th>
            <th scope="col" className="num">{t("forecast.expected")}</th>
            <th scope="col" className="num">{t("forecast.low")}</th>
            <th scope="col" className="num">{t("forecast.high")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row" style={{ whiteSpace: "nowrap" }}>{r.label}</th>
              <td className="num"><Amount minor={r.open} /></td>
              <td className="num"><Amount minor={r.newSales} /></td>
              <td className="num"><strong><Amount minor={r.expected} /></strong></td>
              <td className="num"><Amount minor={r.low} /></td>
              <td className="num"><Amount minor={r.high} /></td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("forecast.total")}</th>
            <td className="num"><Amount minor={sum("open")} /></td>
            <td className="num"><Amount minor={sum("newSales")} /></td>
            <td className="num"><strong><Amount minor={sum("expected")} /></strong></td>
            <td className="num"><Amount minor={sum("low")} /></td>
            <td className="num"><Amount minor={sum("high")} /></td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

export function ForecastPeriods({ id, title, rows, first }: { id: string; title: string; rows: ForecastPeriodRow[]; first: string }) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id} className="panel__title">
        {title}
      </h2>
      <PeriodChart rows={rows} title={title} />
      <PeriodTable rows={rows} caption={title} first={first} />
    </section>
  );
}

export interface ApartRow {
  code: string;
  name: string;
  reason: "stop_shipment" | "lawyer_letter";
  open: number;
  expected: number;
  probability: number;
}

/** curveRead: the figures take the collection curve's reading, which leaves these customers to their invoices. */
export function ApartCustomers({ rows, curveRead = false }: { rows: ApartRow[]; curveRead?: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="panel" aria-labelledby="forecast-apart">
      <h2 id="forecast-apart" className="panel__title">
        {t("forecast.apartTitle")}
      </h2>
      <p className="muted">
        {sentences(t, [t("forecast.apartIntro"), curveRead && t("forecast.apartPace")])}
      </p>
      {rows.length === 0 ? (
        <p>{t("forecast.apartNone")}</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t("forecast.apartTitle")}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("forecast.customer")}</th>
                <th scope="col">{t("forecast.why")}</th>
                <th scope="col" className="num">{t("forecast.openAmount")}</th>
                <th scope="col" className="num">{t("forecast.expectedAmount")}</th>
                <th scope="col" className="num">{t("forecast.probability")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.code}>
                  <th scope="row">
                    <a href={`/customers/${encodeURIComponent(r.code)}`}>
                      {r.code} {r.name}
                    </a>
                  </th>
                  <td>{t(`forecast.reason.${r.reason}`)}</td>
                  <td className="num"><Amount minor={r.open} /></td>
                  <td className="num"><Amount minor={r.expected} /></td>
                  <td className="num">{Math.round(r.probability * 100)} %</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Week rows labelled by their first and last day in the reader's date format. */
export function useWeekRows(weeks: { start: string; end: string; open: number; newSales: number; expected: number; low: number; high: number }[]): ForecastPeriodRow[] {
  const formatDate = useFormatDate();
  return useMemo(() => weeks.map((w) => ({ ...w, label: `${formatDate(w.start)} – ${formatDate(w.end)}` })), [weeks, formatDate]);
}

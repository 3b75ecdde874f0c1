import type { ChartConfiguration, TooltipItem } from "chart.js";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

import { ChartCanvas } from "~/components/charts/chart-canvas";
import { Amount } from "~/components/ledger/amount";
import { useFormatAmount, useLocale } from "~/components/use-format-amount";
import { compactAmount } from "~/domain/kpi-format";
import type { ScoreboardRow } from "~/domain/scoreboard";

/*
 * Collected and overdue change per owner, in rank order: a chart.js canvas (drawn in the browser)
 * and the same figures as a table in a <details>, for screen readers, printing and no JavaScript.
 */

const COLOURS = { collected: "#1f5f99", overdueChange: "#d1495b" };

const toMajor = (minor: number) => minor / 100;
const toMinor = (major: number) => Math.round(major * 100);

export function ScoreboardChart({ rows, period }: { rows: ScoreboardRow[]; period: { start: string; end: string } }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const formatAmount = useFormatAmount();
  const collectedName = t("scoreboard.chart.collected");
  const changeName = t("scoreboard.chart.overdueChange");
  const config = useMemo<ChartConfiguration<"bar", number[], string>>(
    () => ({
      type: "bar",
      data: {
        labels: rows.map((row) => row.name),
        datasets: [
          { label: collectedName, data: rows.map((row) => toMajor(row.figures.collected)), backgroundColor: `${COLOURS.collected}cc`, borderRadius: 3 },
          { label: changeName, data: rows.map((row) => toMajor(row.overdueChange.amount)), backgroundColor: `${COLOURS.overdueChange}cc`, borderRadius: 3 },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          y: { type: "linear", ticks: { callback: (value) => compactAmount(toMinor(Number(value)), locale) } },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: (item: TooltipItem<"bar">) => {
                const minor = toMinor(item.parsed.y ?? 0);
                const sign = item.datasetIndex === 1 && minor > 0 ? "+" : minor < 0 ? "\u2212" : "";
                return `${item.dataset.label}: ${sign}${formatAmount(Math.abs(minor))}`;
              },
            },
          },
        },
      },
    }),
    [rows, locale, formatAmount, collectedName, changeName],
  );
  const title = t("scoreboard.chart.title");
  return (
    <section className="panel scoreboard-chart" aria-labelledby="scoreboard-chart-title">
      <h2 id="scoreboard-chart-title" className="panel__title">
        {title}
      </h2>
      <ChartCanvas config={config} label={t("scoreboard.chart.label", period)} height={Math.max(260, Math.min(420, 120 + rows.length * 30))} />
      <details className="panel__table">
        <summary>{t("dashboard.charts.showTable")}</summary>
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t("dashboard.charts.tableOf", { title })}>
          <table className="ledger-table chart-table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t("scoreboard.columns.owner")}</th>
                <th scope="col" className="num">
                  {collectedName}
                </th>
                <th scope="col" className="num">
                  {changeName}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.ownerId}>
                  <th scope="row">{row.name}</th>
                  <td className="num">
                    <Amount minor={row.figures.collected} />
                  </td>
                  <td className="num">
                    <Amount minor={row.overdueChange.amount} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

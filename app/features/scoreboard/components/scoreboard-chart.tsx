import type { ChartConfiguration, TooltipItem } from "chart.js";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

import { ChartCanvas } from "~/ui/charts/chart-canvas";
import { Amount } from "~/ui/amount";
import { useFormatAmount, useLocale } from "~/ui/use-format-amount";
import { compactAmount } from "~/features/kpi";
import type { ScoreboardRow } from "~/features/scoreboard/scoreboard";

/*
 * Collected and overdue change per owner, in rank order: two chart.js canvases (drawn in the
 * browser), each on its own axis, since collections run to tens of millions while the change in
 * overdue is often a few hundred thousand and would be a flat line on a shared axis; then the same
 * figures as a table in a <details>, for screen readers, printing and no JavaScript.
 */

const COLOURS = { collected: "#1f5f99", rise: "#c0392b", fall: "#1d6b3a" };

const toMajor = (minor: number) => minor / 100;
const toMinor = (major: number) => Math.round(major * 100);

function useBarChart(labels: string[], name: string, values: number[], colours: string[], signed: boolean) {
  const locale = useLocale();
  const formatAmount = useFormatAmount();
  return useMemo<ChartConfiguration<"bar", number[], string>>(
    () => ({
      type: "bar",
      data: { labels, datasets: [{ label: name, data: values.map(toMajor), backgroundColor: colours.map((colour) => `${colour}cc`), borderRadius: 3 }] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        scales: { y: { type: "linear", ticks: { callback: (value) => compactAmount(toMinor(Number(value)), locale) } } },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item: TooltipItem<"bar">) => {
                const minor = toMinor(item.parsed.y ?? 0);
                const sign = signed && minor > 0 ? "+" : minor < 0 ? "\u2212" : "";
                return `${name}: ${sign}${formatAmount(Math.abs(minor))}`;
              },
            },
          },
        },
      },
    }),
    [labels, name, values, colours, signed, locale, formatAmount],
  );
}

export function ScoreboardChart({ rows, period }: { rows: ScoreboardRow[]; period: { start: string; end: string } }) {
  const { t } = useTranslation();
  const collectedName = t("scoreboard.chart.collected");
  const changeName = t("scoreboard.chart.overdueChange");
  const labels = useMemo(() => rows.map((row) => row.name), [rows]);
  const collected = useMemo(() => rows.map((row) => row.figures.collected), [rows]);
  const changes = useMemo(() => rows.map((row) => row.overdueChange.amount), [rows]);
  const collectedColours = useMemo(() => rows.map(() => COLOURS.collected), [rows]);
  const changeColours = useMemo(() => changes.map((amount) => (amount > 0 ? COLOURS.rise : COLOURS.fall)), [changes]);
  const collectedChart = useBarChart(labels, collectedName, collected, collectedColours, false);
  const changeChart = useBarChart(labels, changeName, changes, changeColours, true);
  const height = Math.max(240, Math.min(380, 110 + rows.length * 28));
  const title = t("scoreboard.chart.title");
  return (
    <section className="panel scoreboard-chart" aria-labelledby="scoreboard-chart-title">
      <h2 id="scoreboard-chart-title" className="panel__title">
        {title}
      </h2>
      <div className="scoreboard-chart__pair">
        <figure className="scoreboard-chart__one">
          <figcaption>{collectedName}</figcaption>
          <ChartCanvas config={collectedChart} label={t("scoreboard.chart.collectedLabel", period)} height={height} />
        </figure>
        <figure className="scoreboard-chart__one">
          <figcaption>
            {changeName} <span className="muted">{t("scoreboard.chart.changeKey")}</span>
          </figcaption>
          <ChartCanvas config={changeChart} label={t("scoreboard.chart.changeLabel", period)} height={height} />
        </figure>
      </div>
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

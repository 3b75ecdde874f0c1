import { Link, useLocation, useNavigate } from "@remix-run/react";
import type { ChartConfiguration, TooltipItem } from "chart.js";
import { type ReactNode, useCallback, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";

import { ChartCanvas } from "~/ui/charts/chart-canvas";
import { Amount } from "~/ui/amount";
import { useFormatAmount, useFormatDate, useLocale } from "~/ui/use-format-amount";
import { compactAmount, formatFixed, formatKpiNumber, monthLabel, quarterLabel } from "~/features/kpi";
import type { MonthlyTrendPoint, OverdueCustomer, QuarterlyCollectionPoint } from "~/features/kpi";
import { AGING_BUCKETS, type AgingBucket } from "~/features/kpi";

/*
 * The dashboard's four trend charts. Each is a chart.js canvas (drawn in the browser) plus a
 * table of the same figures in a <details>, which is what screen readers and browsers without
 * JavaScript get. Props are the series types the server's query functions return.
 *
 * A table is made only when asked for: opening the <details> renders it in the browser from the
 * figures the charts already have. Without JavaScript the opened <details> offers a link to the
 * same page with `tables=1`, which the server renders with every table in place and open. So a
 * view does not pay for some 300 formatted cells nobody opened.
 */

/** The URL parameter that asks the server for the charts' tables (for browsers without JavaScript). */
export const TABLES_PARAMETER = "tables";

const COLOURS = {
  overdue: "#d1495b",
  dso: "#12355b",
  collectionRate: "#1f5f99",
  cei: "#e09f3e",
  topOverdue: "#b3261e",
};

/** From not yet due (green) to over a year past due (dark red). */
const AGING_COLOURS: Record<AgingBucket, string> = {
  current: "#2e7d4f",
  "1_30": "#8cc084",
  "31_60": "#f2c14e",
  "61_90": "#f29e4c",
  "91_180": "#e4572e",
  "181_365": "#b3261e",
  over_365: "#6d1a1a",
};

const toMajor = (minor: number) => minor / 100;
const toMinor = (major: number) => Math.round(major * 100);

function ChartPanel({
  id,
  title,
  note,
  chart,
  table,
}: {
  id: string;
  title: string;
  note?: ReactNode;
  chart: ReactNode;
  table: () => ReactNode;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const search = new URLSearchParams(location.search);
  const asked = search.get(TABLES_PARAMETER) === "1";
  const [open, setOpen] = useState(asked);
  search.set(TABLES_PARAMETER, "1");
  return (
    <section className="panel" aria-labelledby={id}>
      <h3 id={id} className="panel__title">
        {title}
      </h3>
      {note}
      {chart}
      <details className="panel__table" open={asked || undefined} onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary>{t("dashboard.charts.showTable")}</summary>
        {open ? (
          // focusable: a wide table scrolls sideways, and keyboard users must be able to scroll it
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t("dashboard.charts.tableOf", { title })}>
            {table()}
          </div>
        ) : (
          <p className="panel__note">
            <a href={`${location.pathname}?${search.toString()}#${id}`}>{t("dashboard.charts.tableOnRequest")}</a>
          </p>
        )}
      </details>
    </section>
  );
}

/** Stable per language, so the charts' configs (and so the canvases) are not rebuilt on every render. */
function useMonthLabel() {
  const locale = useLocale();
  const formatDate = useFormatDate();
  const { t } = useTranslation();
  return useMemo(
    () => ({
      axis: (point: MonthlyTrendPoint) => monthLabel(point.month, locale),
      row: (point: MonthlyTrendPoint) =>
        point.partial ? t("dashboard.charts.toDate", { date: formatDate(point.date) }) : formatDate(point.date),
    }),
    [locale, formatDate, t],
  );
}

export function DsoOverdueChart({ points }: { points: MonthlyTrendPoint[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const formatAmount = useFormatAmount();
  const label = useMonthLabel();
  const overdueName = t("dashboard.charts.overdue");
  const dsoName = t("dashboard.charts.dso");
  const config = useMemo<ChartConfiguration<"bar" | "line", (number | null)[], string>>(
    () => ({
      type: "bar",
      data: {
        labels: points.map(label.axis),
        datasets: [
          {
            type: "line",
            label: dsoName,
            data: points.map((p) => p.dso),
            yAxisID: "days",
            borderColor: COLOURS.dso,
            backgroundColor: COLOURS.dso,
            borderWidth: 2,
            pointRadius: 2,
            tension: 0.25,
            order: 0,
          },
          {
            type: "bar",
            label: overdueName,
            data: points.map((p) => toMajor(p.overdueTotal)),
            yAxisID: "amount",
            backgroundColor: `${COLOURS.overdue}cc`,
            borderRadius: 3,
            order: 1,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          amount: {
            type: "linear",
            position: "left",
            beginAtZero: true,
            ticks: { callback: (value) => compactAmount(toMinor(Number(value)), locale) },
          },
          days: {
            type: "linear",
            position: "right",
            beginAtZero: true,
            grid: { drawOnChartArea: false },
            title: { display: true, text: t("dashboard.charts.daysAxis") },
          },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: (item: TooltipItem<"bar" | "line">) =>
                item.dataset.yAxisID === "days"
                  ? `${item.dataset.label}: ${t("dashboard.days", { value: formatFixed(item.parsed.y ?? 0, 1) })}`
                  : `${item.dataset.label}: ${formatAmount(toMinor(item.parsed.y ?? 0))}`,
            },
          },
        },
      },
    }),
    [points, label.axis, locale, formatAmount, t, dsoName, overdueName],
  );
  const first = points[0];
  const last = points[points.length - 1];
  // The series always has its months; with none there is nothing to draw.
  if (!first || !last) return null;
  return (
    <ChartPanel
      id="chart-dso-overdue"
      title={t("dashboard.charts.dsoOverdue")}
      chart={
        <ChartCanvas
          config={config}
          label={t("dashboard.charts.dsoOverdueLabel", { from: label.axis(first), to: label.axis(last) })}
        />
      }
      table={() => (
        <table className="ledger-table chart-table">
          <caption className="visually-hidden">{t("dashboard.charts.dsoOverdue")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("dashboard.charts.monthEnd")}</th>
              <th scope="col" className="num">
                {overdueName}
              </th>
              <th scope="col" className="num">
                {t("dashboard.charts.arTotal")}
              </th>
              <th scope="col" className="num">
                {t("dashboard.charts.dsoDays")}
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.date}>
                <th scope="row">{label.row(point)}</th>
                <td className="num">
                  <Amount minor={point.overdueTotal} />
                </td>
                <td className="num">
                  <Amount minor={point.arTotal} />
                </td>
                <td className="num">{point.dso === null ? t("ledger.none") : formatFixed(point.dso, 1)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    />
  );
}

export function AgingChart({ points }: { points: MonthlyTrendPoint[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const formatAmount = useFormatAmount();
  const label = useMonthLabel();
  const config = useMemo<ChartConfiguration<"bar", number[], string>>(
    () => ({
      type: "bar",
      data: {
        labels: points.map(label.axis),
        datasets: AGING_BUCKETS.map((bucket) => ({
          label: t(`aging.${bucket}`),
          data: points.map((p) => toMajor(p.aging[bucket])),
          backgroundColor: AGING_COLOURS[bucket],
          stack: "aging",
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { stacked: true },
          y: {
            stacked: true,
            beginAtZero: true,
            ticks: { callback: (value) => compactAmount(toMinor(Number(value)), locale) },
          },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label}: ${formatAmount(toMinor(item.parsed.y ?? 0))}` },
          },
        },
      },
    }),
    [points, label.axis, locale, formatAmount, t],
  );
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return null;
  return (
    <ChartPanel
      id="chart-aging"
      title={t("dashboard.charts.aging")}
      chart={
        <ChartCanvas
          config={config}
          height={320}
          label={t("dashboard.charts.agingLabel", {
            from: label.axis(first),
            to: label.axis(last),
          })}
        />
      }
      table={() => (
        <table className="ledger-table chart-table">
          <caption className="visually-hidden">{t("dashboard.charts.aging")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("dashboard.charts.monthEnd")}</th>
              {AGING_BUCKETS.map((bucket) => (
                <th key={bucket} scope="col" className="num">
                  {t(`aging.${bucket}`)}
                </th>
              ))}
              <th scope="col" className="num">
                {t("aging.total")}
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.date}>
                <th scope="row" className="nowrap">
                  {label.row(point)}
                </th>
                {AGING_BUCKETS.map((bucket) => (
                  <td key={bucket} className="num">
                    <Amount minor={point.aging[bucket]} />
                  </td>
                ))}
                <td className="num total">
                  <Amount minor={point.arTotal} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    />
  );
}

export function CollectionChart({ points, fiscalStartMonth }: { points: QuarterlyCollectionPoint[]; fiscalStartMonth: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const formatDate = useFormatDate();
  const labelOf = useCallback(
    (point: QuarterlyCollectionPoint) => quarterLabel(point.fiscalYear, point.quarter, locale, fiscalStartMonth),
    [locale, fiscalStartMonth],
  );
  const rateName = t("dashboard.charts.collectionRate");
  const ceiName = t("dashboard.charts.cei");
  const config = useMemo<ChartConfiguration<"bar", (number | null)[], string>>(
    () => ({
      type: "bar",
      data: {
        labels: points.map((p) => (p.partial ? `${labelOf(p)}*` : labelOf(p))),
        datasets: [
          {
            label: rateName,
            data: points.map((p) => (p.collectionRate === null ? null : p.collectionRate * 100)),
            backgroundColor: COLOURS.collectionRate,
            borderRadius: 3,
          },
          {
            label: ceiName,
            data: points.map((p) => p.cei),
            backgroundColor: COLOURS.cei,
            borderRadius: 3,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          y: { beginAtZero: true, ticks: { callback: (value) => `${formatFixed(Number(value), 0)}%` } },
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: { label: (item) => `${item.dataset.label}: ${formatFixed(item.parsed.y ?? 0, 1)}%` },
          },
        },
      },
    }),
    [points, labelOf, rateName, ceiName],
  );
  const first = points[0];
  const current = points[points.length - 1];
  if (!first || !current) return null;
  return (
    <ChartPanel
      id="chart-collection"
      title={t("dashboard.charts.collection")}
      note={
        current.partial ? (
          <p className="panel__note">{t("dashboard.charts.quarterToDate", { quarter: labelOf(current), date: formatDate(current.date) })}</p>
        ) : null
      }
      chart={
        <ChartCanvas
          config={config}
          label={t("dashboard.charts.collectionLabel", { from: labelOf(first), to: labelOf(current) })}
        />
      }
      table={() => (
        <table className="ledger-table chart-table">
          <caption className="visually-hidden">{t("dashboard.charts.collection")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("dashboard.charts.quarter")}</th>
              <th scope="col">{t("dashboard.charts.period")}</th>
              <th scope="col" className="num">
                {t("dashboard.charts.billed")}
              </th>
              <th scope="col" className="num">
                {t("dashboard.charts.collected")}
              </th>
              <th scope="col" className="num">
                {rateName}
              </th>
              <th scope="col" className="num">
                {ceiName}
              </th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.date}>
                <th scope="row" className="nowrap">
                  {labelOf(point)}
                </th>
                <td className="nowrap">
                  {t("dashboard.method.period", { start: formatDate(point.start), end: formatDate(point.date) })}
                </td>
                <td className="num">
                  <Amount minor={point.billed} />
                </td>
                <td className="num">
                  <Amount minor={point.collected} />
                </td>
                <td className="num">
                  {point.collectionRate === null ? t("ledger.none") : `${formatKpiNumber(point.collectionRate, "ratio")}%`}
                </td>
                <td className="num">{point.cei === null ? t("ledger.none") : formatKpiNumber(point.cei, "percent")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    />
  );
}

/** Long customer names would squeeze the bars: the axis shows the start, the tooltip all of it. */
function shortName(name: string, max = 16): string {
  const chars = [...name];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : name;
}

export function TopOverdueChart({
  customers,
  asOf,
  ownCustomersOnly,
}: {
  customers: OverdueCustomer[];
  asOf: string;
  ownCustomersOnly: boolean;
}) {
  const { t } = useTranslation();
  const formatAmount = useFormatAmount();
  const formatDate = useFormatDate();
  const locale = useLocale();
  const navigate = useNavigate();
  const overdueName = t("dashboard.charts.overdue");
  const config = useMemo<ChartConfiguration<"bar", number[], string>>(
    () => ({
      type: "bar",
      data: {
        labels: customers.map((c) => c.name),
        datasets: [
          {
            label: overdueName,
            data: customers.map((c) => toMajor(c.overdue)),
            backgroundColor: COLOURS.topOverdue,
            borderRadius: 3,
          },
        ],
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { beginAtZero: true, ticks: { callback: (value) => compactAmount(toMinor(Number(value)), locale) } },
          y: {
            ticks: {
              // a phone's narrow chart keeps room for the bars
              callback(value) {
                return shortName(this.getLabelForValue(Number(value)), this.chart.width < 520 ? 8 : 16);
              },
            },
          },
        },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: (items) => {
                const customer = customers[items[0]?.dataIndex ?? 0];
                return customer ? `${customer.code} ${customer.name}` : "";
              },
              label: (item) => `${overdueName}: ${formatAmount(toMinor(item.parsed.x ?? 0))}`,
            },
          },
        },
        onHover: (event, elements) => {
          const target = event.native?.target;
          if (target instanceof HTMLElement) target.style.cursor = elements.length > 0 ? "pointer" : "default";
        },
        onClick: (_event, elements) => {
          const customer = customers[elements[0]?.index ?? -1];
          if (customer) navigate(`/customers/${encodeURIComponent(customer.code)}`);
        },
      },
    }),
    [customers, overdueName, locale, formatAmount, navigate],
  );
  const note = ownCustomersOnly ? <p className="panel__note">{t("dashboard.charts.ownCustomersOnly")}</p> : null;
  if (customers.length === 0) {
    return (
      <section className="panel" aria-labelledby="chart-top-overdue">
        <h3 id="chart-top-overdue" className="panel__title">
          {t("dashboard.charts.topOverdue")}
        </h3>
        {note}
        <p className="panel__empty">{t("dashboard.charts.noneOverdue")}</p>
      </section>
    );
  }
  return (
    <ChartPanel
      id="chart-top-overdue"
      title={t("dashboard.charts.topOverdue")}
      note={note}
      chart={
        <ChartCanvas
          config={config}
          height={Math.max(180, customers.length * 34 + 40)}
          label={t("dashboard.charts.topOverdueLabel", { count: customers.length, date: formatDate(asOf) })}
        />
      }
      table={() => (
        <table className="ledger-table chart-table">
          <caption className="visually-hidden">{t("dashboard.charts.topOverdue")}</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                {t("dashboard.charts.rank")}
              </th>
              <th scope="col">{t("dashboard.charts.customer")}</th>
              <th scope="col" className="num">
                {overdueName}
              </th>
              <th scope="col" className="num">
                {t("dashboard.charts.arTotal")}
              </th>
              <th scope="col" className="num">
                {t("dashboard.charts.oldest")}
              </th>
            </tr>
          </thead>
          <tbody>
            {customers.map((customer, index) => (
              <tr key={customer.code}>
                <td className="num">{index + 1}</td>
                <th scope="row">
                  <Link to={`/customers/${encodeURIComponent(customer.code)}`}>{customer.name}</Link>{" "}
                  <span className="secondary">{customer.code}</span>
                </th>
                <td className="num">
                  <Amount minor={customer.overdue} alert />
                </td>
                <td className="num">
                  <Amount minor={customer.arTotal} />
                </td>
                <td className="num">{t("dashboard.days", { value: formatFixed(customer.oldestDaysPastDue, 0) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    />
  );
}

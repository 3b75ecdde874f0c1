import type { ChartConfiguration } from "chart.js";
import { Form, useNavigation } from "@remix-run/react";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

import { ChartCanvas } from "~/ui/charts/chart-canvas";
import { useErrorText } from "~/ui/field";
import { useFormatAmount, useFormatDate } from "~/ui/use-format-amount";

/*
 * The planned path of a KPI-linked item and the forecast beside it: the path (straight or last
 * year's shape) from the baseline to the target, today's value, and the projected value on the
 * due date as a dashed line; with the head's choice of path. The figures are also in words
 * next to the chart (the push page's facts), so the chart is never the only place they are.
 */

export interface PathViewData {
  choice: "straight" | "last_year";
  used: "straight" | "last_year";
  fallback: string | null;
  planned: number;
  atRisk: boolean;
  points: { date: string; value: number }[];
}

export interface ProjectedLine {
  kpi: "overdue_total" | "dso" | "ar_total";
  asOf: string;
  current: number | null;
  dueDate: string;
  projected: number | null;
  target: number;
}

const COLOURS = { path: "#1f5f99", projected: "#c2410c", target: "#3a7d44", actual: "#4b5563" };
const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The KPI's planned path (solid), its actual values so far (when given), today's value and its projection to the due date (dashed). */
export function PathChart({ path, line, actual = null, height = 240 }: { path: Pick<PathViewData, "points"> | null; line: ProjectedLine; actual?: { date: string; value: number }[] | null; height?: number }) {
  const { t } = useTranslation();
  const format = useFormatAmount();
  const formatDate = useFormatDate();
  const config = useMemo<ChartConfiguration<"line", { x: number; y: number }[]>>(() => {
    // DSO in days; money in major units on the axis
    const value = (v: number) => (line.kpi === "dso" ? v : v / 100);
    const datasets: ChartConfiguration<"line", { x: number; y: number }[]>["data"]["datasets"] = [];
    if (path) {
      datasets.push({ label: t("pushPlanner.chart.planned"), data: path.points.map((p) => ({ x: dayNumber(p.date), y: value(p.value) })), borderColor: COLOURS.path, pointRadius: 0, borderWidth: 2 });
    }
    if (actual && actual.length > 0) {
      datasets.push({ label: t("pushPlanner.chart.actual"), data: actual.map((p) => ({ x: dayNumber(p.date), y: value(p.value) })), borderColor: COLOURS.actual, backgroundColor: COLOURS.actual, pointRadius: 2, borderWidth: 2 });
    }
    if (line.current !== null && line.projected !== null) {
      datasets.push({
        label: t("pushPlanner.chart.projected"),
        data: [
          { x: dayNumber(line.asOf), y: value(line.current) },
          { x: dayNumber(line.dueDate), y: value(line.projected) },
        ],
        borderColor: COLOURS.projected,
        borderDash: [6, 4],
        pointRadius: 4,
        borderWidth: 2,
      });
    }
    datasets.push({ label: t("pushPlanner.chart.target"), data: [{ x: dayNumber(line.dueDate), y: value(line.target) }], borderColor: COLOURS.target, backgroundColor: COLOURS.target, pointRadius: 6, pointStyle: "rectRot", showLine: false });
    return {
      type: "line",
      data: { datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        parsing: false,
        scales: {
          x: { type: "linear", ticks: { maxTicksLimit: 6, callback: (v) => formatDate(dateOf(Number(v))) } },
          y: { beginAtZero: true, ticks: { callback: (v) => (line.kpi === "dso" ? t("forecast.push.days", { value: Number(v).toFixed(0) }) : format(Math.round(Number(v) * 100))) } },
        },
        plugins: { legend: { position: "bottom" } },
      },
    };
  }, [path, line, actual, t, format, formatDate]);
  return <ChartCanvas label={t(actual && actual.length > 0 ? "pushPlanner.chart.itemLabel" : "pushPlanner.chart.label")} config={config} height={height} />;
}

/** The head's choice of path: straight, or last year's shape; says when last year gave none. */
export function PathChoiceForm({ path, answer }: { path: PathViewData; answer: { ok: boolean; fieldErrors?: Record<string, string[] | undefined> } | null }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === "path";
  const error = answer && !answer.ok ? answer.fieldErrors?.path?.[0] : undefined;
  return (
    <Form method="post" className="path-choice" aria-labelledby="path-choice-title">
      <input type="hidden" name="intent" value="path" />
      <fieldset className="field">
        <legend id="path-choice-title">{t("pushPlanner.path.title")}</legend>
        {(["straight", "last_year"] as const).map((choice) => (
          <div key={choice}>
            <label>
              <input type="radio" name="path" value={choice} defaultChecked={path.choice === choice} /> {t(`pushPlanner.path.${choice}`)}
            </label>
          </div>
        ))}
        {error ? <p className="field__error">{errorText(error)}</p> : null}
      </fieldset>
      {path.fallback ? <p className="muted">{t(path.fallback)}</p> : null}
      {answer?.ok ? (
        <p className="alert alert--success" role="status">
          {t("pushPlanner.path.saved")}
        </p>
      ) : null}
      <button type="submit" className="button" disabled={busy}>
        {t("pushPlanner.path.save")}
      </button>
    </Form>
  );
}

import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { useFormatAmount, useFormatDate, useLocale } from "~/ui/use-format-amount";
import { quarterOf } from "~/kernel/dates";
import type { CardComparison, KpiCard as KpiCardData, KpiMethod, TargetView } from "~/features/kpi";
import { formatKpiDelta, formatKpiNumber, quarterLabel } from "~/features/kpi";
import { type KpiUnit, kpiDefinition } from "~/features/kpi";
import type { IsoDate } from "~/kernel/ledger/types";
import type { CardProjection } from "~/features/dashboard/dashboard";
import { minorToMajorString } from "~/kernel/money";

const MINUS = "\u2212";

/** A KPI figure as text in the viewer's language: amounts (万元 if chosen), %, days, counts. */
export function useKpiText() {
  const { t } = useTranslation();
  const formatAmount = useFormatAmount();
  return {
    value(value: number, unit: KpiUnit): string {
      switch (unit) {
        case "money":
          return formatAmount(value);
        case "ratio":
        case "percent":
          return t("dashboard.percent", { value: formatKpiNumber(value, unit) });
        case "days":
          return t("dashboard.days", { value: formatKpiNumber(value, unit) });
        case "count":
          return formatKpiNumber(value, unit);
      }
    },
    delta(delta: number, unit: KpiUnit): string {
      switch (unit) {
        case "money":
          return `${delta < 0 ? MINUS : "+"}${formatAmount(Math.abs(delta))}`;
        case "ratio":
        case "percent":
          return t("dashboard.points", { value: formatKpiDelta(delta, unit) });
        case "days":
          return t("dashboard.days", { value: formatKpiDelta(delta, unit) });
        case "count":
          return formatKpiDelta(delta, unit);
      }
    },
  };
}

const ARROWS = { up: "▲", down: "▼", flat: "=" } as const;

/**
 * "vs end of Q3 2026" for balances; period figures at a quarter's end cover that whole quarter,
 * so their label says so ("vs all of Q3 2026"); "vs 23 Nov 2025" for the same day a year earlier.
 */
function useComparisonLabel(fiscalStartMonth: number) {
  const { t } = useTranslation();
  const locale = useLocale();
  const formatDate = useFormatDate();
  return (comparison: CardComparison, method: KpiMethod) => {
    if (comparison.basis === "sameDateLastYear") return t("dashboard.vs.date", { date: formatDate(comparison.date) });
    const { fiscalYear, quarter } = quarterOf(comparison.date, fiscalStartMonth);
    const label = quarterLabel(fiscalYear, quarter, locale, fiscalStartMonth);
    return t(method === "period" ? "dashboard.vs.wholeQuarter" : "dashboard.vs.quarterEnd", { quarter: label });
  };
}

function Comparison({ comparison, unit, label }: { comparison: CardComparison; unit: KpiUnit; label: string }) {
  const { t } = useTranslation();
  const text = useKpiText();
  const { change } = comparison;
  let shown: React.ReactNode;
  if (change.delta === null || change.direction === null) {
    shown = <span className="change change--none">{t("dashboard.noComparison")}</span>;
  } else if (change.direction === "flat") {
    shown = (
      <span className="change change--neutral">
        <span aria-hidden="true">{ARROWS.flat} </span>
        {t("dashboard.noChange")}
      </span>
    );
  } else {
    shown = (
      <span className={`change change--${change.tone}`}>
        <span aria-hidden="true">{ARROWS[change.direction]} </span>
        {text.delta(change.delta, unit)}
        <span className="visually-hidden"> ({t(change.tone === "good" ? "dashboard.better" : "dashboard.worse")})</span>
      </span>
    );
  }
  return (
    <div className="kpi-card__change">
      <dt>{label}</dt>
      <dd>{shown}</dd>
    </div>
  );
}

function Target({ target, unit, better }: { target: TargetView; unit: KpiUnit; better: "up" | "down" }) {
  const { t } = useTranslation();
  const text = useKpiText();
  const status = { met: "badge--ok", "not-met": "badge--bad", unknown: "badge--muted" }[target.status];
  return (
    <p className="kpi-card__target">
      <span>
        {t("dashboard.target", { comparator: better === "up" ? "≥" : "≤", value: text.value(target.value, unit) })}
      </span>{" "}
      <span className={`badge ${status}`}>{t(`dashboard.targetStatus.${target.status}`)}</span>
      <span className="kpi-card__target-source">{t("dashboard.targetSource", { source: target.source })}</span>
    </p>
  );
}

/** The KPI projected to the nearest linked item's due date: a short dashed stroke (the charts' projected line) and the figure in words. */
function Projected({ projection, unit }: { projection: CardProjection; unit: KpiUnit }) {
  const { t } = useTranslation();
  const text = useKpiText();
  const formatDate = useFormatDate();
  const date = formatDate(projection.date);
  return (
    <p className="kpi-card__target" data-testid="kpi-card-projected">
      <span>
        <svg width="18" height="6" viewBox="0 0 18 6" aria-hidden="true" focusable="false" style={{ marginRight: "0.3rem", verticalAlign: "middle" }}>
          <line x1="0" y1="3" x2="18" y2="3" stroke="#c2410c" strokeWidth="2" strokeDasharray="4 3" />
        </svg>
        {projection.value === null ? t("pushPlanner.card.none", { date }) : t("pushPlanner.card.projected", { date, value: text.value(projection.value, unit) })}
      </span>{" "}
      {projection.value !== null && projection.target !== null ? (
        <span className={`badge ${projection.misses ? "badge--bad" : "badge--ok"}`}>{t(projection.misses ? "pushPlanner.item.missBadge" : "pushPlanner.item.meetBadge")}</span>
      ) : null}
      <span className="kpi-card__target-source">{t("pushPlanner.card.source", { item: projection.item })}</span>
    </p>
  );
}

export function KpiCard({
  card,
  asOf,
  period,
  fiscalStartMonth,
  projection = null,
}: {
  card: KpiCardData;
  asOf: IsoDate;
  period: { start: IsoDate; end: IsoDate };
  fiscalStartMonth: number;
  /** the forecast of the KPI to the nearest linked item's due date, where items link it in this scope */
  projection?: CardProjection | null;
}) {
  const { t } = useTranslation();
  const comparisonLabel = useComparisonLabel(fiscalStartMonth);
  const locale = useLocale();
  const formatDate = useFormatDate();
  const text = useKpiText();
  const lang = locale === "zh-CN" ? "zh" : "en";
  const name = kpiDefinition(card.key).name[lang];
  const headingId = `kpi-${card.key}`;
  const method =
    card.method === "period"
      ? t("dashboard.method.period", { start: formatDate(period.start), end: formatDate(period.end) })
      : t(`dashboard.method.${card.method}`, { date: formatDate(asOf) });
  return (
    <article className="kpi-card" aria-labelledby={headingId}>
      <div className="kpi-card__head">
        <h3 id={headingId} className="kpi-card__name">
          {name}
        </h3>
        <Link
          to={`/help/kpis#kpi-${card.key}`}
          className="kpi-card__help"
          aria-label={t("dashboard.aboutKpi", { name })}
          title={t("dashboard.aboutKpi", { name })}
        >
          ?
        </Link>
      </div>
      <p className="kpi-card__value">
        {card.value === null ? (
          <span className="kpi-card__none" title={t("dashboard.noValueHelp")}>
            {t("dashboard.noValue")}
          </span>
        ) : (
          <data value={card.unit === "money" ? minorToMajorString(card.value) : String(card.value)}>
            {text.value(card.value, card.unit)}
          </data>
        )}
      </p>
      {card.secondary ? (
        <p className="kpi-card__secondary">
          {t("dashboard.secondaryLabel", { name: kpiDefinition(card.secondary.key).name[lang] })}{" "}
          <strong>
            {card.secondary.value === null ? t("dashboard.noValue") : text.value(card.secondary.value, card.secondary.unit)}
          </strong>
        </p>
      ) : null}
      <p className="kpi-card__method">{method}</p>
      {/* amounts and their changes are long: each change goes under its label, so all cards read alike */}
      <dl className={card.unit === "money" ? "kpi-card__changes kpi-card__changes--stacked" : "kpi-card__changes"}>
        {card.comparisons.map((comparison) => (
          <Comparison
            key={comparison.basis}
            comparison={comparison}
            unit={card.unit}
            label={comparisonLabel(comparison, card.method)}
          />
        ))}
      </dl>
      {card.target ? <Target target={card.target} unit={card.unit} better={card.better} /> : null}
      {projection ? <Projected projection={projection} unit={card.unit} /> : null}
    </article>
  );
}

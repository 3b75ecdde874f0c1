import { useTranslation } from "react-i18next";

import { useKpiText } from "~/features/dashboard/components";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { formatFixed } from "~/features/kpi";
import { kpiDefinition } from "~/features/kpi";
import { TrackBadge } from "./track-badge";
import { useScopeLabel } from "./use-scope-label";
import type { KpiProgress as KpiProgressValue, KpiLink, TrackStatus } from "~/features/plans/progress";

export interface KpiProgressProps {
  link: KpiLink;
  current: number | null;
  /** The baseline progress is measured from (plans.server.ts `linkedKpiView`). */
  baseline: number | null;
  baselineDate: string | null;
  progress: KpiProgressValue | null;
  track: TrackStatus | null;
  measuredOn: string;
  provisional: boolean;
  quarterStart: string;
  /** Why the figures are left out for this viewer (an i18n key), or null when they are shown. */
  hidden?: string | null;
  /** A small bar and badge only (My tasks, the board); the item page shows the full sentence. */
  compact?: boolean;
  /** Owners' and customers' names by scope text (models/kpi-scope.server.ts `scopeNames`). */
  scopeNames?: Record<string, string>;
}

/** On track / at risk / off track in words, or "not measured yet" when there is no progress. */
function Track({ track }: { track: TrackStatus | null }) {
  const { t } = useTranslation();
  if (!track) return <span className="badge badge--muted">{t("planItems.kpi.notMeasured")}</span>;
  return <TrackBadge track={track} />;
}

/** A linked KPI's way from baseline to target: bar, badge and "baseline X on DATE → target Y, now Z". */
export function KpiProgress({ link, current, baseline, baselineDate, progress, track, measuredOn, provisional, quarterStart, compact, scopeNames, hidden }: KpiProgressProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const kpiText = useKpiText();
  const formatDate = useFormatDate();
  const scopeText = useScopeLabel(scopeNames);
  const definition = kpiDefinition(link.kpi);
  const name = definition.name[locale === "zh-CN" ? "zh" : "en"];
  const value = (number: number | null) => (number === null ? t("planItems.kpi.none") : kpiText.value(number, definition.unit));
  const percent = progress ? formatFixed(progress.raw * 100, 0) : null;
  const label = percent === null ? t("planItems.kpi.noProgress") : t("planItems.kpi.progressOf", { percent });

  if (hidden) {
    // The item and what it tracks stay visible; the figures were never sent.
    return (
      <div className={compact ? "plan-kpi plan-kpi--compact" : "plan-kpi"}>
        <p className="plan-kpi__name">
          <strong>{name}</strong> · {scopeText(link.scope)}
        </p>
        <p className="plan-kpi__sentence muted">{t(hidden)}</p>
      </div>
    );
  }

  const bar = (
    <div className="plan-kpi__bar">
      <div
        className="meter"
        role="img"
        aria-label={`${name}: ${label}`}
      >
        <div className="meter__fill" style={{ width: `${Math.round((progress?.bar ?? 0) * 100)}%` }} />
      </div>
      <span className="plan-kpi__percent">{label}</span>
      <Track track={track} />
    </div>
  );
  if (compact) {
    return (
      <div className="plan-kpi plan-kpi--compact">
        <span className="plan-kpi__name">{name}</span>
        {bar}
      </div>
    );
  }

  return (
    <div className="plan-kpi">
      <p className="plan-kpi__name">
        <strong>{name}</strong> · {scopeText(link.scope)} · {t(`planItems.kpi.better.${link.better}`)}
      </p>
      {bar}
      <p className="plan-kpi__sentence">
        {t("planItems.kpi.sentence", {
          baseline:
            baselineDate === null
              ? t("planItems.kpi.baselinePending")
              : t("planItems.kpi.baselineOn", { value: value(baseline), date: formatDate(baselineDate) }),
          target: t("planItems.kpi.target", { value: value(link.target) }),
          now: t("planItems.kpi.now", { value: value(current), date: formatDate(measuredOn) }),
        })}
      </p>
      {provisional ? (
        <p className="field__help">{t("planItems.kpi.provisional", { date: formatDate(quarterStart) })}</p>
      ) : null}
    </div>
  );
}

import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { useKpiText } from "~/features/dashboard/components/kpi-card";
import { PlanStateBadge } from "~/features/plans/components";
import { TrackBadge } from "~/features/plans/components";
import { useScopeLabel } from "~/features/plans/components";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import type { DashboardPlan } from "~/features/dashboard/dashboard";
import { quarterLabel } from "~/features/kpi";
import { kpiDefinition } from "~/features/kpi";
import { PLAN_CATEGORIES, PLAN_CATEGORY_NAMES } from "~/features/plans";

function Meter({ done, total, label }: { done: number; total: number; label: string }) {
  return (
    <span className="meter" role="img" aria-label={label}>
      <span className="meter__fill" style={{ width: `${total === 0 ? 0 : Math.round((done / total) * 100)}%` }} />
    </span>
  );
}

/** Flow 3 on the dashboard: the quarter's plan, done by category and owner, KPI-linked items' progress. */
export function PlanPanel({ plan }: { plan: DashboardPlan }) {
  const { t, i18n } = useTranslation();
  const locale = useLocale();
  const formatDate = useFormatDate();
  const text = useKpiText();
  const scopeLabel = useScopeLabel(plan.scopeNames);
  const lang = i18n.language === "zh-CN" ? "zh" : "en";
  const { rollup } = plan;
  const share = (done: number, total: number) => t("plans.list.doneShare", { done, total });
  return (
    <section aria-labelledby="plan-progress" className="section">
      <div className="section__head">
        <h2 id="plan-progress">
          <Link to={`/plans/${plan.id}`}>{t("plans.board.title", { quarter: quarterLabel(plan.fiscalYear, plan.quarter, locale, plan.fiscalStartMonth) })}</Link>
        </h2>
        <PlanStateBadge state={plan.state} />
      </div>
      <div className="panel-grid">
        <div className="panel">
          <h3 className="panel__title">{t("plans.dashboard.done", { done: rollup.done, total: rollup.total })}</h3>
          <Meter done={rollup.done} total={rollup.total} label={share(rollup.done, rollup.total)} />
          <table className="panel__table">
            <caption className="visually-hidden">{t("plans.dashboard.byCategory")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("plans.dashboard.category")}</th>
                <th scope="col" className="amount">
                  {t("plans.dashboard.doneOfTotal")}
                </th>
              </tr>
            </thead>
            <tbody>
              {PLAN_CATEGORIES.filter((category) => rollup.byCategory[category].total > 0).map((category) => (
                <tr key={category}>
                  <th scope="row">{PLAN_CATEGORY_NAMES[category][lang]}</th>
                  <td className="amount">
                    {rollup.byCategory[category].done} / {rollup.byCategory[category].total}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="panel__table">
            <caption className="visually-hidden">{t("plans.dashboard.byOwner")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("plans.board.owner")}</th>
                <th scope="col" className="amount">
                  {t("plans.dashboard.doneOfTotal")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rollup.byOwner.map((owner) => (
                <tr key={owner.ownerId ?? "none"}>
                  <th scope="row">{owner.ownerId === null ? t("plans.board.noOwner") : plan.owners[owner.ownerId]}</th>
                  <td className="amount">
                    {owner.done} / {owner.total}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="panel">
          <h3 className="panel__title">{t("plans.dashboard.kpiItems", { onTrack: rollup.kpiOnTrack, linked: rollup.kpiLinked })}</h3>
          <p className="panel__note">{t("plans.board.measuredOn", { date: formatDate(plan.measuredOn) })}</p>
          {plan.linked.length === 0 ? <p className="panel__empty">{t("plans.dashboard.noKpiItems")}</p> : null}
          <ul className="plan-kpi-list">
            {plan.linked.map((item) => {
              const definition = kpiDefinition(item.kpi);
              return (
                <li key={item.id}>
                  <Link to={`/plans/${plan.id}/items/${item.id}`}>{item.title}</Link>
                  <span className="muted">
                    {" "}
                    · {definition.name[lang]} · {scopeLabel(item.scope)}
                  </span>
                  {item.progress ? (
                    <span className="meter" role="img" aria-label={t("plans.board.progressLabel", { percent: Math.round(item.progress.raw * 100) })}>
                      <span className="meter__fill" style={{ width: `${Math.round(item.progress.bar * 100)}%` }} />
                    </span>
                  ) : null}
                  {item.hidden ? <span className="muted small">{t(item.hidden)}</span> : null}
                  <span className="muted small">
                    {item.hidden ? "" : item.baseline !== null ? `${text.value(item.baseline, definition.unit)} → ` : ""}
                    {item.hidden ? "" : item.current !== null ? t("plans.board.now", { value: text.value(item.current, definition.unit) }) : t("plans.board.noValue")}
                    {item.target !== null ? `${item.hidden ? " " : " → "}${t("plans.board.target", { value: text.value(item.target, definition.unit) })}` : ""}
                  </span>{" "}
                  {item.track ? <TrackBadge track={item.track} /> : null}
                </li>
              );
            })}
          </ul>
        </div>
      </div>
    </section>
  );
}

import { useTranslation } from "react-i18next";

import { useFormatAmount, useFormatDate, useLocale } from "~/ui/use-format-amount";
import { kpiDefinition } from "~/features/kpi";
import { useKpiText } from "~/features/dashboard/components";
import { useScopeLabel } from "~/features/plans/components";
import type { PushOverview } from "~/features/forecast/push-overview.server";

/*
 * The year-end push overview's body: one row per KPI-linked plan item with its KPI today, projected
 * on its due date, the gap to its target, what must be collected beyond the forecast, whether it is
 * behind its planned path, and the way to its push plan.
 */

/** The page's data as the loader sends it: push-overview.server.ts's figures. */
export type PushOverviewData = PushOverview;

export function PushOverviewView({ page, staff }: { page: PushOverviewData; staff: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const formatAmount = useFormatAmount();
  const formatDate = useFormatDate();
  const kpiText = useKpiText();
  const scopeLabel = useScopeLabel(page.scopeNames);
  const none = t("pushOverview.none");
  const required = (item: PushOverviewData["items"][number]) => {
    if (!item.push || page.forecastPending || item.current === null) return none;
    if (item.required === null) return t("pushOverview.requiredUnknown");
    if (item.required === 0) return t("pushOverview.requiredNone");
    return <strong>{formatAmount(item.required)}</strong>;
  };

  if (page.items.length === 0) {
    return (
      <section className="panel" aria-labelledby="push-overview-empty">
        <h2 id="push-overview-empty" className="panel__title">
          {t("pushOverview.emptyTitle")}
        </h2>
        <p>{staff ? t("pushOverview.emptyStaff") : t("pushOverview.empty")}</p>
        {page.hidden > 0 ? <p className="muted">{t("pushOverview.hidden", { count: page.hidden })}</p> : null}
        <p>
          <a href="/plans">{t("pushOverview.openPlans")}</a>
        </p>
      </section>
    );
  }

  return (
    <section className="panel" aria-label={t("pushOverview.tableLabel")}>
      {page.forecastPending ? <p className="alert alert--info">{t("pushOverview.pending")}</p> : null}
      <p>
        <strong>{t("pushOverview.totals", page.totals)}</strong>
        {page.totals.done > 0 ? <> {t("pushOverview.totalsDone", { count: page.totals.done })}</> : null}
      </p>
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t("pushOverview.tableLabel")}>
        <table className="table stack-table push-overview">
          <thead>
            <tr>
              <th scope="col">{t("pushOverview.item")}</th>
              <th scope="col">{t("pushOverview.kpi")}</th>
              <th scope="col" className="num">{t("pushOverview.current")}</th>
              <th scope="col" className="num">{t("pushOverview.target")}</th>
              <th scope="col" className="num">{t("pushOverview.projected")}</th>
              <th scope="col" className="num">{t("pushOverview.required")}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((item) => {
              const definition = kpiDefinition(item.kpi);
              const value = (v: number | null) => (v === null ? none : kpiText.value(v, definition.unit));
              return (
                <tr key={item.id} data-item={item.id}>
                  <th scope="row" className="cell--block push-overview__item">
                    <a href={`/plans/${item.planId}/items/${item.id}`} aria-label={t("pushOverview.openPlanItem", { title: item.title })}>
                      {item.title}
                    </a>
                    {item.yearEnd ? (
                      <>
                        {" "}
                        <span className="badge badge--muted">{t("pushOverview.yearEnd")}</span>
                      </>
                    ) : null}
                    {item.done ? (
                      <>
                        {" "}
                        <span className="badge badge--ok">{t("pushOverview.done")}</span>
                      </>
                    ) : null}
                    <br />
                    <span className="muted small">
                      {item.ownerName ?? t("pushOverview.noOwner")} · {t("pushOverview.due")} {formatDate(item.dueDate)}
                    </span>
                    <br />
                    {item.push ? (
                      <a href={`/forecast/push?item=${item.id}`} aria-label={t("pushOverview.openPush", { title: item.title })} className="small">
                        {t("pushOverview.open")} →
                      </a>
                    ) : (
                      <span className="muted small">{t("pushOverview.noPushPlan")}</span>
                    )}
                  </th>
                  <td data-label={t("pushOverview.kpi")}>
                    <span>
                      {definition.name[locale === "zh-CN" ? "zh" : "en"]}
                      <br />
                      <span className="muted small">{scopeLabel(item.scope)}</span>
                    </span>
                  </td>
                  <td className="num nowrap" data-label={t("pushOverview.current")}>
                    <span>
                      {value(item.current)}
                      {item.path === null ? (
                        item.push ? (
                          <>
                            <br />
                            <span className="muted small">{t("pushOverview.noPath")}</span>
                          </>
                        ) : null
                      ) : (
                        <>
                          <br />
                          <span className={item.path.atRisk ? "badge badge--bad" : "badge badge--ok"} title={t("pushOverview.path")}>
                            {item.path.atRisk ? t("pushOverview.atRisk") : t("pushOverview.onPath")}
                          </span>
                        </>
                      )}
                    </span>
                  </td>
                  <td className="num nowrap" data-label={t("pushOverview.target")}>{value(item.target)}</td>
                  <td className="num nowrap" data-label={t("pushOverview.projected")}>
                    <span>
                      {item.push ? value(item.projected) : none}
                      {item.gap === null ? null : (
                        <>
                          <br />
                          <span className="muted small">{item.gap === 0 ? t("pushOverview.meets") : t("pushOverview.gapOf", { gap: value(item.gap) })}</span>
                        </>
                      )}
                    </span>
                  </td>
                  <td className="num nowrap" data-label={t("pushOverview.required")}>{required(item)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="muted">{t("pushOverview.totalsNote")}</p>
      {page.hidden > 0 ? <p className="muted">{t("pushOverview.hidden", { count: page.hidden })}</p> : null}
    </section>
  );
}

import { useTranslation } from "react-i18next";

import { useKpiText } from "~/features/dashboard/components";
import { kpiDefinition } from "~/features/kpi";
import { useFormatDate } from "~/ui/use-format-amount";
import type { ItemProjection } from "~/features/forecast/item-projection.server";
import { PathChart } from "./path-view";

/*
 * A KPI-linked plan item's forecast on its own page: the projected value on the due date against
 * the target in words, whether today's value is behind the planned path ("at risk"), and the chart
 * of the actual values so far, the planned path and the projected line (dashed). The words carry
 * every figure the chart shows.
 */
export function ItemProjectionView({ projection }: { projection: ItemProjection }) {
  const { t } = useTranslation();
  const text = useKpiText();
  const formatDate = useFormatDate();
  const { unit } = kpiDefinition(projection.kpi);
  const value = (number: number) => text.value(number, unit);
  const date = formatDate(projection.dueDate);
  const misses = projection.gap !== null && projection.gap > 0;
  const path = projection.path;
  return (
    <section className="item-projection" aria-labelledby="item-projection-title">
      <h3 id="item-projection-title">{t("pushPlanner.item.title")}</h3>
      <ul className="item-projection__facts">
        <li>
          <span className={`badge ${projection.projected === null ? "badge--muted" : misses ? "badge--bad" : "badge--ok"}`}>
            {t(projection.projected === null ? "planItems.kpi.notMeasured" : misses ? "pushPlanner.item.missBadge" : "pushPlanner.item.meetBadge")}
          </span>{" "}
          {projection.projected === null ? (
            t("pushPlanner.item.none", { date })
          ) : (
            <>
              <span data-testid="item-projected">{t("pushPlanner.item.projected", { date, value: value(projection.projected), target: value(projection.target) })}</span>{" "}
              {misses ? t("pushPlanner.item.misses", { gap: value(projection.gap ?? 0) }) : t("pushPlanner.item.meets")}
            </>
          )}
        </li>
        <li>
          {path === null || projection.current === null ? (
            t("pushPlanner.item.noPath")
          ) : (
            <>
              <span className={`badge ${path.atRisk ? "badge--bad" : "badge--ok"}`}>{t(path.atRisk ? "pushPlanner.item.atRiskBadge" : "pushPlanner.item.onPathBadge")}</span>{" "}
              {t(path.atRisk ? "pushPlanner.item.atRisk" : "pushPlanner.item.onPath", { current: value(projection.current), planned: value(path.planned) })}
            </>
          )}
        </li>
      </ul>
      <PathChart
        path={path}
        actual={projection.actual}
        line={{ kpi: projection.kpi, asOf: projection.asOf, current: projection.current, dueDate: projection.dueDate, projected: projection.projected, target: projection.target }}
        height={220}
      />
    </section>
  );
}

import { useTranslation } from "react-i18next";

import { Amount } from "~/ui/amount";
import { useFormatAmount, useFormatDate } from "~/ui/use-format-amount";

/*
 * The year-end push page's body: the KPI today, projected on the item's due date and its target,
 * what must be collected beyond the forecast, and the chase list with the rows that close the gap.
 */

type Kpi = "overdue_total" | "dso";

export interface PushViewData {
  item: { id: number; planId: number; title: string; kpi: Kpi; scope: string; target: number; dueDate: string };
  asOf: string;
  current: { overdue: number; receivables: number; creditSales90d: number; dso: number | null };
  projection: { receivables: number; overdue: number; creditSales90d: number; dso: number | null };
  gap: { projected: number | null; required: number | null; allowedReceivables: number | null };
  rows: { code: string; name: string; ownerName: string | null; amount: number; probability: number; expected: number; cumulative: number; closesGap: boolean }[];
  closing: number;
  ownOnly: boolean;
  path: { baseline: number; baselineDate: string; planned: number; atRisk: boolean; used: "straight" | "last_year" } | null;
}

export function PushFigures({ page }: { page: PushViewData }) {
  const { t } = useTranslation();
  const format = useFormatAmount();
  const formatDate = useFormatDate();
  const { item, gap, projection } = page;
  const value = (v: number | null) => (v === null ? "—" : item.kpi === "dso" ? t("forecast.push.days", { value: v.toFixed(1) }) : format(v));
  const today = item.kpi === "dso" ? page.current.dso : page.current.overdue;
  return (
    <section className="panel" aria-labelledby="push-figures">
      <h2 id="push-figures" className="panel__title">
        {t(`forecast.push.kpi.${item.kpi}`)}
      </h2>
      <dl className="facts">
        <div>
          <dt>{t("forecast.push.today")}</dt>
          <dd>{value(today)}</dd>
        </div>
        <div>
          <dt>{t("forecast.push.projected", { date: formatDate(item.dueDate) })}</dt>
          <dd>{value(gap.projected)}</dd>
        </div>
        {page.path ? (
          <div>
            <dt>
              {t("forecast.push.plannedToday")}
              {t("common.aside", { text: t(page.path.used === "last_year" ? "pushPlanner.path.usedLastYear" : "pushPlanner.path.usedStraight") })}
            </dt>
            <dd>
              {value(page.path.planned)}{" "}
              <span className={page.path.atRisk ? "badge badge--bad" : "badge badge--ok"}>{page.path.atRisk ? t("forecast.push.atRisk") : t("forecast.push.onPath")}</span>
            </dd>
          </div>
        ) : null}
        <div>
          <dt>{t("forecast.push.target")}</dt>
          <dd>{value(item.target)}</dd>
        </div>
        <div>
          <dt>{t("forecast.push.required")}</dt>
          <dd>
            <strong>
              {gap.required === null ? t("forecast.push.requiredUnknown") : gap.required === 0 ? t("forecast.push.requiredNone") : format(gap.required)}
            </strong>
          </dd>
        </div>
      </dl>
      {item.kpi === "dso" ? (
        <>
          {gap.allowedReceivables === null ? null : (
            <p>{t("forecast.push.allowed", { target: item.target, sales: format(projection.creditSales90d), amount: format(gap.allowedReceivables) })}</p>
          )}
          <p className="muted">{t("forecast.push.basis", { receivables: format(projection.receivables), sales: format(projection.creditSales90d) })}</p>
        </>
      ) : null}
      {page.path ? (
        <p className="muted">{t("forecast.push.pathNote", { baseline: value(page.path.baseline), date: formatDate(page.path.baselineDate), target: value(item.target), due: formatDate(item.dueDate) })}</p>
      ) : null}
      <p className="muted">{t("forecast.push.method")}</p>
    </section>
  );
}

/** Rows shown below the marked ones; the whole list is in the export. */
const MORE_SHOWN = 10;
const LEAST_SHOWN = 20;

/** `chooseForm`: the id of the form the rows' boxes post with (the head's); no boxes without it. */
export function ChaseTable({ page, chooseForm }: { page: PushViewData; chooseForm?: string }) {
  const { t } = useTranslation();
  const format = useFormatAmount();
  const gapToClose = page.gap.required ?? 0;
  const marked = page.rows.filter((r) => r.closesGap).length;
  const shown = page.rows.slice(0, Math.max(LEAST_SHOWN, marked + MORE_SHOWN));
  const hidden = page.rows.length - shown.length;
  return (
    <section className="panel" aria-labelledby="push-list">
      <h2 id="push-list" className="panel__title">
        {t("forecast.push.listTitle")}
      </h2>
      <p className="muted">{gapToClose > 0 ? t("forecast.push.listIntro", { amount: format(page.closing) }) : t("forecast.push.listIntroNoGap")}</p>
      {page.ownOnly ? <p className="muted">{t("forecast.push.ownOnly")}</p> : null}
      {page.rows.length === 0 ? (
        <p>{t("forecast.push.empty")}</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t("forecast.push.listTitle")}>
          <table className="table">
            <thead>
              <tr>
                {chooseForm ? (
                  <th scope="col">
                    <span className="visually-hidden">{t("pushPlanner.make.what")}</span>
                  </th>
                ) : null}
                <th scope="col" className="num">{t("forecast.push.rank")}</th>
                <th scope="col">{t("forecast.push.customer")}</th>
                {page.ownOnly ? null : <th scope="col">{t("forecast.push.owner")}</th>}
                <th scope="col" className="num">{t("forecast.push.amount")}</th>
                <th scope="col" className="num">{t("forecast.push.probability")}</th>
                <th scope="col" className="num">{t("forecast.push.expected")}</th>
                <th scope="col" className="num">{t("forecast.push.cumulative")}</th>
                <th scope="col">{t("forecast.push.closes")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r, index) => (
                <tr key={r.code}>
                  {chooseForm ? (
                    <td>
                      <input type="checkbox" form={chooseForm} name="customer" value={r.code} id={`choose-${r.code}`} aria-label={t("pushPlanner.make.choose", { customer: `${r.code} ${r.name}` })} />
                    </td>
                  ) : null}
                  <td className="num">{index + 1}</td>
                  <th scope="row">
                    <a href={`/customers/${encodeURIComponent(r.code)}`}>
                      {r.code} {r.name}
                    </a>
                  </th>
                  {page.ownOnly ? null : <td>{r.ownerName ?? t("forecast.push.noOwner")}</td>}
                  <td className="num"><Amount minor={r.amount} /></td>
                  <td className="num">{Math.round(r.probability * 100)} %</td>
                  <td className="num"><Amount minor={r.expected} /></td>
                  <td className="num"><Amount minor={r.cumulative} /></td>
                  <td>{r.closesGap ? <strong>{t("forecast.push.closesYes")}</strong> : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hidden > 0 ? <p className="muted">{t("forecast.push.more", { count: hidden })}</p> : null}
    </section>
  );
}

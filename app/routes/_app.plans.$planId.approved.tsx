import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { useKpiText } from "~/features/dashboard/components";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { getDb } from "~/server/db.server";
import { isKpiKey, kpiDefinition, quarterLabel } from "~/features/kpi";
import { PLAN_CATEGORY_NAMES, isPlanCategory } from "~/features/plans/categories";
import type { FieldChange } from "~/features/plans/diff";
import { loadApprovedPage } from "~/features/plans/pages.server";
import { idParam, orErrorPage } from "~/server/responses.server";
import plansStyles from "~/features/plans/components/plans.css";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: plansStyles }];
export const meta: MetaFunction = (args) => pageTitle(args, "approvedVersion");

/** The approved plan beside the current one, and every change since with its reason. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "plan:read");
  const planId = idParam(params, "planId");
  return orErrorPage(() => loadApprovedPage(getDb(), planId));
}

function ChangeValue({ change, side, kpi }: { change: FieldChange; side: "before" | "after"; kpi: string | null }) {
  const { t, i18n } = useTranslation();
  const text = useKpiText();
  const formatDate = useFormatDate();
  const value = change[side];
  const lang = i18n.language === "zh-CN" ? "zh" : "en";
  if (value === null || value === "") return <span className="muted">—</span>;
  if (change.field === "category" && isPlanCategory(value)) return <>{PLAN_CATEGORY_NAMES[value][lang]}</>;
  if (change.field === "dueDate" && typeof value === "string") return <>{formatDate(value)}</>;
  if (change.field === "cancelled") return <>{value ? t("common.yes") : t("common.no")}</>;
  if (change.field === "kpi" && typeof value === "string") {
    const [key, scope] = value.split(" · ");
    return <>{isKpiKey(key) ? `${kpiDefinition(key).name[lang]} · ${scope}` : value}</>;
  }
  if (change.field === "target" && typeof value === "number") return <>{isKpiKey(kpi) ? text.value(value, kpiDefinition(kpi).unit) : String(value)}</>;
  return <>{String(value)}</>;
}

export default function ApprovedVersion() {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const { plan, approved, differences, changes } = useLoaderData<typeof loader>();
  const label = quarterLabel(plan.fiscalYear, plan.quarter, locale, plan.fiscalStartMonth);
  return (
    <>
      <p className="breadcrumb">
        <Link to="/plans">{t("plans.title")}</Link> › <Link to={`/plans/${plan.id}`}>{label}</Link>
      </p>
      <h1>{t("plans.compare.title", { quarter: label })}</h1>
      <p className="lead">
        {t("plans.compare.lead", { version: approved.version, by: approved.by ?? "—", at: formatDateTime(approved.at, locale, timeZone), items: approved.items })}
      </p>
      <section className="card" aria-labelledby="differences">
        <h2 id="differences">{t("plans.compare.differences")}</h2>
        {differences.length === 0 ? (
          <p className="muted">{t("plans.compare.none")}</p>
        ) : (
          <div className="table-wrap">
            <table className="ledger-table compare-table">
              <thead>
                <tr>
                  <th scope="col">{t("plans.board.item")}</th>
                  <th scope="col">{t("plans.compare.field")}</th>
                  <th scope="col">{t("plans.compare.approved")}</th>
                  <th scope="col">{t("plans.compare.now")}</th>
                </tr>
              </thead>
              <tbody>
                {differences.flatMap((difference) =>
                  difference.kind === "changed"
                    ? difference.changes.map((change, index) => (
                        <tr key={`${difference.item.id}-${change.field}`} className="compare--changed">
                          {index === 0 ? (
                            <th scope="row" rowSpan={difference.changes.length}>
                              <Link to={`/plans/${plan.id}/items/${difference.item.id}`}>{difference.item.title}</Link>
                            </th>
                          ) : null}
                          <td>{t(`plans.compare.fields.${change.field}`)}</td>
                          <td>
                            <ChangeValue change={change} side="before" kpi={difference.item.kpiLink?.kpi ?? null} />
                          </td>
                          <td>
                            <ChangeValue change={change} side="after" kpi={difference.item.kpiLink?.kpi ?? null} />
                          </td>
                        </tr>
                      ))
                    : [
                        <tr key={`${difference.item.id}-${difference.kind}`} className={`compare--${difference.kind}`}>
                          <th scope="row">{difference.item.title}</th>
                          <td colSpan={3}>{t(`plans.compare.${difference.kind}`)}</td>
                        </tr>,
                      ],
                )}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="change-log">
        <h2 id="change-log">{t("plans.compare.changeLog")}</h2>
        {changes.length === 0 ? <p className="muted">{t("plans.compare.noChanges")}</p> : null}
        <ol className="comment-list">
          {changes.map((change) => (
            <li key={change.id}>
              <p className="comment-list__meta">
                <strong>{change.by ?? "—"}</strong> · {formatDateTime(change.at, locale, timeZone)} · {change.title}
              </p>
              <p className="comment-list__body">{change.reason ?? "—"}</p>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { useFormatDate } from "~/ui/use-format-amount";
import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { attempt, orErrorPage, readFormData } from "~/server/responses.server";
import { can } from "~/kernel/permissions";
import { choosePlannedPath, loadPushOverview, loadPushPlan, makeFromChaseList, readPushItemId } from "~/features/forecast/index.server";
import { chaseOrderValues } from "~/features/forecast/push-make.schema";
import { ChaseTable, PushFigures } from "~/features/forecast/components/push-view";
import { PathChart, PathChoiceForm } from "~/features/forecast/components/path-view";
import { type PushOverviewData, PushOverviewView } from "~/features/forecast/components/push-overview";
import { CHASE_FORM_ID, ChaseMakeForm, type MakeAnswer } from "~/features/forecast/components/chase-make-form";
import { useScopeLabel } from "~/features/plans/components";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction<typeof loader> = (args) => pageTitle(args, args.data?.view === "overview" ? "pushOverview" : "push");

/** Without `item`, the overview of every KPI-linked item; with it, that item's push plan. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const params = new URL(request.url).searchParams;
  if (!params.has("item")) {
    const overview = await orErrorPage(async () => loadPushOverview(getDb(), user, today(), user.locale));
    return { view: "overview" as const, overview, staff: user.role === "staff" };
  }
  const page = await orErrorPage(async () => loadPushPlan(getDb(), user, readPushItemId(params), today(), user.locale));
  return { view: "item" as const, ...page, may: { planItems: can(user, "plan:edit"), collectionActions: can(user, "collection:log") } };
}

/** The chosen rows become plan items or collection actions, or the head chooses the item's planned path (the use cases check who and what). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const itemId = await orErrorPage(async () => readPushItemId(new URL(request.url).searchParams));
  const formData = await readFormData(request);
  if (formData.get("intent") === "path") return attempt(() => choosePlannedPath(getDb(), user, itemId, { path: formData.get("path") }), formData, "path");
  return attempt(() => makeFromChaseList(getDb(), user, itemId, chaseOrderValues(formData), today()), formData, "make");
}

export default function PushRoute() {
  const data = useLoaderData<typeof loader>();
  return data.view === "overview" ? <PushOverviewRoute overview={data.overview} staff={data.staff} /> : <PushItemRoute page={data} />;
}

function PushOverviewRoute({ overview, staff }: { overview: PushOverviewData; staff: boolean }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  return (
    <>
      <h1>{t("pushOverview.title")}</h1>
      <p className="lead">{t("pushOverview.intro", { date: formatDate(overview.asOf) })}</p>
      <PushOverviewView page={overview} staff={staff} />
    </>
  );
}

type ItemData = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { view: "item" }>;

function PushItemRoute({ page }: { page: ItemData }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  // the action answers ChaseMade or attempt()'s Refusal; Remix's serialized type does not keep that union
  const answer = (useActionData<typeof action>() ?? null) as (MakeAnswer & { path?: string }) | null;
  const pathAnswer = answer && (answer.intent === "path" || answer.path !== undefined) ? answer : null;
  const { item, may } = page;
  const canMake = may.planItems || may.collectionActions;
  const scopeLabel = useScopeLabel(page.scopeNames);
  return (
    <>
      <h1>{t("forecast.push.title", { title: item.title })}</h1>
      <p className="lead">{t("forecast.push.intro", { kpi: t(`forecast.push.kpi.${item.kpi}`), scope: scopeLabel(item.scope), date: formatDate(item.dueDate) })}</p>
      <p>
        <a href={`/plans/${item.planId}/items/${item.id}`}>{t("forecast.push.backToItem")}</a>
        {" · "}
        <a href={`/forecast/push/export?item=${item.id}&format=xlsx`} download>
          {t("forecast.push.exportXlsx")}
        </a>
        {" · "}
        <a href={`/forecast/push/export?item=${item.id}&format=csv`} download>
          {t("forecast.push.exportCsv")}
        </a>
      </p>
      <PushFigures page={page} />
      <section className="panel" aria-label={t("pushPlanner.chart.label")}>
        <PathChart
          path={page.path}
          line={{ kpi: item.kpi, asOf: page.asOf, current: item.kpi === "dso" ? page.current.dso : page.current.overdue, dueDate: item.dueDate, projected: page.gap.projected, target: item.target }}
        />
        {page.path && may.planItems ? <PathChoiceForm path={page.path} answer={pathAnswer} /> : null}
      </section>
      <ChaseTable page={page} chooseForm={canMake && page.rows.length > 0 ? CHASE_FORM_ID : undefined} />
      {canMake && page.rows.length > 0 ? (
        <ChaseMakeForm
          item={item}
          planApproved={item.planApproved}
          may={may}
          answer={pathAnswer ? null : answer}
          closingCodes={page.rows.filter((row) => row.closesGap).map((row) => row.code)}
        />
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

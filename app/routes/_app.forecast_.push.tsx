import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { useFormatDate } from "~/ui/use-format-amount";
import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { orErrorPage } from "~/server/responses.server";
import { loadPushPlan, readPushItemId } from "~/features/forecast/index.server";
import { ChaseTable, PushFigures } from "~/features/forecast/components/push-view";

export const meta: MetaFunction = () => [{ title: "Year-end push · Quarterdeck" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  return orErrorPage(async () => loadPushPlan(getDb(), user, readPushItemId(new URL(request.url).searchParams), today()));
}

export default function PushRoute() {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const page = useLoaderData<typeof loader>();
  const { item } = page;
  return (
    <>
      <h1>{t("forecast.push.title", { title: item.title })}</h1>
      <p className="lead">{t("forecast.push.intro", { kpi: t(`forecast.push.kpi.${item.kpi}`), scope: item.scope, date: formatDate(item.dueDate) })}</p>
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
      <ChaseTable page={page} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

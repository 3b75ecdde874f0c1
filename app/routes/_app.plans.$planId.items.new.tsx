import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { EMPTY_ITEM, ItemForm, type ItemFormValues } from "~/features/plans/components/item-form";
import { useLocale } from "~/ui/use-format-amount";
import { getDb } from "~/server/db.server";
import { quarterLabel } from "~/features/kpi";
import { today } from "~/server/clock.server";
import { attempt, idParam, orErrorPage, readFormData } from "~/server/responses.server";
import { createItem } from "~/features/plans/plans.server";
import { loadNewItemPage } from "~/features/plans/pages.server";
import { parseOrRefuse } from "~/features/plans/parse";
import { createItemSchema } from "~/features/plans/schema";
import itemStyles from "~/features/plans/components/items.css";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: itemStyles }];
export const meta: MetaFunction = (args) => pageTitle(args, "newPlanItem");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "plan:edit");
  const planId = idParam(params, "planId");
  return orErrorPage(() => loadNewItemPage(getDb(), planId));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "plan:edit");
  const planId = idParam(params, "planId");
  const formData = await readFormData(request);
  return attempt(async () => {
    const fields = parseOrRefuse(createItemSchema, Object.fromEntries(formData));
    const itemId = await createItem(getDb(), user, planId, fields, today());
    return redirect(`/plans/${planId}#item-${itemId}`);
  }, formData, "create-item");
}

export default function NewItemPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { plan, owners, scopeChoices, dueWindow } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const quarter = quarterLabel(plan.fiscalYear, plan.quarter, locale, plan.fiscalStartMonth);
  const defaults: ItemFormValues = actionData ? { ...EMPTY_ITEM, ...actionData.submitted, reason: actionData.submitted.reason ?? "" } : EMPTY_ITEM;
  return (
    <>
      <nav aria-label={t("planItems.breadcrumb")} className="breadcrumb">
        <ol>
          <li>
            <Link to="/plans">{t("plans.title")}</Link>
          </li>
          <li>
            <Link to={`/plans/${plan.id}`}>{quarter}</Link>
          </li>
          <li aria-current="page">{t("planItems.newTitle")}</li>
        </ol>
      </nav>
      <h1>{t("planItems.newTitle")}</h1>
      {actionData?.message ? (
        <p className="alert alert--error" role="alert">
          {t(actionData.message)}
        </p>
      ) : null}
      <section className="card">
        <ItemForm
          mode="create"
          defaults={defaults}
          planApproved={plan.state === "approved"}
          owners={owners}
          scopeChoices={scopeChoices}
          dueWindow={dueWindow}
          serverErrors={actionData?.fieldErrors}
        />
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { EMPTY_ITEM, ItemForm, type ItemFormValues } from "~/features/plans/components/item-form";
import { useLocale } from "~/ui/use-format-amount";
import { getDb } from "~/server/db.server";
import { quarterLabel } from "~/features/kpi/format";
import { dueDateWindow } from "~/features/plans/lifecycle";
import { kpiScopeChoices } from "~/features/kpi/queries/scope.server";
import { assignableOwners } from "~/features/plans/queries/plans.server";
import { idParam, invalid, planOr404, refusalFrom, today } from "~/features/plans/items.server";
import { createItem } from "~/features/plans/plans.server";
import { createItemSchema } from "~/features/plans/schema";
import itemStyles from "~/features/plans/components/items.css";
import { parseFormData, readFormData } from "~/server/forms.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: itemStyles }];
export const meta: MetaFunction = () => [{ title: "New plan item · Quarterdeck" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "plan:edit");
  const db = getDb();
  const plan = await planOr404(db, idParam(params.planId));
  const [owners, scopeChoices] = await Promise.all([assignableOwners(db), kpiScopeChoices(db)]);
  return {
    plan: { id: plan.id, fiscalYear: plan.fiscalYear, quarter: plan.quarter, fiscalStartMonth: plan.fiscalStartMonth, state: plan.state },
    owners: owners.map((owner) => ({ id: owner.id, name: owner.name })),
    scopeChoices,
    dueWindow: dueDateWindow(plan),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "plan:edit");
  const planId = idParam(params.planId);
  const formData = await readFormData(request);
  const parsed = parseFormData(formData, createItemSchema);
  if (!parsed.ok) return invalid("create-item", formData, parsed.response.data.fieldErrors);
  try {
    const itemId = await createItem(getDb(), user, planId, parsed.value, today());
    return redirect(`/plans/${planId}#item-${itemId}`);
  } catch (error) {
    return refusalFrom(error, "create-item", formData);
  }
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

import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField, TextField } from "~/ui/field";
import { useValidatedForm } from "~/ui/use-validated-form";
import { PlanStateBadge } from "~/features/plans/components/plan-state-badge";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { getDb } from "~/server/db.server";
import { quarterLabel } from "~/features/kpi";
import { createPlan } from "~/features/plans/plans.server";
import { loadPlanList } from "~/features/plans/pages.server";
import { parseOrRefuse } from "~/features/plans/parse";
import { newPlanSchema } from "~/features/plans/schema";
import plansStyles from "~/features/plans/components/plans.css";
import { attempt, readFormData } from "~/server/responses.server";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: plansStyles }];

export const meta: MetaFunction = (args) => pageTitle(args, "plans");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "plan:read");
  return loadPlanList(getDb(), user, today());
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "plan:edit");
  const formData = await readFormData(request);
  return attempt(async () => {
    const value = parseOrRefuse(newPlanSchema, Object.fromEntries(formData));
    // the new-plan schema's output is createPlan's input (the quarter parsed to 1-4)
    const planId = await createPlan(getDb(), user, value as Parameters<typeof createPlan>[2], today());
    return redirect(`/plans/${planId}`);
  }, formData, "create-plan");
}

function NewPlanForm({ suggested }: { suggested: { fiscalYear: number; quarter: number } }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  // a refusal's fieldErrors are field name to messages; Remix's serialized type loses it
  const serverErrors = actionData && !actionData.ok ? (actionData.fieldErrors as Record<string, string[] | undefined>) : {};
  const { register, onSubmit, formState } = useValidatedForm(newPlanSchema, {
    intent: "create-plan",
    fiscalYear: String(suggested.fiscalYear),
    // a quarter is 1-4, the select's values
    quarter: String(suggested.quarter) as "1",
    source: "template",
    language: locale === "zh-CN" ? "zh" : "en",
  });
  const error = (name: "fiscalYear" | "quarter" | "source") => formState.errors[name]?.message ?? serverErrors[name]?.[0];
  return (
    <section className="card" aria-labelledby="new-plan">
      <h2 id="new-plan">{t("plans.new.title")}</h2>
      <Form method="post" className="form-grid form-grid--inline" onSubmit={onSubmit} noValidate>
        <input type="hidden" {...register("intent")} />
        <TextField label={t("plans.new.fiscalYear")} inputMode="numeric" {...register("fiscalYear")} error={error("fiscalYear")} />
        <SelectField label={t("plans.new.quarter")} {...register("quarter")} error={error("quarter")}>
          {[1, 2, 3, 4].map((quarter) => (
            <option key={quarter} value={quarter}>
              {t("plans.quarterN", { quarter })}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("plans.new.source")} {...register("source")} error={error("source")}>
          <option value="template">{t("plans.new.fromTemplate")}</option>
          <option value="carry_over">{t("plans.new.carryOver")}</option>
          <option value="empty">{t("plans.new.empty")}</option>
        </SelectField>
        <SelectField label={t("plans.new.language")} {...register("language")} help={t("plans.new.languageHelp")}>
          <option value="en" lang="en">
            English
          </option>
          <option value="zh" lang="zh-CN">
            简体中文
          </option>
        </SelectField>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
            {t("plans.new.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}

export default function PlansPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const formatDate = useFormatDate();
  const { plans, today: day, suggested, canCreate } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-head">
        <h1>{t("plans.title")}</h1>
        <Link to="/plans/template">{t("plans.templateLink")}</Link>
      </div>
      <p className="lead">{t("plans.lead")}</p>
      {canCreate ? <NewPlanForm suggested={suggested} /> : null}
      <section className="card" aria-labelledby="plan-list">
        <h2 id="plan-list">{t("plans.list.title")}</h2>
        {plans.length === 0 ? (
          <p className="panel__empty">{t("plans.list.empty")}</p>
        ) : (
          <div className="table-wrap">
            <table className="ledger-table stack-table plan-list">
              <thead>
                <tr>
                  <th scope="col">{t("plans.list.quarter")}</th>
                  <th scope="col">{t("plans.list.state")}</th>
                  <th scope="col" className="amount">
                    {t("plans.list.items")}
                  </th>
                  <th scope="col" className="amount">
                    {t("plans.list.done")}
                  </th>
                  <th scope="col">{t("plans.list.progress")}</th>
                </tr>
              </thead>
              <tbody>
                {plans.map((plan) => {
                  const isCurrent = plan.start <= day && day <= plan.end;
                  const share = plan.items === 0 ? 0 : plan.done / plan.items;
                  return (
                    <tr key={plan.id}>
                      <th scope="row" className="cell--title">
                        <Link to={`/plans/${plan.id}`}>{quarterLabel(plan.fiscalYear, plan.quarter, locale, plan.fiscalStartMonth)}</Link>
                        {/* a space between, for screen readers and copied text ("Q4 2026 This quarter") */}
                        {isCurrent ? <> <span className="badge badge--info badge--inline">{t("plans.list.current")}</span></> : null}
                        <span className="plan-list__dates">{t("plans.list.dates", { start: formatDate(plan.start), end: formatDate(plan.end) })}</span>
                      </th>
                      <td data-label={t("plans.list.state")}>
                        <PlanStateBadge state={plan.state} />
                      </td>
                      <td className="amount" data-label={t("plans.list.items")}>
                        {plan.items}
                      </td>
                      <td className="amount" data-label={t("plans.list.done")}>
                        {plan.done}
                      </td>
                      <td className="cell--block" data-label={t("plans.list.progress")}>
                        <span className="meter" role="img" aria-label={t("plans.list.doneShare", { done: plan.done, total: plan.items })}>
                          <span className="meter__fill" style={{ width: `${Math.round(share * 100)}%` }} />
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { getDb } from "~/server/db.server";
import { quarterLabel } from "~/features/kpi";
import { CLOSE_OUTCOMES } from "~/features/plans/categories";
import { flaggedItemIds } from "~/features/plans/item-errors";
import { closeAction, transition } from "~/features/plans/plans.server";
import { loadClosePage } from "~/features/plans/pages.server";
import { parseOrRefuse } from "~/features/plans/parse";
import { closeSchema, outcomesFrom } from "~/features/plans/schema";
import plansStyles from "~/features/plans/components/plans.css";
import { attempt, idParam, orErrorPage, readFormData } from "~/server/responses.server";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: plansStyles }];
export const meta: MetaFunction = (args) => pageTitle(args, "closeQuarter");

/** Closing a quarter (head, after the quarter's end): an outcome per item and a review note. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "plan:edit");
  const planId = idParam(params, "planId");
  return orErrorPage(() => loadClosePage(getDb(), user, planId, today()));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "plan:edit");
  const planId = idParam(params, "planId");
  const formData = await readFormData(request);
  return attempt(async () => {
    const { version, reviewNote } = parseOrRefuse(closeSchema, Object.fromEntries(formData));
    await transition(getDb(), user, planId, version, closeAction(outcomesFrom(formData), reviewNote), today());
    return redirect(`/plans/${planId}`);
  }, formData, "close");
}

export default function ClosePlan() {
  const { t } = useTranslation();
  const locale = useLocale();
  const formatDate = useFormatDate();
  const { plan, items, quarterOver, quarterEnd } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const label = quarterLabel(plan.fiscalYear, plan.quarter, locale, plan.fiscalStartMonth);
  const refusal = actionData && !actionData.ok ? actionData : null;
  const flagged = flaggedItemIds(refusal?.fieldErrors);
  const noteError = refusal?.fieldErrors.reviewNote?.[0];
  return (
    <>
      <p className="breadcrumb">
        <Link to="/plans">{t("plans.title")}</Link> › <Link to={`/plans/${plan.id}`}>{label}</Link>
      </p>
      <h1>{t("plans.close.title", { quarter: label })}</h1>
      {plan.state !== "approved" ? (
        <p className="alert alert--warn">{t("plans.close.notApproved")}</p>
      ) : !quarterOver ? (
        <p className="alert alert--warn">{t("plans.close.notOver", { date: formatDate(quarterEnd) })}</p>
      ) : null}
      {refusal?.message ? (
        <p className="alert alert--error" role="alert">
          {t(refusal.message)}
        </p>
      ) : null}
      <p className="lead">{t("plans.close.lead")}</p>
      <Form method="post" className="card">
        <input type="hidden" name="intent" value="close" />
        <input type="hidden" name="version" value={plan.version} />
        <div className="table-wrap">
          <table className="ledger-table close-table">
            <thead>
              <tr>
                <th scope="col">{t("plans.board.item")}</th>
                <th scope="col">{t("plans.board.owner")}</th>
                <th scope="col">{t("plans.board.status")}</th>
                <th scope="col">{t("plans.close.outcome")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id} className={flagged.has(item.id) ? "row--flagged" : undefined}>
                  <th scope="row">{item.title}</th>
                  <td>{item.ownerName ?? "—"}</td>
                  <td>{t(`plans.status.${item.status}`)}</td>
                  <td>
                    <label className="visually-hidden" htmlFor={`outcome-${item.id}`}>
                      {t("plans.close.outcomeFor", { title: item.title })}
                    </label>
                    <select id={`outcome-${item.id}`} name={`outcome-${item.id}`} defaultValue={item.suggested ?? ""}>
                      {CLOSE_OUTCOMES.map((outcome) => (
                        <option key={outcome} value={outcome}>
                          {t(`plans.outcome.${outcome}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="field">
          <label htmlFor="review-note">{t("plans.close.reviewNote")}</label>
          <textarea id="review-note" name="reviewNote" rows={4} maxLength={4000} aria-invalid={noteError ? true : undefined} aria-describedby={noteError ? "review-note-error" : undefined} />
          {noteError ? (
            <p className="field__error" id="review-note-error">
              {t(noteError)}
            </p>
          ) : null}
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={navigation.state === "submitting" || plan.state !== "approved" || !quarterOver}>
            {t("plans.close.submit")}
          </button>
        </div>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

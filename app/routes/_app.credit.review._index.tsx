import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { openThisQuarterReview, reviewsOverview } from "~/features/credit/review/index.server";
import { ReviewProgress } from "~/features/credit/review/components/review-progress";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { getDb } from "~/server/db.server";
import { quarterLabel } from "~/features/kpi/format";
import { type Refusal, attempt, formValues, readFormData } from "~/server/responses.server";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "creditReview");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  return reviewsOverview(getDb(), user, today());
}

/** The head opens this quarter's review: it is queued as a background job, whose progress page follows. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "credit:review");
  const formData = await readFormData(request);
  const queued = await attempt(() => openThisQuarterReview(getDb(), user, formValues(formData), today()), formData, "open");
  if (!("openingId" in queued)) return queued;
  throw redirect(`/credit/review/openings/${queued.openingId}`);
}

export default function CreditReviewsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const formatDate = useFormatDate();
  const { quarter, fiscalStartMonth, current, reviews, awaitingYou, canOpen, opening } = useLoaderData<typeof loader>();
  // Remix's type for action data loses the Refusal shape; a success redirects, so only refusals come back.
  const actionData = useActionData<typeof action>() as Refusal | undefined;
  const navigation = useNavigation();
  const label = (fiscalYear: number, q: number) => quarterLabel(fiscalYear, q, locale, fiscalStartMonth);

  return (
    <>
      <h1>{t("creditReview.title")}</h1>
      <p className="lead">{t("creditReview.intro")}</p>
      {awaitingYou > 0 ? (
        <p className="alert alert--warn">
          {t("creditReview.awaitingYou", { count: awaitingYou })}{" "}
          {current ? <Link to={`/credit/review/${current.id}?show=awaiting#approvals`}>{t("creditReview.toWorklist")}</Link> : null}
        </p>
      ) : null}

      <section className="card" aria-labelledby="this-quarter">
        <h2 id="this-quarter">{t("creditReview.thisQuarter", { quarter: label(quarter.fiscalYear, quarter.quarter) })}</h2>
        {current ? (
          <>
            <ReviewProgress decided={current.decided} total={current.total} awaiting={current.awaiting} />
            <p>
              <Link className="button button--primary" to={`/credit/review/${current.id}`}>
                {t("creditReview.toWorklist")}
              </Link>
            </p>
          </>
        ) : (
          <>
            <p>{t("creditReview.notOpen")}</p>
            {opening && opening.status !== "failed" ? (
              <p className="alert alert--warn" role="status">
                {t("creditReview.opening.inProgress")} <Link to={`/credit/review/openings/${opening.id}`}>{t("creditReview.opening.showProgress")}</Link>
              </p>
            ) : null}
            {opening?.status === "failed" ? (
              <div className="alert alert--error" role="alert">
                <p>
                  <strong>{t("creditReview.opening.failedTitle")}</strong> {t(opening.error ?? "creditReview.opening.failed")}
                </p>
                <p>{t("creditReview.opening.failedHelp")}</p>
              </div>
            ) : null}
            {canOpen ? (
              <Form method="post">
                <input type="hidden" name="intent" value="open" />
                <p className="muted">{t("creditReview.openHelp")}</p>
                {actionData && !actionData.ok && actionData.message ? (
                  <p className="alert alert--error" role="alert">
                    {t(actionData.message)}
                  </p>
                ) : null}
                <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
                  {t("creditReview.open", { quarter: label(quarter.fiscalYear, quarter.quarter) })}
                </button>
              </Form>
            ) : opening ? null : (
              <p className="muted">{t("creditReview.headOpens")}</p>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="reviews" className="section">
        <h2 id="reviews">{t("creditReview.reviews")}</h2>
        {reviews.length === 0 ? (
          <p className="muted">{t("creditReview.noReviews")}</p>
        ) : (
          <div className="table-wrap">
            <table className="stack-table">
              <caption className="visually-hidden">{t("creditReview.reviewsCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("creditReview.quarter")}</th>
                  <th scope="col">{t("creditReview.asOfColumn")}</th>
                  <th scope="col">{t("creditReview.status")}</th>
                  <th scope="col">{t("creditReview.decision")}</th>
                  <th scope="col">{t("creditReview.planItem")}</th>
                </tr>
              </thead>
              <tbody>
                {reviews.map((review) => (
                  <tr key={review.id}>
                    <th scope="row" className="cell--title">
                      <Link to={`/credit/review/${review.id}`}>{label(review.fiscalYear, review.quarter)}</Link>
                    </th>
                    <td data-label={t("creditReview.asOfColumn")}>{formatDate(review.asOf)}</td>
                    <td data-label={t("creditReview.status")}>
                      <span className={review.status === "open" ? "badge badge--info" : "badge badge--muted"}>{t(`creditReview.state.${review.status}`)}</span>
                    </td>
                    <td data-label={t("creditReview.decision")}>
                      {t("creditReview.progress", { decided: review.decided, total: review.total })}
                      {review.awaiting > 0 ? ` · ${t("creditReview.awaiting", { count: review.awaiting })}` : null}
                    </td>
                    <td className="cell--block" data-label={t("creditReview.planItem")}>
                      {review.planItem ? (
                        <Link to={`/plans/${review.planItem.planId}/items/${review.planItem.id}`}>{review.planItem.title}</Link>
                      ) : (
                        <span className="muted">{t("creditReview.noPlanItem")}</span>
                      )}
                    </td>
                  </tr>
                ))}
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

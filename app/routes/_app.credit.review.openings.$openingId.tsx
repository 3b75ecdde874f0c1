import { type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import { reviewOpeningPage } from "~/features/credit/review/index.server";
import { quarterLabel } from "~/features/kpi/format";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { useLocale } from "~/ui/use-format-amount";
import { idParam, orErrorPage } from "~/server/responses.server";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "creditReview");

/** An opening's progress; once done, its review's worklist. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "credit:review");
  const openingId = idParam(params, "openingId");
  const page = await orErrorPage(() => reviewOpeningPage(getDb(), user, openingId));
  if (page.opening.status === "done" && page.opening.reviewId !== null) throw redirect(`/credit/review/${page.opening.reviewId}`);
  return page;
}

export default function ReviewOpeningPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { opening, fiscalStartMonth } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const working = opening.status === "queued" || opening.status === "running";

  // With JavaScript the bar moves by itself (and the page turns into the worklist when done);
  // without it, the Refresh link does the same.
  useEffect(() => {
    if (!working) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 700);
    return () => clearInterval(timer);
  }, [working, revalidator]);

  const quarter = quarterLabel(opening.fiscalYear, opening.quarter, locale, fiscalStartMonth);
  return (
    <>
      <nav aria-label={t("customers.breadcrumb")} className="breadcrumb">
        <ol>
          <li>
            <Link to="/credit/review">{t("creditReview.opening.back")}</Link>
          </li>
          <li aria-current="page">{quarter}</li>
        </ol>
      </nav>
      <h1>{t("creditReview.opening.title", { quarter })}</h1>
      {working ? (
        <section className="card" aria-live="polite">
          <label htmlFor="opening-progress">
            {opening.status === "queued"
              ? t("creditReview.opening.queued")
              : t("creditReview.opening.running", { done: opening.progressDone, total: opening.progressTotal, percent: opening.percent })}
          </label>
          <progress id="opening-progress" className="progress" max={100} value={opening.percent} aria-label={t("creditReview.opening.progressLabel")}>
            {opening.percent}%
          </progress>
          <p className="field__help">{t("creditReview.opening.keepWorking")}</p>
          <p>
            <Link to=".">{t("creditReview.opening.refresh")}</Link>
          </p>
        </section>
      ) : null}
      {opening.status === "failed" ? (
        <section className="card">
          <div className="alert alert--error" role="alert">
            <p>
              <strong>{t("creditReview.opening.failedTitle")}</strong> {t(opening.error ?? "creditReview.opening.failed")}
            </p>
            <p>{t("creditReview.opening.failedHelp")}</p>
          </div>
          <Form method="post" action="/credit/review?index">
            <input type="hidden" name="intent" value="open" />
            <button type="submit" className="button button--primary">
              {t("creditReview.opening.tryAgain")}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

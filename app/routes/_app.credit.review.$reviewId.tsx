import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { reviewCommand, reviewWorklistPage } from "~/features/credit/review/index.server";
import { APPROVE_FETCHER, DECIDE_FETCHER } from "~/features/credit/review/components/review-forms";
import { ReviewProgress } from "~/features/credit/review/components/review-progress";
import { ApprovalList, WorklistTable } from "~/features/credit/review/components/review-worklist";
import reviewStyles from "~/features/credit/review/components/review.css";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField, TextField } from "~/ui/field";
import { ListFilters, OwnerFilter, RegionFilter } from "~/features/ledger/components/list-filters";
import { Pagination } from "~/ui/pagination";
import { useFormatAmount, useFormatDate, useLocale } from "~/ui/use-format-amount";
import { getDb } from "~/server/db.server";
import { type CurrentDecision, ROW_FILTERS, readWorklistQuery } from "~/features/credit/review/review";
import { quarterLabel } from "~/features/kpi/format";
import { minorToMajorString } from "~/kernel/money";
import { type Answer, attempt, formValues, idParam, orErrorPage, readFormData } from "~/server/responses.server";
import { listHref } from "~/kernel/list-url";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: reviewStyles }];
export const meta: MetaFunction = (args) => pageTitle(args, "creditReview");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const reviewId = idParam(params, "reviewId");
  const query = readWorklistQuery(new URL(request.url).searchParams);
  return orErrorPage(() => reviewWorklistPage(getDb(), user, reviewId, query));
}

/** decide (head), approve / decline (leader), set-approval-amount and close (head). */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const reviewId = idParam(params, "reviewId");
  const formData = await readFormData(request);
  const values = formValues(formData);
  return attempt(() => reviewCommand(getDb(), user, reviewId, values), formData, values.intent ?? null);
}

export default function CreditReviewPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const formatDate = useFormatDate();
  const formatAmount = useFormatAmount();
  const location = useLocation();
  const { review, fiscalStartMonth, items, page, query, options, grades, approvalAmount, awaiting, may } = useLoaderData<typeof loader>();
  // the action answers the shared Done or attempt()'s Refusal; Remix's serialized type does not keep that union
  const actionData = useActionData<typeof action>() as Answer<CurrentDecision> | undefined;
  const decided = useFetcher<Answer<CurrentDecision>>({ key: DECIDE_FETCHER });
  const approved = useFetcher<Answer<CurrentDecision>>({ key: APPROVE_FETCHER });
  const quarter = quarterLabel(review.fiscalYear, review.quarter, locale, fiscalStartMonth);
  const path = `/credit/review/${review.id}`;
  const href = (changes: Partial<typeof query> & { page?: number }) => listHref(path, { ...query, show: query.show === "all" ? "" : query.show, page: undefined, ...changes });
  const done = [actionData, approved.data, decided.data].find((candidate) => candidate?.ok);
  const refusal = actionData && !actionData.ok ? actionData : null;
  // A refusal about no row (closing the review, the approval amount's form) shows at the top.
  const pageError = refusal && refusal.subjectId === null && !refusal.fieldErrors.amount ? (refusal.fieldErrors.form?.[0] ?? refusal.message) : null;

  return (
    <>
      <nav aria-label={t("customers.breadcrumb")} className="breadcrumb">
        <ol>
          <li>
            <Link to="/credit/review">{t("creditReview.back")}</Link>
          </li>
          <li aria-current="page">{quarter}</li>
        </ol>
      </nav>
      <div className="page-head">
        <h1>{t("creditReview.reviewTitle", { quarter })}</h1>
        <span className={review.status === "open" ? "badge badge--info" : "badge badge--muted"}>{t(`creditReview.state.${review.status}`)}</span>
      </div>
      <p className="lead">
        {t("creditReview.asOf", { date: formatDate(review.asOf), name: review.createdByName ?? "—" })}{" "}
        {review.planItem ? (
          <Link to={`/plans/${review.planItem.planId}/items/${review.planItem.id}`}>{t("creditReview.planItemLink", { title: review.planItem.title })}</Link>
        ) : (
          <span className="muted">{t("creditReview.noPlanItem")}</span>
        )}
      </p>
      <ReviewProgress decided={review.decided} total={review.total} awaiting={review.awaiting} />
      {done?.ok ? (
        <p className="alert alert--success" role="status">
          {t(done.message)}
        </p>
      ) : null}
      {pageError ? (
        <p className="alert alert--error" role="alert">
          {t(pageError)}
        </p>
      ) : null}
      {!may.decide && !may.approve ? <p className="muted">{t("creditReview.readOnly")}</p> : null}

      {may.approve ? (
        <section className="card" aria-labelledby="approvals-heading" id="approvals">
          <h2 id="approvals-heading">{t("creditReview.approval.heading")}</h2>
          <ApprovalList items={awaiting} refusal={refusal} />
        </section>
      ) : null}

      {may.manage ? (
        <section className="card" aria-labelledby="approval-amount">
          <h2 id="approval-amount">{t("creditReview.amount.heading")}</h2>
          <p>{t("creditReview.amount.text", { amount: formatAmount(approvalAmount) })}</p>
          <Form method="post" className="review-amount" noValidate>
            <input type="hidden" name="intent" value="set-approval-amount" />
            <TextField
              label={t("creditReview.amount.label")}
              name="amount"
              inputMode="decimal"
              defaultValue={minorToMajorString(approvalAmount)}
              error={refusal?.intent === "set-approval-amount" ? refusal.fieldErrors.amount?.[0] : undefined}
            />
            <button type="submit" className="button">
              {t("creditReview.amount.save")}
            </button>
          </Form>
          {may.decide ? (
            <Form method="post" className="section">
              <input type="hidden" name="intent" value="close" />
              <p className="muted">{t("creditReview.close.help")}</p>
              <button type="submit" className="button">
                {t("creditReview.close.button")}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      <ListFilters key={location.search} action={path} label={t("creditReview.filters")} keep={{}} clearHref={path}>
        <SelectField label={t("creditReview.show")} name="show" defaultValue={query.show === "all" ? "" : query.show}>
          {ROW_FILTERS.map((filter) => (
            <option key={filter} value={filter === "all" ? "" : filter}>
              {t(`creditReview.show${filter.charAt(0).toUpperCase()}${filter.slice(1)}`)}
            </option>
          ))}
        </SelectField>
        {options.ownerFilter ? <OwnerFilter owners={options.owners} unassigned={options.unassigned} value={query.owner} /> : null}
        <RegionFilter regions={options.regions} value={query.region} />
      </ListFilters>

      {items.length === 0 ? (
        <p className="muted">{t("creditReview.empty")}</p>
      ) : (
        <WorklistTable
          items={items}
          caption={t("creditReview.caption", { quarter })}
          grades={grades}
          canDecide={may.decide}
          refusal={refusal}
        />
      )}
      <Pagination info={page} label={t("creditReview.pages")} hrefFor={(p) => href({ page: p === 1 ? undefined : p })} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

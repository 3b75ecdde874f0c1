import { type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { ConfirmationCreateForm } from "~/features/credit/confirmations/components/confirmation-create-form";
import { RateText } from "~/features/credit/confirmations/components/confirmation-rates";
import confirmationStyles from "~/features/credit/confirmations/components/confirmations.css";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { batchList, createConfirmationBatch } from "~/features/credit/confirmations/index.server";
import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { type Refusal, attempt, formValues, readFormData } from "~/server/responses.server";
import { formatNumber } from "~/ui/format";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: confirmationStyles }];
export const meta: MetaFunction = (args) => pageTitle(args, "balanceConfirmations");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  return batchList(getDb(), user, today());
}

/** Creates a batch (head only) and opens it; a refused form comes back with its field errors. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "credit:review");
  const formData = await readFormData(request);
  const created = await attempt(() => createConfirmationBatch(getDb(), user, formValues(formData), today()), formData, "create-batch");
  if (!("batchId" in created)) return created;
  return redirect(`/credit/confirmations/${created.batchId}?created=${created.customers}`);
}

export default function ConfirmationBatchesPage() {
  const { t } = useTranslation();
  const { batches, canCreate, options, today } = useLoaderData<typeof loader>();
  // the action's only data answer is attempt()'s Refusal (else it redirects); Remix's serialized type does not keep that shape
  const actionData = useActionData<typeof action>() as Refusal | undefined;
  const navigation = useNavigation();
  const formatDate = useFormatDate();
  const locale = useLocale();
  const n = (value: number) => formatNumber(value, locale);

  return (
    <>
      <h1>{t("confirmations.title")}</h1>
      <p className="lead">{t("confirmations.intro")}</p>
      {batches.length === 0 ? (
        <p className="card">{t("confirmations.noBatches")}</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label={t("confirmations.batchesCaption")}>
          <table className="ledger-table confirmation-table stack-table">
            <caption>{t("confirmations.batchesCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("confirmations.columns.name")}</th>
                <th scope="col">{t("confirmations.columns.periodEnd")}</th>
                <th scope="col" className="num">{t("confirmations.columns.customers")}</th>
                <th scope="col" className="num">{t("confirmations.columns.sent")}</th>
                <th scope="col" className="num">{t("confirmations.columns.returned")}</th>
                <th scope="col" className="num">{t("confirmations.columns.returnRate")}</th>
                <th scope="col" className="num">{t("confirmations.columns.mismatchRate")}</th>
                <th scope="col" className="num">{t("confirmations.columns.openFollowUps")}</th>
                <th scope="col">{t("confirmations.columns.status")}</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((batch) => (
                <tr key={batch.id}>
                  <th scope="row" className="cell--title">
                    <Link to={`/credit/confirmations/${batch.id}`}>{batch.name}</Link>
                  </th>
                  <td className="nowrap" data-label={t("confirmations.columns.periodEnd")}>
                    {formatDate(batch.periodEnd)}
                  </td>
                  <td className="num" data-label={t("confirmations.columns.customers")}>
                    {n(batch.customers)}
                  </td>
                  <td className="num" data-label={t("confirmations.columns.sent")}>
                    {n(batch.sent)}
                  </td>
                  <td className="num" data-label={t("confirmations.columns.returned")}>
                    {n(batch.returned)}
                  </td>
                  <td className="num" data-label={t("confirmations.columns.returnRate")}>
                    <RateText value={batch.returnRate} />
                  </td>
                  <td className="num" data-label={t("confirmations.columns.mismatchRate")}>
                    <RateText value={batch.mismatchRate} />
                  </td>
                  <td className="num" data-label={t("confirmations.columns.openFollowUps")}>
                    {n(batch.openFollowUps)}
                  </td>
                  <td data-label={t("confirmations.columns.status")}>
                    <span className={batch.closedAt ? "badge badge--muted" : "badge badge--info"}>
                      {t(batch.closedAt ? "confirmations.status.closed" : "confirmations.status.open")}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canCreate && options ? (
        <ConfirmationCreateForm
          key={actionData ? "refused" : "new"}
          options={options}
          today={today}
          serverErrors={actionData?.fieldErrors}
          values={actionData?.submitted}
          submitting={navigation.state === "submitting"}
        />
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { ConfirmationCreateForm } from "~/features/credit/confirmations/components/confirmation-create-form";
import { RateText } from "~/features/credit/confirmations/components/confirmation-rates";
import confirmationStyles from "~/features/credit/confirmations/components/confirmations.css";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { batchListData, createBatchAction } from "~/features/credit/confirmations/confirmations.server";
import { formatNumber } from "~/ui/format";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: confirmationStyles }];
export const meta: MetaFunction = () => [{ title: "Balance confirmations · Quarterdeck" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return batchListData(request);
}

/** Creates a batch (head only) and opens it; a refused form comes back with its field errors. */
export async function action({ request }: ActionFunctionArgs) {
  return createBatchAction(request);
}

export default function ConfirmationBatchesPage() {
  const { t } = useTranslation();
  const { batches, canCreate, options, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
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
          values={actionData?.values}
          submitting={navigation.state === "submitting"}
        />
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

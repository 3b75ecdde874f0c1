import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, type ShouldRevalidateFunction, useActionData, useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";

import { BULK_FORM_ID, ConfirmationBulkSend } from "~/features/credit/confirmations/components/confirmation-bulk-send";
import { ConfirmationRatesTable } from "~/features/credit/confirmations/components/confirmation-rates";
import { ConfirmationRowEditor, type RecordAnswer } from "~/features/credit/confirmations/components/confirmation-row-editor";
import confirmationStyles from "~/features/credit/confirmations/components/confirmations.css";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField } from "~/ui/field";
import { Amount } from "~/ui/amount";
import { ListFilters } from "~/features/ledger/components/list-filters";
import { Pagination } from "~/ui/pagination";
import { StackToggle } from "~/ui/stack-toggle";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { batchAction, batchPageData } from "~/features/credit/confirmations/confirmations.server";
import { CONFIRMATION_STATES } from "~/features/credit/confirmations/confirmations";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { listHref } from "~/kernel/list-url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: confirmationStyles }];
export const meta: MetaFunction = () => [{ title: "Balance confirmation batch · Quarterdeck" }];

// A 409 (a row changed by someone else) means the rows shown are out of date: reload them, so the
// row's forms are based on what is stored now.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return batchPageData(request, params.batchId);
}

/** send / return / resolve on one row, bulk-send, close-batch (see confirmations.server.ts). */
export async function action({ request, params }: ActionFunctionArgs) {
  return batchAction(request, params.batchId);
}

const STATE_BADGES: Record<string, string> = {
  not_sent: "badge badge--muted",
  awaiting: "badge badge--info",
  matched: "badge badge--ok",
  mismatch_open: "badge badge--bad",
  mismatch_resolved: "badge badge--warn",
  not_returned: "badge badge--warn",
};

export default function ConfirmationBatchPage() {
  const { t } = useTranslation();
  const { batch, view, page, rows, options, ownerFilter, rates, canClose, canRecord, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as (RecordAnswer & { count?: number }) | undefined;
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const formatDate = useFormatDate();
  const locale = useLocale();
  const timeZone = useTimeZone();
  const path = `/credit/confirmations/${batch.id}`;
  const state = {
    state: view.filters.state,
    owner: view.filters.owner === undefined ? undefined : String(view.filters.owner),
    region: view.filters.region,
    size: view.size === 100 ? undefined : view.size,
  };
  const href = (changes: Record<string, string | number | undefined>) => listHref(path, { ...state, page: page.page > 1 ? page.page : undefined, ...changes });
  const pageAnswer = actionData && actionData.rowId === null ? actionData : null;
  const created = searchParams.get("created");

  return (
    <>
      <p>
        <Link to="/credit/confirmations">← {t("confirmations.batch.back")}</Link>
      </p>
      <h1>{batch.name}</h1>
      <p className="confirmation-header">
        <strong>{t("confirmations.batch.periodEnd", { date: formatDate(batch.periodEnd) })}</strong>
        <span className={batch.closedAt ? "badge badge--muted" : "badge badge--info"}>
          {t(batch.closedAt ? "confirmations.status.closed" : "confirmations.status.open")}
        </span>
        <span className="muted">
          {t("confirmations.batch.createdBy", { when: formatDateTime(batch.createdAt, locale, timeZone), name: batch.createdByName ?? "—" })}
          {batch.closedAt ? ` ${t("confirmations.batch.closedOn", { when: formatDateTime(batch.closedAt, locale, timeZone) })}` : ""}
        </span>
      </p>
      {created && !actionData ? (
        <p className="alert alert--success" role="status">
          {t("confirmations.create.created", { count: Number(created) })}
        </p>
      ) : null}
      {pageAnswer?.ok ? (
        <p className="alert alert--success" role="status">
          {t(pageAnswer.message ?? "", { count: pageAnswer.count ?? 0 })}
        </p>
      ) : pageAnswer && pageAnswer.fieldErrors?.form ? (
        <p className="alert alert--error" role="alert">
          {t(pageAnswer.fieldErrors.form[0] ?? "")}
        </p>
      ) : null}
      {batch.closedAt ? <p className="alert alert--warn">{t("confirmations.closedBatch")}</p> : !canRecord ? <p className="muted">{t("confirmations.batch.readOnly")}</p> : null}

      <section aria-labelledby="rates-heading">
        <h2 id="rates-heading">{t("confirmations.rates.heading")}</h2>
        <p className="muted">{t("confirmations.rates.intro")}</p>
        {rates.total.sent === 0 ? (
          <p className="card">{t("confirmations.rates.nothingSent")}</p>
        ) : (
          <div className="confirmation-rates-grid">
            <ConfirmationRatesTable rows={rates.byOwner} total={rates.total} by="owner" />
            <ConfirmationRatesTable rows={rates.byRegion} total={rates.total} by="region" />
          </div>
        )}
      </section>

      <ListFilters key={location.search} action={path} label={t("confirmations.filters.label")} keep={{ size: state.size ? String(state.size) : undefined }} clearHref={path}>
        <SelectField label={t("confirmations.filters.state")} name="state" defaultValue={state.state ?? ""}>
          <option value="">{t("confirmations.filters.anyState")}</option>
          {CONFIRMATION_STATES.map((s) => (
            <option key={s} value={s}>
              {t(`confirmations.states.${s}`)}
            </option>
          ))}
        </SelectField>
        {ownerFilter ? (
          <SelectField label={t("confirmations.filters.owner")} name="owner" defaultValue={state.owner ?? ""}>
            <option value="">{t("confirmations.filters.anyOwner")}</option>
            {options.owners.map((owner) => (
              <option key={owner.id} value={owner.id}>
                {owner.name}
              </option>
            ))}
            {options.unassigned ? <option value="none">{t("confirmations.filters.noOwner")}</option> : null}
          </SelectField>
        ) : null}
        <SelectField label={t("confirmations.filters.region")} name="region" defaultValue={state.region ?? ""}>
          <option value="">{t("confirmations.filters.anyRegion")}</option>
          {options.regions.map((region) => (
            <option key={region}>{region}</option>
          ))}
        </SelectField>
      </ListFilters>

      <p>
        {t("confirmations.export.label")}:{" "}
        <a href={listHref(`${path}/export`, { ...state, size: undefined, format: "xlsx" })} download>
          {t("confirmations.export.xlsx")}
        </a>
        {" · "}
        <a href={listHref(`${path}/export`, { ...state, size: undefined, format: "csv" })} download>
          {t("confirmations.export.csv")}
        </a>
      </p>

      {canRecord ? (
        <ConfirmationBulkSend
          today={today}
          filters={{ state: state.state ?? "", owner: state.owner ?? "", region: state.region ?? "" }}
          matching={page.total}
          refused={pageAnswer && !pageAnswer.ok && pageAnswer.intent === "bulk-send" ? pageAnswer : null}
        />
      ) : null}

      <StackToggle />
      <div className="table-wrap" tabIndex={0} role="region" aria-label={t("confirmations.table.caption", { name: batch.name })}>
        <table className="ledger-table confirmation-table stack-table">
          <caption>{t("confirmations.table.caption", { name: batch.name })}</caption>
          <thead>
            <tr>
              {canRecord ? <th scope="col">{t("confirmations.table.select")}</th> : null}
              <th scope="col">{t("confirmations.table.customer")}</th>
              <th scope="col" className="cell--secondary">{t("confirmations.table.owner")}</th>
              <th scope="col" className="cell--secondary">{t("confirmations.table.region")}</th>
              <th scope="col" className="num">{t("confirmations.table.ourBalance")}</th>
              <th scope="col">{t("confirmations.table.sent")}</th>
              <th scope="col" className="cell--secondary">{t("confirmations.table.returned")}</th>
              <th scope="col">{t("confirmations.table.state")}</th>
              <th scope="col" className="num">{t("confirmations.table.difference")}</th>
              <th scope="col">{t("confirmations.table.note")}</th>
              {canRecord ? <th scope="col">{t("confirmations.table.actions")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={canRecord ? 11 : 9}>{t("confirmations.table.empty")}</td>
              </tr>
            ) : null}
            {rows.map((row) => {
              const open = view.row === row.id && row.canRecord;
              return (
                <Fragment key={row.id}>
                  <tr id={`confirmation-${row.id}`}>
                    {canRecord ? (
                      <td className="cell--title">
                        {row.canRecord && !row.sentOn ? (
                          <input type="checkbox" name="selected" value={row.id} form={BULK_FORM_ID} aria-label={t("confirmations.table.selectRow", { customer: row.customerName })} />
                        ) : null}
                      </td>
                    ) : null}
                    <th scope="row" className="cell--title">
                      <Link to={`/customers/${encodeURIComponent(row.customerCode)}`}>{row.customerCode}</Link>
                      <div className="secondary">{row.customerName}</div>
                    </th>
                    <td className="cell--secondary" data-label={t("confirmations.table.owner")}>
                      {row.ownerName ?? t("confirmations.rates.noOwner")}
                    </td>
                    <td className="cell--secondary" data-label={t("confirmations.table.region")}>
                      {row.region ?? t("confirmations.none")}
                    </td>
                    <td className="num" data-label={t("confirmations.table.ourBalance")}>
                      <Amount minor={row.ourBalance} />
                    </td>
                    <td className="nowrap" data-label={t("confirmations.table.sent")}>
                      {row.sentOn ? (
                        <>
                          {formatDate(row.sentOn)}
                          <div className="secondary">{row.channel ? t(`confirmations.channels.${row.channel}`) : null}</div>
                        </>
                      ) : (
                        t("confirmations.none")
                      )}
                    </td>
                    <td className="nowrap cell--secondary" data-label={t("confirmations.table.returned")}>
                      {row.returnedOn ? formatDate(row.returnedOn) : t("confirmations.none")}
                    </td>
                    <td data-label={t("confirmations.table.state")}>
                      <span className={STATE_BADGES[row.state]}>{t(`confirmations.states.${row.state}`)}</span>
                      {row.resolvedOn ? <div className="secondary">{formatDate(row.resolvedOn)}</div> : null}
                    </td>
                    <td className="num" data-label={t("confirmations.table.difference")}>
                      {row.result === "mismatched" ? <Amount minor={row.difference} alert={row.resolvedOn === null} /> : t("confirmations.none")}
                    </td>
                    <td className="confirmation-note user-text" data-label={t("confirmations.table.note")}>
                      {row.note}
                      {row.resolutionNote ? <div className="secondary">{row.resolutionNote}</div> : null}
                    </td>
                    {canRecord ? (
                      <td>
                        {row.canRecord ? (
                          <Link
                            to={`${href({ row: open ? undefined : row.id })}#confirmation-${row.id}`}
                            preventScrollReset
                            aria-expanded={open}
                            aria-label={`${open ? t("confirmations.table.hide") : t("confirmations.table.record")}: ${row.customerName}`}
                          >
                            {open ? t("confirmations.table.hide") : t("confirmations.table.record")}
                          </Link>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                  {open ? (
                    <tr className="confirmation-table__editor">
                      <td colSpan={11}>
                        <ConfirmationRowEditor row={row} today={today} fallback={actionData && actionData.rowId === row.id ? actionData : null} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      <Pagination info={page} label={t("confirmations.pages")} hrefFor={(p) => href({ page: p > 1 ? p : undefined })} />

      {canClose ? (
        <Form method="post" className="card" aria-labelledby="close-heading">
          <h2 id="close-heading">{t("confirmations.batch.close")}</h2>
          <p className="muted">{t("confirmations.batch.closeHelp")}</p>
          <input type="hidden" name="intent" value="close-batch" />
          <button type="submit" className="button">
            {t("confirmations.batch.close")}
          </button>
        </Form>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

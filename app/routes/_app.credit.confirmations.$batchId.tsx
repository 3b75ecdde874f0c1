import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, type ShouldRevalidateFunction, useActionData, useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { sentences } from "~/i18n";

import { ConfirmationLetters } from "~/features/credit/confirmations/components/confirmation-letters";
import { ConfirmationBulkSend } from "~/features/credit/confirmations/components/confirmation-bulk-send";
import { ConfirmationRatesTable } from "~/features/credit/confirmations/components/confirmation-rates";
import { type RecordAnswer, answerRow } from "~/features/credit/confirmations/components/confirmation-row-editor";
import { ConfirmationRowsTable } from "~/features/credit/confirmations/components/confirmation-rows";
import confirmationStyles from "~/features/credit/confirmations/components/confirmations.css";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField } from "~/ui/field";
import { ListFilters } from "~/features/ledger/components/list-filters";
import { Pagination } from "~/ui/pagination";
import { useFormatDate, useLocale } from "~/ui/use-format-amount";
import { batchPage, readBatchView, recordOnBatch } from "~/features/credit/confirmations/index.server";
import { requirePermission } from "~/server/auth.server";
import { today as businessDay } from "~/server/clock.server";
import { getDb } from "~/server/db.server";
import { attempt, formValues, idParam, orErrorPage, readFormData } from "~/server/responses.server";
import { CONFIRMATION_STATES } from "~/features/credit/confirmations/confirmations";
import { formatDateTime, useTimeZone } from "~/ui/format";
import { listHref } from "~/kernel/list-url";
import { pageTitle } from "~/i18n/page-title";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: confirmationStyles }];
export const meta: MetaFunction = (args) => pageTitle(args, "balanceConfirmationBatch");

// A 409 (a row changed by someone else) means the rows shown are out of date: reload them, so the
// row's forms are based on what is stored now.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const batchId = idParam(params, "batchId");
  const view = readBatchView(new URL(request.url).searchParams);
  return orErrorPage(() => batchPage(getDb(), user, batchId, view, businessDay()));
}

/** send / return / resolve on one row, bulk-send, close-batch (see confirmations.server.ts). */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const batchId = idParam(params, "batchId");
  const formData = await readFormData(request);
  const selected = formData.getAll("selected").map(String);
  // FormData.get is string | File | null; the intent field is a plain text field
  return attempt(() => recordOnBatch(getDb(), user, batchId, formValues(formData), selected, businessDay()), formData, formData.get("intent") as string | null);
}

export default function ConfirmationBatchPage() {
  const { t } = useTranslation();
  const { batch, view, page, rows, options, ownerFilter, rates, canClose, canRecord, today } = useLoaderData<typeof loader>();
  // the action answers recordOnBatch's RecordAnswer or attempt()'s Refusal (part of RecordAnswer); Remix's serialized type does not keep that shape
  const actionData = useActionData<typeof action>() as RecordAnswer | undefined;
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
  const pageAnswer = actionData && answerRow(actionData) === null ? actionData : null;
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
          {sentences(t, [
            t("confirmations.batch.createdBy", { when: formatDateTime(batch.createdAt, locale, timeZone), name: batch.createdByName ?? "—" }),
            batch.closedAt && t("confirmations.batch.closedOn", { when: formatDateTime(batch.closedAt, locale, timeZone) }),
          ])}
        </span>
      </p>
      {created && !actionData ? (
        <p className="alert alert--success" role="status">
          {t("confirmations.create.created", { count: Number(created) })}
        </p>
      ) : null}
      {pageAnswer?.ok ? (
        <p className="alert alert--success" role="status">
          {t(pageAnswer.message, { count: pageAnswer.count })}
        </p>
      ) : pageAnswer?.fieldErrors.form?.[0] ? (
        <p className="alert alert--error" role="alert">
          {t(pageAnswer.fieldErrors.form[0])}
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
        {t("confirmations.export.label")}{t("common.colon")}
        <a href={listHref(`${path}/export`, { ...state, size: undefined, format: "xlsx" })} download>
          {t("confirmations.export.xlsx")}
        </a>
        {" · "}
        <a href={listHref(`${path}/export`, { ...state, size: undefined, format: "csv" })} download>
          {t("confirmations.export.csv")}
        </a>
      </p>

      {rows.length > 0 ? <ConfirmationLetters action={`${path}/letters`} filters={{ state: state.state ?? "", owner: state.owner ?? "", region: state.region ?? "" }} customers={rows} /> : null}

      {canRecord ? (
        <ConfirmationBulkSend
          today={today}
          filters={{ state: state.state ?? "", owner: state.owner ?? "", region: state.region ?? "" }}
          matching={page.total}
          refused={pageAnswer && !pageAnswer.ok && pageAnswer.intent === "bulk-send" ? pageAnswer : null}
        />
      ) : null}

      <ConfirmationRowsTable batchName={batch.name} rows={rows} openRow={view.row} canRecord={canRecord} today={today} href={href} answer={actionData ?? null} />
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

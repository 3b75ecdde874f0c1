import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField, TextField } from "~/ui/field";
import { AsOfNote } from "~/features/ledger/components/as-of-note";
import { InvoiceListTable } from "~/features/ledger/components/invoice-list-table";
import { ListFilters, OwnerFilter, RegionFilter } from "~/features/ledger/components/list-filters";
import { Pagination } from "~/ui/pagination";
import { getDb } from "~/server/db.server";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import { listAsOf } from "~/kernel/ledger/list-as-of";
import { nextSortDirection, pageInfo } from "~/kernel/paging";
import {
  type InvoiceFilters,
  countInvoices,
  customerFilterOptions,
  latestDocumentDate,
  listInvoices,
} from "~/features/ledger/index.server";
import { INVOICE_SORT_DEFAULTS, type InvoiceSort, readInvoiceListParams } from "~/features/ledger/schema";
import { sortParams, sortedListHref } from "~/kernel/list-url";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "invoices");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const scope = ledgerScopeOf(user);
  const params = readInvoiceListParams(new URL(request.url));
  const filters: InvoiceFilters = {
    customerCode: params.customer,
    issuedFrom: params.issuedFrom,
    issuedTo: params.issuedTo,
    dueFrom: params.dueFrom,
    dueTo: params.dueTo,
    status: params.status,
    owner: params.owner,
    region: params.region,
  };
  const db = getDb();
  const [latest, options] = await Promise.all([latestDocumentDate(db), customerFilterOptions(db, scope)]);
  const asOf = listAsOf(today(), latest);
  const total = await countInvoices(db, scope, filters, asOf.asOf);
  const page = pageInfo(params.page, total);
  const invoices = await listInvoices(db, scope, {
    filters,
    asOf: asOf.asOf,
    sort: params.sort,
    direction: params.dir,
    offset: page.offset,
    limit: page.pageSize,
    matching: total,
  });
  return {
    invoices,
    page,
    asOf,
    options,
    ownerFilter: scope.kind === "all",
    state: {
      customer: params.customer ?? "",
      issuedFrom: params.issuedFrom ?? "",
      issuedTo: params.issuedTo ?? "",
      dueFrom: params.dueFrom ?? "",
      dueTo: params.dueTo ?? "",
      status: params.status ?? "",
      owner: params.owner === undefined ? "" : String(params.owner),
      region: params.region ?? "",
      sort: params.sort,
      dir: params.dir,
    },
  };
}

const SORT_DEFAULTS: { sort: InvoiceSort; directions: typeof INVOICE_SORT_DEFAULTS } = { sort: "issue", directions: INVOICE_SORT_DEFAULTS };
const CLEARED = {
  customer: "",
  issuedFrom: "",
  issuedTo: "",
  dueFrom: "",
  dueTo: "",
  status: "",
  owner: "",
  region: "",
};

export default function InvoicesPage() {
  const { t } = useTranslation();
  const { invoices, page, asOf, options, ownerFilter, state } = useLoaderData<typeof loader>();
  const location = useLocation();
  const href = (changes: Partial<typeof state> & { page?: number }) =>
    sortedListHref("/invoices", { ...state, page: 1, ...changes }, SORT_DEFAULTS);
  const sortHref = (column: InvoiceSort) =>
    href({
      sort: column,
      dir: nextSortDirection({ sort: state.sort, direction: state.dir }, column, INVOICE_SORT_DEFAULTS[column]),
    });

  return (
    <>
      <h1>{t("invoices.title")}</h1>
      <AsOfNote asOf={asOf} />
      <ListFilters
        key={location.search}
        action="/invoices"
        label={t("invoices.filters")}
        keep={sortParams(state, SORT_DEFAULTS)}
        clearHref={href(CLEARED)}
      >
        <TextField label={t("invoices.customer")} name="customer" defaultValue={state.customer} maxLength={100} />
        <TextField label={t("invoices.issuedFrom")} name="issuedFrom" type="date" defaultValue={state.issuedFrom} />
        <TextField label={t("invoices.issuedTo")} name="issuedTo" type="date" defaultValue={state.issuedTo} />
        <TextField label={t("invoices.dueFrom")} name="dueFrom" type="date" defaultValue={state.dueFrom} />
        <TextField label={t("invoices.dueTo")} name="dueTo" type="date" defaultValue={state.dueTo} />
        <SelectField label={t("invoices.status")} name="status" defaultValue={state.status}>
          <option value="">{t("invoices.anyStatus")}</option>
          <option value="open">{t("invoices.statusOpen")}</option>
          <option value="overdue">{t("invoices.statusOverdue")}</option>
          <option value="settled">{t("invoices.statusSettled")}</option>
        </SelectField>
        {ownerFilter ? <OwnerFilter owners={options.owners} unassigned={options.unassigned} value={state.owner} /> : null}
        <RegionFilter regions={options.regions} value={state.region} />
      </ListFilters>

      <InvoiceListTable
        invoices={invoices}
        asOf={asOf.asOf}
        sorting={{ sort: state.sort, dir: state.dir, hrefFor: sortHref }}
      />
      <Pagination info={page} label={t("invoices.pages")} hrefFor={(p) => href({ page: p })} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

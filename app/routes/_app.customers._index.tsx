import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { requirePermission } from "~/server/auth.server";
import { today } from "~/server/clock.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { SelectField, TextField } from "~/ui/field";
import { AsOfNote } from "~/features/ledger/components/as-of-note";
import { CustomerListTable } from "~/features/ledger/components/customer-list-table";
import { ListFilters, OwnerFilter, RegionFilter } from "~/features/ledger/components/list-filters";
import { Pagination } from "~/ui/pagination";
import { getDb } from "~/server/db.server";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import { listAsOf } from "~/kernel/ledger/list-as-of";
import { nextSortDirection, pageInfo } from "~/kernel/paging";
import {
  type CustomerFilters,
  countCustomers,
  customerFilterOptions,
  latestDocumentDate,
  listCustomers,
} from "~/features/ledger/index.server";
import { CUSTOMER_SORT_DEFAULTS, type CustomerSort, readCustomerListParams } from "~/features/ledger/schema";
import { sortParams, sortedListHref } from "~/kernel/list-url";
import { pageTitle } from "~/i18n/page-title";

export const meta: MetaFunction = (args) => pageTitle(args, "customers");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "ledger:read");
  const scope = ledgerScopeOf(user);
  const params = readCustomerListParams(new URL(request.url));
  const filters: CustomerFilters = {
    search: params.q,
    owner: params.owner,
    region: params.region,
    grade: params.grade,
    status: params.status,
  };
  const db = getDb();
  const [latest, total, options] = await Promise.all([
    latestDocumentDate(db),
    countCustomers(db, scope, filters),
    customerFilterOptions(db, scope),
  ]);
  const asOf = listAsOf(today(), latest);
  const page = pageInfo(params.page, total);
  const customers = await listCustomers(db, scope, {
    filters,
    asOf: asOf.asOf,
    sort: params.sort,
    direction: params.dir,
    offset: page.offset,
    limit: page.pageSize,
  });
  return {
    customers,
    page,
    asOf,
    options,
    /** staff see only their own customers: an owner filter would offer nothing */
    ownerFilter: scope.kind === "all",
    state: {
      q: params.q ?? "",
      owner: params.owner === undefined ? "" : String(params.owner),
      region: params.region ?? "",
      grade: params.grade ?? "",
      status: params.status ?? "",
      sort: params.sort,
      dir: params.dir,
    },
  };
}

const SORT_DEFAULTS: { sort: CustomerSort; directions: typeof CUSTOMER_SORT_DEFAULTS } = { sort: "code", directions: CUSTOMER_SORT_DEFAULTS };

export default function CustomersPage() {
  const { t } = useTranslation();
  const { customers, page, asOf, options, ownerFilter, state } = useLoaderData<typeof loader>();
  const location = useLocation();
  const href = (changes: Partial<typeof state> & { page?: number }) =>
    sortedListHref("/customers", { ...state, page: 1, ...changes }, SORT_DEFAULTS);
  const sortHref = (column: CustomerSort) =>
    href({
      sort: column,
      dir: nextSortDirection({ sort: state.sort, direction: state.dir }, column, CUSTOMER_SORT_DEFAULTS[column]),
    });
  const filtered = Boolean(state.q || state.owner || state.region || state.grade || state.status);

  return (
    <>
      <h1>{t("customers.title")}</h1>
      <AsOfNote asOf={asOf} />
      <ListFilters
        key={location.search}
        action="/customers"
        label={t("customers.filters")}
        keep={sortParams(state, SORT_DEFAULTS)}
        clearHref={href({ q: "", owner: "", region: "", grade: "", status: "" })}
      >
        <TextField label={t("customers.search")} name="q" type="search" defaultValue={state.q} maxLength={100} />
        {ownerFilter ? <OwnerFilter owners={options.owners} unassigned={options.unassigned} value={state.owner} /> : null}
        <RegionFilter regions={options.regions} value={state.region} />
        <SelectField label={t("customers.grade")} name="grade" defaultValue={state.grade}>
          <option value="">{t("customers.anyGrade")}</option>
          {options.grades.map((grade) => (
            <option key={grade}>{grade}</option>
          ))}
        </SelectField>
        <SelectField label={t("customers.status")} name="status" defaultValue={state.status}>
          <option value="">{t("customers.anyStatus")}</option>
          <option value="active">{t("customers.active")}</option>
          <option value="inactive">{t("customers.inactive")}</option>
        </SelectField>
      </ListFilters>

      <CustomerListTable
        customers={customers}
        asOf={asOf.asOf}
        emptyText={filtered ? t("customers.empty") : t("customers.emptyLedger")}
        sorting={{ sort: state.sort, dir: state.dir, hrefFor: sortHref }}
      />
      {page.total > 0 ? <Pagination info={page} label={t("customers.pages")} hrefFor={(p) => href({ page: p })} /> : null}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { Amount } from "~/ui/amount";
import { SortHeader } from "~/ui/sort-header";
import { StackToggle } from "~/ui/stack-toggle";
import { useFormatDate } from "~/ui/use-format-amount";
import type { CustomerListRow } from "~/kernel/ledger/rows";
import type { SortDirection } from "~/kernel/paging";
import type { CustomerSort } from "~/features/ledger/schema";

/** The customer list: sortable headers, money right-aligned, overdue in red, an empty-state row. */
export function CustomerListTable({
  customers,
  asOf,
  emptyText,
  sorting,
}: {
  customers: CustomerListRow[];
  /** the date the figures are as of */
  asOf: string;
  /** shown when there are no rows */
  emptyText: string;
  /** the active sort, and the link that sorts by a column (reversing it when it is the active one) */
  sorting: { sort: CustomerSort; dir: SortDirection; hrefFor: (column: CustomerSort) => string };
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const sortHeader = (column: CustomerSort, label: string, numeric = false) => (
    <SortHeader
      label={label}
      numeric={numeric}
      active={sorting.sort === column}
      direction={sorting.dir}
      href={sorting.hrefFor(column)}
    />
  );
  return (
    <>
      <StackToggle />
      <div className="table-wrap">
        <table className="ledger-table ledger-table--wide stack-table">
          <caption>{t("customers.caption", { date: formatDate(asOf) })}</caption>
          <thead>
            <tr data-sort-label={t("ledger.sortBy")}>
              {sortHeader("code", t("customers.code"))}
              {sortHeader("name", t("customers.name"))}
              <th scope="col" className="cell--secondary">{t("customers.region")}</th>
              <th scope="col">{t("customers.owner")}</th>
              <th scope="col" className="cell--secondary">{t("customers.gradeShort")}</th>
              <th scope="col" className="num cell--secondary">
                {t("customers.creditLimit")}
              </th>
              {sortHeader("balance", t("customers.balance"), true)}
              {sortHeader("overdue", t("customers.overdue"), true)}
              <th scope="col" className="num cell--secondary">
                {t("customers.unappliedCredit")}
              </th>
            </tr>
          </thead>
          <tbody>
            {customers.length === 0 ? (
              <tr>
                <td colSpan={9} className="empty-row">
                  {emptyText}
                </td>
              </tr>
            ) : (
              customers.map((customer) => (
                <tr key={customer.code}>
                  <td className="nowrap cell--title">
                    <Link to={`/customers/${encodeURIComponent(customer.code)}`}>{customer.code}</Link>
                  </td>
                  <td className="name-cell cell--title">
                    {customer.name}
                    {customer.status === "inactive" ? (
                      <span className="badge badge--muted badge--inline">{t("customers.inactive")}</span>
                    ) : null}
                  </td>
                  <td className="cell--secondary" data-label={t("customers.region")}>
                    {customer.region ?? <span className="muted">{t("ledger.none")}</span>}
                  </td>
                  <td className="nowrap" data-label={t("customers.owner")}>
                    {customer.ownerName ?? <span className="muted">{t("customers.noOwner")}</span>}
                  </td>
                  <td className="cell--secondary" data-label={t("customers.gradeShort")}>
                    {customer.creditGrade ?? <span className="muted">{t("ledger.none")}</span>}
                  </td>
                  <td className="num cell--secondary" data-label={t("customers.creditLimit")}>
                    {customer.creditLimit ? (
                      <Amount minor={customer.creditLimit} />
                    ) : (
                      <span className="muted">{t("customers.noLimit")}</span>
                    )}
                  </td>
                  <td className="num" data-label={t("customers.balance")}>
                    <Amount minor={customer.balance} />
                  </td>
                  <td className="num" data-label={t("customers.overdue")}>
                    <Amount minor={customer.overdue} alert={customer.overdue > 0} />
                  </td>
                  <td className="num cell--secondary" data-label={t("customers.unappliedCredit")}>
                    <Amount minor={customer.unappliedCredit} />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

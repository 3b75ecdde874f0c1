import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { Amount } from "~/ui/amount";
import { InvoiceStatusBadge } from "~/features/ledger/components/invoice-status-badge";
import { SortHeader } from "~/ui/sort-header";
import { StackToggle } from "~/ui/stack-toggle";
import { useFormatDate } from "~/ui/use-format-amount";
import type { InvoiceListRow } from "~/kernel/ledger/rows";
import type { SortDirection } from "~/kernel/paging";
import type { InvoiceSort } from "~/features/ledger/schema";

/** The invoice list: sortable date and amount headers, open amounts, status in words and colour. */
export function InvoiceListTable({
  invoices,
  asOf,
  sorting,
}: {
  invoices: InvoiceListRow[];
  /** the date open amounts and statuses are as of */
  asOf: string;
  /** the active sort, and the link that sorts by a column (reversing it when it is the active one) */
  sorting: { sort: InvoiceSort; dir: SortDirection; hrefFor: (column: InvoiceSort) => string };
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const sortHeader = (column: InvoiceSort, label: string, numeric = false, className?: string) => (
    <SortHeader
      label={label}
      numeric={numeric}
      className={className}
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
          <caption>{t("invoices.caption", { date: formatDate(asOf) })}</caption>
          <thead>
            <tr data-sort-label={t("ledger.sortBy")}>
              <th scope="col">{t("invoices.invoiceNo")}</th>
              <th scope="col">{t("invoices.customerColumn")}</th>
              <th scope="col" className="cell--secondary">{t("customers.owner")}</th>
              {sortHeader("issue", t("invoices.issueDate"), false, "cell--secondary")}
              {sortHeader("due", t("invoices.dueDate"))}
              {sortHeader("amount", t("invoices.amount"), true, "cell--secondary")}
              <th scope="col" className="num">
                {t("invoices.openAmount")}
              </th>
              <th scope="col">{t("invoices.status")}</th>
            </tr>
          </thead>
          <tbody>
            {invoices.length === 0 ? (
              <tr>
                <td colSpan={8} className="empty-row">
                  {t("invoices.empty")}
                </td>
              </tr>
            ) : (
              invoices.map((invoice) => (
                <tr key={invoice.invoiceNo}>
                  <td className="nowrap cell--title">{invoice.invoiceNo}</td>
                  <td className="name-cell cell--title">
                    <Link to={`/customers/${encodeURIComponent(invoice.customerCode)}`}>{invoice.customerCode}</Link>{" "}
                    <span className="secondary">{invoice.customerName}</span>
                  </td>
                  <td className="nowrap cell--secondary" data-label={t("customers.owner")}>
                    {invoice.ownerName ?? <span className="muted">{t("customers.noOwner")}</span>}
                  </td>
                  <td className="nowrap cell--secondary" data-label={t("invoices.issueDate")}>
                    {formatDate(invoice.issueDate)}
                  </td>
                  <td className={invoice.status === "overdue" ? "nowrap amount--alert" : "nowrap"} data-label={t("invoices.dueDate")}>
                    {formatDate(invoice.dueDate)}
                  </td>
                  <td className="num cell--secondary" data-label={t("invoices.amount")}>
                    <Amount minor={invoice.amount} />
                  </td>
                  <td className="num" data-label={t("invoices.openAmount")}>
                    <Amount minor={invoice.openAmount} alert={invoice.status === "overdue"} />
                  </td>
                  <td className="nowrap" data-label={t("invoices.status")}>
                    <InvoiceStatusBadge status={invoice.status} daysPastDue={invoice.daysPastDue} />
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

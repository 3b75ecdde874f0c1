import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { Amount } from "~/components/ledger/amount";
import { InvoiceStatusBadge } from "~/components/ledger/invoice-status-badge";
import { SortHeader } from "~/components/ui/sort-header";
import { useFormatDate } from "~/components/use-format-amount";
import type { InvoiceListRow } from "~/domain/ledger-rows";
import type { SortDirection } from "~/domain/paging";
import type { InvoiceSort } from "~/schemas/ledger-lists";

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
  const sortHeader = (column: InvoiceSort, label: string, numeric = false) => (
    <SortHeader
      label={label}
      numeric={numeric}
      active={sorting.sort === column}
      direction={sorting.dir}
      href={sorting.hrefFor(column)}
    />
  );
  return (
    <div className="table-wrap">
      <table className="ledger-table ledger-table--wide">
        <caption>{t("invoices.caption", { date: formatDate(asOf) })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("invoices.invoiceNo")}</th>
            <th scope="col">{t("invoices.customerColumn")}</th>
            <th scope="col">{t("customers.owner")}</th>
            {sortHeader("issue", t("invoices.issueDate"))}
            {sortHeader("due", t("invoices.dueDate"))}
            {sortHeader("amount", t("invoices.amount"), true)}
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
                <td className="nowrap">{invoice.invoiceNo}</td>
                <td className="name-cell">
                  <Link to={`/customers/${encodeURIComponent(invoice.customerCode)}`}>{invoice.customerCode}</Link>{" "}
                  <span className="secondary">{invoice.customerName}</span>
                </td>
                <td className="nowrap">
                  {invoice.ownerName ?? <span className="muted">{t("customers.noOwner")}</span>}
                </td>
                <td className="nowrap">{formatDate(invoice.issueDate)}</td>
                <td className={invoice.status === "overdue" ? "nowrap amount--alert" : "nowrap"}>
                  {formatDate(invoice.dueDate)}
                </td>
                <td className="num">
                  <Amount minor={invoice.amount} />
                </td>
                <td className="num">
                  <Amount minor={invoice.openAmount} alert={invoice.status === "overdue"} />
                </td>
                <td className="nowrap">
                  <InvoiceStatusBadge status={invoice.status} daysPastDue={invoice.daysPastDue} />
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

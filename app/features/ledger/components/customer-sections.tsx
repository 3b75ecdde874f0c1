import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { Amount } from "~/ui/amount";
import { Pagination } from "~/ui/pagination";
import { StackToggle } from "~/ui/stack-toggle";
import { useFormatAmount, useFormatDate, useLocale } from "~/ui/use-format-amount";
import type { CustomerPosition, OpenInvoiceLine, SettlementLine } from "~/kernel/ledger/customer-position";
import { AGING_BUCKETS } from "~/features/kpi";
import type { PageInfo } from "~/kernel/paging";
import { formatPercent } from "~/ui/format";

/** The four headline figures of a customer's position. */
export function PositionFigures({ position, creditLimit }: { position: CustomerPosition; creditLimit: number | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const formatAmount = useFormatAmount();
  const utilisation = position.creditUtilisation;
  return (
    <div className="stat-grid">
      <div className="stat">
        <p className="stat__label">{t("customers.balance")}</p>
        <p className="stat__value">
          <Amount minor={position.arTotal} />
        </p>
        <p className="stat__note">{t("customers.notYetDueAmount", { amount: formatAmount(position.current) })}</p>
      </div>
      <div className={position.overdueTotal > 0 ? "stat stat--alert" : "stat"}>
        <p className="stat__label">{t("customers.overdue")}</p>
        <p className="stat__value">
          <Amount minor={position.overdueTotal} alert={position.overdueTotal > 0} />
        </p>
        <p className="stat__note">
          {position.overdueRatio !== null && position.overdueTotal > 0
            ? t("customers.overdueShare", { percent: formatPercent(position.overdueRatio, locale) })
            : t("customers.nothingOverdue")}
        </p>
      </div>
      <div className="stat">
        <p className="stat__label">{t("customers.unappliedCredit")}</p>
        <p className="stat__value">
          <Amount minor={position.unappliedCredit} />
        </p>
        <p className="stat__note">{t("customers.unappliedHelp")}</p>
      </div>
      <div className={utilisation !== null && utilisation > 1 ? "stat stat--alert" : "stat"}>
        <p className="stat__label">{t("customers.creditUsed")}</p>
        {utilisation === null || creditLimit === null ? (
          <p className="stat__value stat__value--muted">{t("customers.noLimit")}</p>
        ) : (
          <>
            <p className="stat__value">
              <span className={utilisation > 1 ? "amount amount--alert" : undefined}>
                {formatPercent(utilisation, locale)}
              </span>
            </p>
            <div className="meter" aria-hidden="true">
              <div
                className={utilisation > 1 ? "meter__fill meter__fill--over" : "meter__fill"}
                style={{ width: `${Math.min(100, utilisation * 100)}%` }}
              />
            </div>
            <p className="stat__note">{t("customers.creditUsedOf", { limit: formatAmount(creditLimit) })}</p>
          </>
        )}
      </div>
    </div>
  );
}

/** Open amounts by the KPIS.md aging buckets, with each bucket's share of the balance. */
export function AgingTable({ position }: { position: CustomerPosition }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const formatDate = useFormatDate();
  const share = (minor: number) =>
    position.arTotal === 0 ? t("ledger.none") : formatPercent(minor / position.arTotal, locale);
  return (
    <div className="table-wrap">
      <table className="ledger-table aging-table stack-table">
        <caption>{t("customers.agingCaption", { date: formatDate(position.asOf) })}</caption>
        <thead>
          <tr>
            <td />
            {AGING_BUCKETS.map((bucket) => (
              <th key={bucket} scope="col" className="num">
                {t(`aging.${bucket}`)}
              </th>
            ))}
            <th scope="col" className="num">
              {t("aging.total")}
            </th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row" className="cell--title">
              {t("customers.agingAmount")}
            </th>
            {AGING_BUCKETS.map((bucket) => (
              <td key={bucket} className="num" data-label={t(`aging.${bucket}`)}>
                <Amount minor={position.aging[bucket]} alert={bucket !== "current" && position.aging[bucket] > 0} />
              </td>
            ))}
            <td className="num total" data-label={t("aging.total")}>
              <Amount minor={position.arTotal} />
            </td>
          </tr>
          <tr>
            <th scope="row" className="cell--title">
              {t("customers.agingShare")}
            </th>
            {AGING_BUCKETS.map((bucket) => (
              <td key={bucket} className="num muted" data-label={t(`aging.${bucket}`)}>
                {share(position.aging[bucket])}
              </td>
            ))}
            <td className="num muted total" data-label={t("aging.total")}>
              {share(position.arTotal)}
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function DaysPastDue({ invoice }: { invoice: OpenInvoiceLine }) {
  const { t } = useTranslation();
  if (invoice.daysPastDue > 0) {
    return <span className="amount amount--alert">{t("customers.overdueDays", { count: invoice.daysPastDue })}</span>;
  }
  if (invoice.daysPastDue === 0) return <span className="due-today">{t("customers.dueToday")}</span>;
  return <span className="muted">{t("customers.notYetDue")}</span>;
}

/** A customer's open invoices, oldest first; past-due rows in red. */
export function OpenInvoicesTable({
  invoices,
  total,
  asOf,
  moreHref,
}: {
  invoices: OpenInvoiceLine[];
  /** how many are open in all (the table may show fewer) */
  total: number;
  asOf: string;
  moreHref: string;
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  return (
    <>
      <StackToggle />
      <div className="table-wrap">
        <table className="ledger-table stack-table">
          <caption>{t("customers.openInvoicesCaption", { date: formatDate(asOf) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("customers.invoiceNo")}</th>
              <th scope="col" className="cell--secondary">{t("customers.issueDate")}</th>
              <th scope="col">{t("customers.dueDate")}</th>
              <th scope="col" className="num cell--secondary">
                {t("customers.amount")}
              </th>
              <th scope="col" className="num">
                {t("customers.openAmount")}
              </th>
              <th scope="col" className="num">
                {t("customers.daysPastDue")}
              </th>
            </tr>
          </thead>
          <tbody>
            {invoices.length === 0 ? (
              <tr>
                <td colSpan={6} className="empty-row">
                  {t("customers.noOpenInvoices")}
                </td>
              </tr>
            ) : (
              invoices.map((invoice) => {
                const overdue = invoice.daysPastDue > 0;
                return (
                  <tr key={invoice.invoiceNo} className={overdue ? "row--overdue" : undefined}>
                    <td className="nowrap cell--title">{invoice.invoiceNo}</td>
                    <td className="nowrap cell--secondary" data-label={t("customers.issueDate")}>
                      {formatDate(invoice.issueDate)}
                    </td>
                    <td className={overdue ? "nowrap amount--alert" : "nowrap"} data-label={t("customers.dueDate")}>
                      {formatDate(invoice.dueDate)}
                    </td>
                    <td className="num cell--secondary" data-label={t("customers.amount")}>
                      <Amount minor={invoice.amount} />
                    </td>
                    <td className="num" data-label={t("customers.openAmount")}>
                      <Amount minor={invoice.openAmount} alert={overdue} />
                    </td>
                    <td className="num nowrap" data-label={t("customers.daysPastDue")}>
                      <DaysPastDue invoice={invoice} />
                    </td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      {total > invoices.length ? (
        <p className="table-note">
          {t("customers.moreOpenInvoices", { shown: invoices.length, total })}{" "}
          <Link to={moreHref}>{t("customers.allInvoices")}</Link>
        </p>
      ) : null}
    </>
  );
}

/** Payments and adjustments, newest first, paged. */
export function HistoryTable({
  lines,
  page,
  hrefFor,
}: {
  lines: SettlementLine[];
  page: PageInfo;
  hrefFor: (page: number) => string;
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  return (
    <>
      <StackToggle />
      <div className="table-wrap">
        <table className="ledger-table stack-table">
          <caption>{t("customers.historyCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("customers.date")}</th>
              <th scope="col">{t("customers.type")}</th>
              <th scope="col" className="cell--secondary">{t("customers.documentNo")}</th>
              <th scope="col" className="cell--secondary">{t("customers.appliesTo")}</th>
              <th scope="col" className="num">
                {t("customers.historyAmount")}
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.length === 0 ? (
              <tr>
                <td colSpan={5} className="empty-row">
                  {t("customers.noHistory")}
                </td>
              </tr>
            ) : (
              lines.map((line) => (
                <tr key={`${line.kind}:${line.documentNo}`}>
                  <td className="nowrap cell--title">
                    {formatDate(line.date)}
                    {line.afterAsOf ? (
                      <span className="badge badge--warn badge--inline">{t("customers.afterToday")}</span>
                    ) : null}
                  </td>
                  <td data-label={t("customers.type")}>
                    <span className={line.kind === "payment" ? "doc-type" : "doc-type doc-type--adjustment"}>
                      {t(`settlement.${line.kind}`)}
                    </span>
                  </td>
                  <td className="nowrap cell--secondary" data-label={t("customers.documentNo")}>
                    {line.documentNo}
                  </td>
                  <td className="cell--secondary" data-label={t("customers.appliesTo")}>
                    {line.invoiceNo ?? <span className="muted">{t("customers.unreferenced")}</span>}
                  </td>
                  <td className="num" data-label={t("customers.historyAmount")}>
                    <Amount minor={line.amount} />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {page.total > 0 ? <Pagination info={page} label={t("customers.historyPages")} hrefFor={hrefFor} /> : null}
    </>
  );
}

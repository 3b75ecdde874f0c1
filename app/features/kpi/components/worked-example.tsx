import { useTranslation } from "react-i18next";

import { useFormatDate } from "~/ui/use-format-amount";
import { formatFixed, formatKpiNumber } from "~/features/kpi/format";
import type { WorkedExample as Example } from "~/features/kpi/example";
import { DSO_WINDOW_DAYS } from "~/features/kpi/kpis";

/** Minor units as a plain decimal ("13,300.00"): the example's sums read like a spreadsheet's. */
const money = (minor: number) => formatFixed(minor / 100, 2);
const plus = (amounts: number[]) => amounts.map(money).join(" + ");

/** The help page's worked example: documents, open items, and each KPI with its numbers filled in. */
export function WorkedExample({ example }: { example: Example }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const { values, inputs, period } = example;
  const open = example.openInvoices.filter((invoice) => invoice.openAmount > 0);
  const current = open.filter((invoice) => invoice.daysPastDue <= 0);
  const overdue = open.filter((invoice) => invoice.daysPastDue > 0);
  const dueToday = open.filter((invoice) => invoice.daysPastDue === 0).map((invoice) => invoice.invoiceNo);
  const inWindow = example.documents.filter(
    (d) => d.kind === "invoice" && d.date >= period.salesWindowStart && d.date <= example.asOf,
  );
  const inPeriod = example.documents.filter((d) => d.date >= period.periodStart && d.date <= example.asOf);
  const payments = inPeriod.filter((d) => d.kind === "payment").map((d) => d.amount);
  const offsets = inPeriod.filter((d) => d.kind === "offset").map((d) => d.amount);
  const notCollections = inPeriod.filter((d) => d.kind === "credit_note" || d.kind === "write_off").map((d) => d.number);
  const daysPastDue = (value: number) =>
    value > 0 ? String(value) : value === 0 ? t("customers.dueToday") : t("customers.notYetDue");
  const days = (value: number | null) => (value === null ? t("ledger.none") : formatFixed(value, 1));
  const percent = (value: number | null, unit: "ratio" | "percent") =>
    value === null ? t("ledger.none") : `${formatKpiNumber(value, unit)}%`;

  return (
    <>
      <p>{t("help.example.lead", { date: formatDate(example.asOf), start: formatDate(period.periodStart) })}</p>

      <div className="table-wrap">
        <table className="ledger-table">
          <caption>{t("help.example.documents")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("customers.date")}</th>
              <th scope="col">{t("customers.documentNo")}</th>
              <th scope="col">{t("customers.type")}</th>
              <th scope="col">{t("customers.dueDate")}</th>
              <th scope="col">{t("customers.appliesTo")}</th>
              <th scope="col" className="num">
                {t("help.example.amount")}
              </th>
            </tr>
          </thead>
          <tbody>
            {example.documents.map((document) => (
              <tr key={document.number}>
                <td className="nowrap">{formatDate(document.date)}</td>
                <th scope="row">{document.number}</th>
                <td>{document.kind === "invoice" ? t("help.example.invoice") : t(`settlement.${document.kind}`)}</td>
                <td className="nowrap">{document.dueDate ? formatDate(document.dueDate) : ""}</td>
                <td>{document.kind === "invoice" ? "" : (document.invoiceNo ?? t("customers.unreferenced"))}</td>
                <td className="num">{money(document.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="table-wrap">
        <table className="ledger-table">
          <caption>{t("help.example.openItems", { date: formatDate(example.asOf) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("customers.invoiceNo")}</th>
              <th scope="col">{t("customers.dueDate")}</th>
              <th scope="col" className="num">
                {t("customers.amount")}
              </th>
              <th scope="col" className="num">
                {t("customers.openAmount")}
              </th>
              <th scope="col" className="num">
                {t("customers.daysPastDue")}
              </th>
              <th scope="col">{t("customers.aging")}</th>
            </tr>
          </thead>
          <tbody>
            {example.openInvoices.map((invoice) => (
              <tr key={invoice.invoiceNo}>
                <th scope="row">{invoice.invoiceNo}</th>
                <td className="nowrap">{formatDate(invoice.dueDate)}</td>
                <td className="num">{money(invoice.amount)}</td>
                <td className="num">{money(invoice.openAmount)}</td>
                <td className="num">{invoice.openAmount > 0 ? daysPastDue(invoice.daysPastDue) : ""}</td>
                <td>{invoice.openAmount > 0 ? t(`aging.${invoice.bucket}`) : t("help.example.settled")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="table-note">{t("help.example.settlement")}</p>

      <ol className="worked-steps">
        <li>
          {t("help.example.arTotal", { parts: plus(open.map((i) => i.openAmount)), total: money(values.ar_total) })}
        </li>
        <li>
          {t("help.example.currentOverdue", {
            current: money(values.current),
            currentParts: plus(current.map((i) => i.openAmount)),
            overdue: money(values.overdue_total),
            overdueParts: plus(overdue.map((i) => i.openAmount)),
          })}{" "}
          {dueToday.length > 0 ? t("help.example.dueToday", { invoices: dueToday.join(t("help.example.listSeparator")) }) : null}
        </li>
        <li>
          {t("help.example.overdueRatio", {
            overdue: money(values.overdue_total),
            ar: money(values.ar_total),
            ratio: percent(values.overdue_ratio, "ratio"),
          })}
        </li>
        <li>
          {t("help.example.sales90", {
            start: formatDate(period.salesWindowStart),
            end: formatDate(example.asOf),
            parts: plus(inWindow.map((d) => d.amount)),
            sales: money(inputs.creditSales90d),
          })}
        </li>
        <li>
          {t("help.example.dso", {
            ar: money(values.ar_total),
            sales: money(inputs.creditSales90d),
            window: DSO_WINDOW_DAYS,
            dso: days(values.dso),
          })}
        </li>
        <li>
          {t("help.example.bpdso", {
            current: money(values.current),
            sales: money(inputs.creditSales90d),
            window: DSO_WINDOW_DAYS,
            bpdso: days(values.bpdso),
            dso: days(values.dso),
            add: days(values.add),
          })}
        </li>
        <li>
          {t("help.example.countback", { ar: money(values.ar_total), days: days(values.dso_countback) })}
          <div className="table-wrap">
            <table className="ledger-table">
              <caption className="visually-hidden">{t("help.example.countbackCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("help.example.month")}</th>
                  <th scope="col" className="num">
                    {t("help.example.left")}
                  </th>
                  <th scope="col" className="num">
                    {t("help.example.monthSales")}
                  </th>
                  <th scope="col" className="num">
                    {t("help.example.daysCounted")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {example.countback.map((step) => (
                  <tr key={step.start}>
                    <th scope="row" className="nowrap">
                      {t("dashboard.method.period", { start: formatDate(step.start), end: formatDate(step.end) })}
                    </th>
                    <td className="num">{money(step.remainingBefore)}</td>
                    <td className="num">{money(step.sales)}</td>
                    <td className="num">{formatFixed(step.daysCounted, 1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </li>
        <li>
          {t("help.example.billedCollected", {
            start: formatDate(period.periodStart),
            end: formatDate(example.asOf),
            billed: money(inputs.billed),
            payments: plus(payments),
            offsets: plus(offsets),
            collected: money(inputs.collected),
            excluded: notCollections.join(t("help.example.listSeparator")),
          })}
        </li>
        <li>
          {t("help.example.collectionRate", {
            collected: money(inputs.collected),
            opening: money(inputs.openingArTotal),
            openingDate: formatDate(period.openingDate),
            billed: money(inputs.billed),
            rate: percent(values.collection_rate, "ratio"),
          })}
        </li>
        <li>
          {t("help.example.cei", {
            opening: money(inputs.openingArTotal),
            billed: money(inputs.billed),
            ar: money(values.ar_total),
            current: money(values.current),
            cei: values.cei === null ? t("ledger.none") : formatKpiNumber(values.cei, "percent"),
          })}
        </li>
        <li>
          {t("help.example.badDebt", {
            writtenOff: money(values.written_off),
            billed: money(values.billed),
            ratio: percent(values.bad_debt_ratio, "ratio"),
          })}
        </li>
      </ol>
    </>
  );
}

import { Link } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "react-i18next";

import { BULK_FORM_ID } from "~/features/credit/confirmations/components/confirmation-bulk-send";
import { ConfirmationRowEditor, type EditorRow, type RecordAnswer, answerRow } from "~/features/credit/confirmations/components/confirmation-row-editor";
import { Amount } from "~/ui/amount";
import { StackToggle } from "~/ui/stack-toggle";
import { useFormatDate } from "~/ui/use-format-amount";

const STATE_BADGES: Record<string, string> = {
  not_sent: "badge badge--muted",
  awaiting: "badge badge--info",
  matched: "badge badge--ok",
  mismatch_open: "badge badge--bad",
  mismatch_resolved: "badge badge--warn",
  not_returned: "badge badge--warn",
};

interface RowsTableRow extends EditorRow {
  canRecord: boolean;
  customerCode: string;
  customerName: string;
  ownerName: string | null;
  region: string | null;
  ourBalance: number;
  sentOn: string | null;
  channel: string | null;
  returnedOn: string | null;
  state: string;
  result: string | null;
  difference: number;
  note: string;
  resolvedOn: string | null;
  resolutionNote: string | null;
}

/** A batch's rows, each with its record forms when opened (`openRow`). */
export function ConfirmationRowsTable({
  batchName,
  rows,
  openRow,
  canRecord,
  today,
  href,
  answer,
}: {
  batchName: string;
  rows: readonly RowsTableRow[];
  openRow: number | null;
  canRecord: boolean;
  today: string;
  href: (changes: Record<string, string | number | undefined>) => string;
  answer: RecordAnswer | null;
}) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  return (
    <>
  <StackToggle />
  <div className="table-wrap" tabIndex={0} role="region" aria-label={t("confirmations.table.caption", { name: batchName })}>
    <table className="ledger-table confirmation-table stack-table">
      <caption>{t("confirmations.table.caption", { name: batchName })}</caption>
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
          const open = openRow === row.id && row.canRecord;
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
                    <ConfirmationRowEditor row={row} today={today} fallback={answer && answerRow(answer) === row.id ? answer : null} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  </div>
    </>
  );
}

import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import type { Severity, WarningKind, WarningState } from "~/features/warnings/rules";
import { SeverityBadge, WarningReasons, WarningSubject } from "~/features/warnings/components/warning-parts";
import { useFormatDate } from "~/ui/use-format-amount";

export interface WarningListRow {
  id: number;
  kind: WarningKind;
  severity: Severity;
  state: WarningState;
  reasons: string;
  raisedOn: string;
  customerCode: string | null;
  customerName: string | null;
  ownerName: string | null;
}

/** Warnings as a table (cards on a phone); the rule's name opens the warning. */
export function WarningsTable({ rows, caption, showOwner = true }: { rows: readonly WarningListRow[]; caption: string; showOwner?: boolean }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  return (
    <div className="table-wrap">
      <table className="stack-table warnings-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("warnings.col.severity")}</th>
            <th scope="col">{t("warnings.col.rule")}</th>
            <th scope="col">{t("warnings.col.subject")}</th>
            <th scope="col">{t("warnings.col.reasons")}</th>
            {showOwner ? <th scope="col">{t("warnings.col.owner")}</th> : null}
            <th scope="col">{t("warnings.col.raised")}</th>
            <th scope="col">{t("warnings.col.state")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} id={`warning-${row.id}`}>
              <td data-label={t("warnings.col.severity")}>
                <SeverityBadge severity={row.severity} />
              </td>
              <th scope="row" className="cell--title" data-label={t("warnings.col.rule")}>
                <Link to={`/warnings/${row.id}`}>{t(`warnings.kind.${row.kind}`)}</Link>
              </th>
              <td data-label={t("warnings.col.subject")}>
                <WarningSubject row={row} />
              </td>
              <td className="cell--block" data-label={t("warnings.col.reasons")}>
                <WarningReasons reasons={row.reasons} />
              </td>
              {showOwner ? <td data-label={t("warnings.col.owner")}>{row.ownerName ?? t("warnings.noOwner")}</td> : null}
              <td data-label={t("warnings.col.raised")}>{formatDate(row.raisedOn)}</td>
              <td data-label={t("warnings.col.state")}>{t(`warnings.state.${row.state}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface WarningsSummaryData {
  counts: Record<Severity, number>;
  total: number;
  top: WarningListRow[];
}

/** The head's dashboard panel and the owner's My tasks section: counts by severity and the most severe few. */
export function WarningsPanel({ summary, title, intro, none, showOwner }: { summary: WarningsSummaryData; title: string; intro?: string; none: string; showOwner: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="card section warnings-panel" aria-labelledby="warnings-panel-title">
      <h2 id="warnings-panel-title">{title}</h2>
      {intro ? <p className="muted">{intro}</p> : null}
      {summary.total === 0 ? (
        <p>{none}</p>
      ) : (
        <>
          <p>{t("warnings.panel.summary", { total: summary.total, ...summary.counts })}</p>
          <WarningsTable rows={summary.top} caption={title} showOwner={showOwner} />
        </>
      )}
      <p>
        <Link to="/warnings">{t("warnings.panel.all")}</Link>
      </p>
    </section>
  );
}

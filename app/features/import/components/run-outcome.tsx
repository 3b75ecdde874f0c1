import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { renderMessage } from "~/features/import/issue-text";
import { formatIssue, formatReport } from "~/features/import/report";
import type { FileSummary } from "~/features/import/import-ledger.server";
import type { StoredIssues } from "~/features/import/queries/runs.server";

/** The row report of a failed import, `FILE:LINE: column: message`, in the reader's language. */
export function FailedRun({ issues, report, summary }: { issues: StoredIssues | null; report: string | null; summary: FileSummary[] | null }) {
  const { t } = useTranslation();
  const lines = issues
    ? [
        ...(issues.failure ? [renderMessage(issues.failure, t)] : []),
        ...(issues.errors.length > 0 ? [formatReport(issues.errors, issues.errorCount, undefined, t)] : []),
      ].join("\n")
    : // recorded before reports were data: English as it was written
      report;
  return (
    <section className="card" aria-labelledby="report-title">
      <p className="alert alert--error" role="alert">
        {t("importing.failed")}
      </p>
      {summary && summary.length > 0 ? <FilesRead summary={summary} /> : null}
      <h2 id="report-title">{t("importing.report")}</h2>
      <pre className="report">{lines}</pre>
      <Link to="/import" className="button">
        {t("importing.again")}
      </Link>
    </section>
  );
}

/** Which file was read as what (and from which sheet of a workbook). */
function FilesRead({ summary }: { summary: FileSummary[] }) {
  const { t } = useTranslation();
  return (
    <>
      <h2>{t("importing.filesRead")}</h2>
      <ul>
        {summary.map((file) => (
          <li key={file.file}>
            {file.sheet
              ? t("importing.fileReadSheet", { file: file.file, sheet: file.sheet, kind: t(`importing.kinds.${file.kind}`), rows: file.rows })
              : t("importing.fileRead", { file: file.file, kind: t(`importing.kinds.${file.kind}`), rows: file.rows })}
          </li>
        ))}
      </ul>
    </>
  );
}

export function SucceededRun({ summary }: { summary: FileSummary[] }) {
  const { t } = useTranslation();
  const warnings = summary.flatMap((file) => file.warnings);
  return (
    <section aria-labelledby="summary-title">
      <p className="alert alert--success" role="status">
        {t("importing.succeeded")}
      </p>
      <div className="table-wrap">
        <table>
          <caption id="summary-title">{t("importing.summaryTitle")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("importing.file")}</th>
              <th scope="col">{t("importing.records")}</th>
              <th scope="col" className="num">
                {t("importing.rows")}
              </th>
              <th scope="col" className="num">
                {t("importing.added")}
              </th>
              <th scope="col" className="num">
                {t("importing.updated")}
              </th>
              <th scope="col" className="num">
                {t("importing.unchanged")}
              </th>
            </tr>
          </thead>
          <tbody>
            {summary.flatMap((file) =>
              Object.entries(file.counts).map(([kind, counts], i) => (
                <tr key={`${file.file}-${kind}`}>
                  <td>
                    {i === 0 ? file.file : ""}
                    {i === 0 && file.sheet ? <span className="field__help"> ({t("importing.sheetRead", { sheet: file.sheet })})</span> : null}
                  </td>
                  <td>{t(`importing.kinds.${kind}`)}</td>
                  <td className="num">{i === 0 ? file.rows : ""}</td>
                  <td className="num">{counts?.added}</td>
                  <td className="num">{counts?.updated}</td>
                  <td className="num">{counts?.unchanged}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
      {warnings.length > 0 ? (
        <section className="card" aria-labelledby="warnings-title">
          <h2 id="warnings-title">{t("importing.warnings")}</h2>
          <ul>
            {warnings.map((warning, i) => (
              <li key={i}>{formatIssue(warning, t)}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}

/** A preview that ended without an import: expired after a day, or cancelled by the user. */
export function EndedRun({ status }: { status: "expired" | "cancelled" }) {
  const { t } = useTranslation();
  return (
    <section className="card">
      <p className="alert alert--warn" role="status">
        {t(status === "expired" ? "importing.expiredNotice" : "importing.cancelledNotice")}
      </p>
      <Link to="/import" className="button">
        {t("importing.again")}
      </Link>
    </section>
  );
}

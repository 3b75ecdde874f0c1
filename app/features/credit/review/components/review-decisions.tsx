import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { GradeChange, LimitChange } from "~/features/credit/review/components/review-worklist";
import { useLocale } from "~/ui/use-format-amount";
import type { CustomerReviewDecision } from "~/features/credit/review/review";
import { quarterLabel } from "~/features/kpi";
import { formatDateTime, useTimeZone } from "~/ui/format";

/** The customer page's section: every credit review decision on this customer, newest first. */
export function ReviewDecisions({ decisions, fiscalStartMonth = 1 }: { decisions: CustomerReviewDecision[]; fiscalStartMonth?: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  return (
    <section aria-labelledby="credit-review-decisions" className="section">
      <h2 id="credit-review-decisions">{t("creditReview.customerSection.heading")}</h2>
      {decisions.length === 0 ? (
        <p className="muted">{t("creditReview.customerSection.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="stack-table">
            <caption className="visually-hidden">{t("creditReview.customerSection.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("creditReview.quarter")}</th>
                <th scope="col">{t("creditReview.decision")}</th>
                <th scope="col">{t("creditReview.grade")}</th>
                <th scope="col">{t("creditReview.limit")}</th>
                <th scope="col">{t("creditReview.customerSection.by")}</th>
                <th scope="col">{t("creditReview.customerSection.comment")}</th>
                <th scope="col">{t("creditReview.customerSection.approval")}</th>
              </tr>
            </thead>
            <tbody>
              {decisions.map((row) => (
                <tr key={row.itemId}>
                  <th scope="row" className="cell--title">
                    <Link to={`/credit/review/${row.reviewId}`}>{quarterLabel(row.fiscalYear, row.quarter, locale, fiscalStartMonth)}</Link>
                  </th>
                  <td data-label={t("creditReview.decision")}>{t(`creditReview.decided.${row.decision}`)}</td>
                  <td data-label={t("creditReview.grade")}>
                    <GradeChange from={row.gradeBefore} to={row.gradeAfter} />
                  </td>
                  <td data-label={t("creditReview.limit")}>
                    <LimitChange from={row.limitBefore} to={row.limitAfter} />
                  </td>
                  <td className="cell--block" data-label={t("creditReview.customerSection.by")}>
                    {row.decidedByName ?? "—"}
                    {row.decidedAt ? <span className="muted"> · {formatDateTime(row.decidedAt, locale, timeZone)}</span> : null}
                  </td>
                  <td className="cell--block user-text" data-label={t("creditReview.customerSection.comment")}>
                    {row.comment}
                  </td>
                  <td className="cell--block" data-label={t("creditReview.customerSection.approval")}>
                    {!row.needsApproval
                      ? t("creditReview.customerSection.notNeeded")
                      : row.approvalDecision === "approved"
                        ? t("creditReview.customerSection.approvedBy", { name: row.approvedByName ?? "—" })
                        : row.approvalDecision === "declined"
                          ? `${t("creditReview.customerSection.declinedBy", { name: row.approvedByName ?? "—" })}: ${row.approvalComment}`
                          : t("creditReview.customerSection.awaiting")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

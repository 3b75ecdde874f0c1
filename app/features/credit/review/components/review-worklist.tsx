import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { reasonText } from "~/features/credit/components/reason-text";
import { ApprovalForm, DecisionForm } from "~/features/credit/review/components/review-forms";
import { Amount } from "~/ui/amount";
import { useFormatAmount, useFormatDate, useLocale } from "~/ui/use-format-amount";
import type { WorklistItemView } from "~/features/credit/review/review";
import type { ReviewRefusal } from "~/features/credit/review/components/review-forms";
import { formatDateTime, formatNumber, useTimeZone } from "~/ui/format";

/** The worklist table: who, why, the figures, current → suggested, and the decision (form or outcome). */

export function GradeChange({ from, to }: { from: string | null; to: string | null }) {
  const { t } = useTranslation();
  const name = (grade: string | null) => grade ?? t("creditReview.noGrade");
  if (to === null || to === from) return <span className="review-change">{name(from)}</span>;
  // Grades are letters, best first: a later letter is a downgrade.
  const down = from !== null && to > from;
  return <span className={`review-change ${down ? "review-change--down" : "review-change--up"}`}>{t("creditReview.gradeChange", { from: name(from), to: name(to) })}</span>;
}

export function LimitChange({ from, to }: { from: number | null; to: number | null }) {
  const { t } = useTranslation();
  const shown = (limit: number | null) => (limit === null ? <span className="muted">{t("creditReview.noLimit")}</span> : <Amount minor={limit} />);
  if (to === null || to === from) return <span className="review-change">{shown(from)}</span>;
  return (
    <span className="review-change">
      {shown(from)} → {shown(to)}
    </span>
  );
}

function Figure({ hundredths, unit }: { hundredths: number | null; unit: "days" | "percent" }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (hundredths === null) return <span className="muted">{t("creditReview.notMeasured")}</span>;
  return <>{t(`creditReview.${unit}`, { value: formatNumber(hundredths / 100, locale, unit === "days" ? 1 : 1) })}</>;
}

function Outcome({ item }: { item: WorklistItemView }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const timeZone = useTimeZone();
  return (
    <div className="review-done">
      <p>
        <strong>{t(`creditReview.decided.${item.decision}`)}</strong>: <GradeChange from={item.currentGrade} to={item.decidedGrade} /> ·{" "}
        <LimitChange from={item.currentLimit} to={item.decidedLimit} />
      </p>
      {item.comment ? <p>“{item.comment}”</p> : null}
      <p className="muted">{t("creditReview.decided.by", { name: item.decidedByName ?? "—", when: item.decidedAt ? formatDateTime(item.decidedAt, locale, timeZone) : "" })}</p>
      {item.needsApproval ? (
        <p>
          {item.approvalDecision === null ? (
            <span className="badge badge--warn">{t("creditReview.decided.awaiting")}</span>
          ) : (
            <span className={item.approvalDecision === "approved" ? "badge badge--ok" : "badge badge--bad"}>
              {t(`creditReview.decided.${item.approvalDecision}`, { name: item.approvedByName ?? "—" })}
            </span>
          )}
          {item.approvalComment ? ` “${item.approvalComment}”` : null}
        </p>
      ) : null}
    </div>
  );
}

export function WorklistTable({
  items,
  caption,
  grades,
  canDecide,
  refusal,
}: {
  items: WorklistItemView[];
  caption: string;
  grades: string[];
  canDecide: boolean;
  refusal: ReviewRefusal | null;
}) {
  const { t } = useTranslation();
  const formatAmount = useFormatAmount();
  const formatDate = useFormatDate();
  return (
    <div className="table-wrap">
      <table className="review-table stack-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("creditReview.customer")}</th>
            <th scope="col" className="cell--secondary">{t("creditReview.owner")}</th>
            <th scope="col">{t("creditReview.grade")}</th>
            <th scope="col">{t("creditReview.limit")}</th>
            <th scope="col" className="num">
              {t("creditReview.utilisation")}
            </th>
            <th scope="col" className="num">
              {t("creditReview.avgDaysLate")}
            </th>
            <th scope="col" className="num">
              {t("creditReview.overdueRatio")}
            </th>
            <th scope="col">{t("creditReview.decision")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id} id={`row-${item.id}`} data-customer={item.customerCode}>
              <th scope="row" className="cell--title">
                <Link to={`/customers/${encodeURIComponent(item.customerCode)}`}>{item.customerCode}</Link> {item.customerName}
                <span className="review-selection">
                  {t(`creditReview.selection.${item.selection}`, { date: item.lastReviewedOn ? formatDate(item.lastReviewedOn) : "" })}
                  {item.brokenPromises > 0 ? ` · ${t("creditReview.brokenPromises", { count: item.brokenPromises })}` : null}
                </span>
              </th>
              <td className="cell--secondary" data-label={t("creditReview.owner")}>
                {item.ownerName ?? <span className="muted">—</span>}
              </td>
              <td className="cell--block" data-label={t("creditReview.grade")}>
                <GradeChange from={item.currentGrade} to={item.suggestedGrade} />
                {item.reasons.length > 0 ? (
                  <ul className="review-reasons">
                    {item.reasons.map((reason, index) => (
                      <li key={index}>{reasonText(t, formatAmount, reason)}</li>
                    ))}
                  </ul>
                ) : null}
              </td>
              <td data-label={t("creditReview.limit")}>
                <LimitChange from={item.currentLimit} to={item.suggestedLimit} />
              </td>
              <td className="num" data-label={t("creditReview.utilisation")}>
                <Figure hundredths={item.utilisationHundredths} unit="percent" />
              </td>
              <td className="num" data-label={t("creditReview.avgDaysLate")}>
                <Figure hundredths={item.avgDaysLateHundredths} unit="days" />
              </td>
              <td className="num" data-label={t("creditReview.overdueRatio")}>
                <Figure hundredths={item.overdueRatioHundredths} unit="percent" />
              </td>
              <td className="cell--block" data-label={t("creditReview.decision")}>
                {item.decision !== null ? (
                  <Outcome item={item} />
                ) : canDecide ? (
                  <DecisionForm
                    item={item}
                    grades={grades}
                    refusal={refusal && refusal.subjectId === item.id && refusal.intent === "decide" ? refusal : null}
                    suggestionText={
                      <>
                        <GradeChange from={item.currentGrade} to={item.suggestedGrade} /> · <LimitChange from={item.currentLimit} to={item.suggestedLimit} />
                      </>
                    }
                  />
                ) : (
                  <span className="badge badge--muted">{t("creditReview.showPending")}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A leader's list of decisions waiting for them, each with approve / decline. */
export function ApprovalList({ items, refusal }: { items: WorklistItemView[]; refusal: ReviewRefusal | null }) {
  const { t } = useTranslation();
  if (items.length === 0) return <p className="muted">{t("creditReview.approval.none")}</p>;
  return (
    <div className="table-wrap review-approvals">
      <table className="review-table stack-table">
        <caption>{t("creditReview.approval.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("creditReview.customer")}</th>
            <th scope="col">{t("creditReview.approval.requested")}</th>
            <th scope="col">{t("creditReview.approval.comment")}</th>
            <th scope="col">{t("creditReview.decision")}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id} data-customer={item.customerCode}>
              <th scope="row" className="cell--title">
                <Link to={`/customers/${encodeURIComponent(item.customerCode)}`}>{item.customerCode}</Link> {item.customerName}
              </th>
              <td className="cell--block" data-label={t("creditReview.approval.requested")}>
                <GradeChange from={item.currentGrade} to={item.decidedGrade} /> · <LimitChange from={item.currentLimit} to={item.decidedLimit} />
                <p className="muted">{item.decidedByName}</p>
              </td>
              <td className="cell--block user-text" data-label={t("creditReview.approval.comment")}>
                {item.comment}
              </td>
              <td className="cell--block" data-label={t("creditReview.decision")}>
                <ApprovalForm item={item} refusal={refusal && refusal.subjectId === item.id && (refusal.intent === "approve" || refusal.intent === "decline") ? refusal : null} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

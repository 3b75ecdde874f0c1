import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { ReviewProgress } from "~/features/credit/review/components/review-progress";
import { useLocale } from "~/ui/use-format-amount";
import { quarterLabel } from "~/features/kpi";

export interface LinkedReview {
  id: number;
  fiscalYear: number;
  quarter: number;
  decided: number;
  total: number;
  awaiting: number;
}

/** The plan item page's section for a credit_review item: the linked review and its progress. */
export function ReviewPlanLink({ review, fiscalStartMonth }: { review: LinkedReview | null; fiscalStartMonth: number }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <section className="card" aria-labelledby="item-credit-review">
      <h2 id="item-credit-review">{t("creditReview.planSection.heading")}</h2>
      {review ? (
        <>
          <ReviewProgress decided={review.decided} total={review.total} awaiting={review.awaiting} />
          <p>
            <Link to={`/credit/review/${review.id}`}>
              {t("creditReview.planSection.link", { quarter: quarterLabel(review.fiscalYear, review.quarter, locale, fiscalStartMonth) })}
            </Link>
          </p>
        </>
      ) : (
        <p className="muted">
          {t("creditReview.planSection.none")} <Link to="/credit/review">{t("creditReview.planSection.openIt")}</Link>
        </p>
      )}
    </section>
  );
}

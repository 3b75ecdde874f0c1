import { useTranslation } from "react-i18next";

/** Decided of total as a bar and in words, with the decisions waiting for a leader. */
export function ReviewProgress({ decided, total, awaiting }: { decided: number; total: number; awaiting: number }) {
  const { t } = useTranslation();
  const text = t("creditReview.progress", { decided, total });
  return (
    <div className="review-progress">
      <progress max={Math.max(1, total)} value={decided} aria-label={text} />
      <span>{text}</span>
      {awaiting > 0 ? <span className="badge badge--warn">{t("creditReview.awaiting", { count: awaiting })}</span> : null}
    </div>
  );
}

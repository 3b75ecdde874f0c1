import { useTranslation } from "react-i18next";

import { useFormatDate } from "~/ui/use-format-amount";
import type { ListAsOf } from "~/kernel/ledger/list-as-of";

/** Says which date a list's figures are as of, and why when that is not today. */
export function AsOfNote({ asOf }: { asOf: ListAsOf }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  if (!asOf.laterThanToday) {
    return <p className="lead">{t("ledger.asOf", { date: formatDate(asOf.asOf) })}</p>;
  }
  return (
    <p className="alert alert--warn">
      {t("ledger.asOfLater", { date: formatDate(asOf.asOf), today: formatDate(asOf.today) })}
    </p>
  );
}

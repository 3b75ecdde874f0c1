import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

import { DATE_PARAMS, MONEY_PARAMS, type Severity, parseReasons } from "~/features/warnings/rules";
import { useFormatAmount, useFormatDate } from "~/ui/use-format-amount";

const BADGE: Record<Severity, string> = { critical: "badge badge--bad", warning: "badge badge--warn", info: "badge badge--info" };

export function SeverityBadge({ severity }: { severity: Severity }) {
  const { t } = useTranslation();
  return <span className={BADGE[severity]}>{t(`warnings.severity.${severity}`)}</span>;
}

/** The stored reasons in the reader's language, amounts in their unit and dates in their format. */
export function WarningReasons({ reasons }: { reasons: string }) {
  const { t } = useTranslation();
  const formatAmount = useFormatAmount();
  const formatDate = useFormatDate();
  const money: readonly string[] = MONEY_PARAMS;
  const dates: readonly string[] = DATE_PARAMS;
  const lines = parseReasons(reasons).map((reason) => {
    const values: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(reason.params)) {
      if (money.includes(name) && typeof value === "number") values[name] = formatAmount(value);
      else if (dates.includes(name) && typeof value === "string") values[name] = formatDate(value);
      else values[name] = value;
    }
    return t(reason.key, values);
  });
  if (lines.length === 1) return <>{lines[0]}</>;
  return (
    <ul>
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  );
}

interface SubjectRow {
  kind: string;
  reasons: string;
  customerCode: string | null;
  customerName: string | null;
  ownerName: string | null;
}

/** The plan item a warning is about, as its reasons name it (a forecast that misses the item's target). */
function planItemOf(row: SubjectRow): { planId: number; itemId: number; title: string } | null {
  if (row.kind !== "forecast_misses_target") return null;
  const params = parseReasons(row.reasons)[0]?.params;
  const { planId, itemId, item } = params ?? {};
  return typeof planId === "number" && typeof itemId === "number" && typeof item === "string" ? { planId, itemId, title: item } : null;
}

/** The customer or plan item a warning is about (a link), or the owner whose book it is. */
export function WarningSubject({ row }: { row: SubjectRow }) {
  const { t } = useTranslation();
  const item = planItemOf(row);
  if (item) return <Link to={`/plans/${item.planId}/items/${item.itemId}`}>{item.title}</Link>;
  if (row.customerCode) return <Link to={`/customers/${encodeURIComponent(row.customerCode)}`}>{row.customerName ?? row.customerCode}</Link>;
  return <>{t("warnings.ownBook", { owner: row.ownerName ?? t("warnings.noOwner") })}</>;
}

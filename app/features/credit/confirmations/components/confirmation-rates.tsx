import { useTranslation } from "react-i18next";

import { useLocale } from "~/ui/use-format-amount";
import type { RateRow } from "~/features/credit/confirmations/confirmations";
import { formatNumber, formatPercent } from "~/ui/format";

type Rates = Omit<RateRow, "key">;

/** A rate as a percentage, or a dash when there is nothing to divide by. */
export function RateText({ value }: { value: number | null }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return <>{value === null ? t("confirmations.none") : formatPercent(value, locale)}</>;
}

/** Return and mismatch rates by owner or region, ranked best first, with the batch's totals. */
export function ConfirmationRatesTable({ rows, total, by }: { rows: RateRow[]; total: Rates; by: "owner" | "region" }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const n = (value: number) => formatNumber(value, locale);
  const noKey = by === "owner" ? t("confirmations.rates.noOwner") : t("confirmations.rates.noRegion");
  const caption = by === "owner" ? t("confirmations.rates.ownerCaption") : t("confirmations.rates.regionCaption");
  const label = {
    sent: t("confirmations.columns.sent"),
    returned: t("confirmations.columns.returned"),
    returnRate: t("confirmations.columns.returnRate"),
    mismatched: t("confirmations.columns.mismatched"),
    mismatchRate: t("confirmations.columns.mismatchRate"),
  };
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="ledger-table confirmation-rates stack-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("confirmations.rates.rank")}</th>
            <th scope="col">{by === "owner" ? t("confirmations.rates.owner") : t("confirmations.rates.region")}</th>
            <th scope="col" className="num">{t("confirmations.columns.sent")}</th>
            <th scope="col" className="num">{t("confirmations.columns.returned")}</th>
            <th scope="col" className="num">{t("confirmations.columns.returnRate")}</th>
            <th scope="col" className="num">{t("confirmations.columns.mismatched")}</th>
            <th scope="col" className="num">{t("confirmations.columns.mismatchRate")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={row.key ?? "\u0000none"}>
              <td className="cell--title">{n(index + 1)}</td>
              <th scope="row" className="cell--title">{row.key ?? noKey}</th>
              <td className="num" data-label={label.sent}>{n(row.sent)}</td>
              <td className="num" data-label={label.returned}>{n(row.returned)}</td>
              <td className="num" data-label={label.returnRate}><RateText value={row.returnRate} /></td>
              <td className="num" data-label={label.mismatched}>{n(row.mismatched)}</td>
              <td className="num" data-label={label.mismatchRate}><RateText value={row.mismatchRate} /></td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td />
            <th scope="row" className="cell--title">{t("confirmations.rates.total")}</th>
            <td className="num" data-label={label.sent}>{n(total.sent)}</td>
            <td className="num" data-label={label.returned}>{n(total.returned)}</td>
            <td className="num" data-label={label.returnRate}><RateText value={total.returnRate} /></td>
            <td className="num" data-label={label.mismatched}>{n(total.mismatched)}</td>
            <td className="num" data-label={label.mismatchRate}><RateText value={total.mismatchRate} /></td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

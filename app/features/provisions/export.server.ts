import type { Db } from "~/server/db.server";
import { type SpreadsheetCell, type SpreadsheetFormat, spreadsheetBytes } from "~/server/spreadsheet.server";
import type { Locale } from "~/i18n";
import { createI18n } from "~/i18n";
import type { IsoDate } from "~/kernel/ledger/types";
import type { Role } from "~/kernel/permissions";
import { loadProvisionPage } from "~/features/provisions/page.server";

/**
 * The page's schedule as one sheet (CSV has one): each age band with the ladder and the matrix
 * side by side and their difference, then each named customer, then the totals (bold).
 */
export async function exportProvisions(db: Db, viewer: { id: number; role: Role; email: string; locale: Locale }, search: URLSearchParams, format: SpreadsheetFormat, today: IsoDate) {
  const page = await loadProvisionPage(db, viewer, search, today);
  const { t } = createI18n(viewer.locale);
  const text = (value: string | null): SpreadsheetCell => ({ kind: "text", value });
  const amount = (minor: number | null): SpreadsheetCell => ({ kind: "amount", minor });
  const rate = (value: number | null): SpreadsheetCell => ({ kind: "number", value, format: "0.00%" });
  const rows: SpreadsheetCell[][] = page.ladder.bands.map((band, i) => {
    const other = page.matrix.bands[i];
    const label =
      band.toDays === null ? t("provisions.page.over", { days: band.fromDays - 1 }) : t("provisions.page.range", { from: i === 0 && page.basis === "due" ? "≤ 0" : band.fromDays, to: band.toDays });
    return [
      text(label),
      amount(band.balance),
      rate(band.rate),
      amount(band.provision),
      rate(other?.rate ?? null),
      amount(other?.provision ?? null),
      amount(other ? other.provision - band.provision : null),
      text(null),
      text(null),
    ];
  });
  for (const entry of page.ladder.specific) {
    rows.push([
      text(`${entry.customerCode} ${entry.customerName}`),
      amount(entry.balance),
      text(null),
      amount(entry.provision),
      text(null),
      amount(entry.provision),
      amount(0),
      text(t(`provisions.reasons.${entry.reason}`)),
      text(entry.evidence),
    ]);
  }
  const totals: SpreadsheetCell[][] = [
    [
      text(t("provisions.page.total")),
      amount(page.ladder.grossReceivables),
      rate(page.ladder.ratio),
      amount(page.ladder.total),
      rate(page.matrix.ratio),
      amount(page.matrix.total),
      amount(page.matrix.total - page.ladder.total),
      text(null),
      text(null),
    ],
  ];
  const headers = ["band", "balance", "rate", "ladder", "lossRate", "matrix", "difference", "reason", "evidence"] as const;
  const bytes = await spreadsheetBytes(format, [
    {
      name: `${t("provisions.page.title")} ${page.asOf}`,
      columns: headers.map((key) => ({ header: t(`provisions.page.${key}`), width: key === "evidence" ? 40 : key === "band" ? 24 : 16 })),
      rows,
      totals: () => totals,
      freezeHeader: true,
    },
  ]);
  return { fileName: `provisions-${page.asOf}-${page.basis}.${format}`, bytes };
}

import type { Db } from "~/server/db.server";
import { type SpreadsheetCell, type SpreadsheetFormat, spreadsheetBytes } from "~/server/spreadsheet.server";
import type { Locale } from "~/i18n";
import { createI18n } from "~/i18n";
import type { IsoDate } from "~/kernel/ledger/types";
import type { ForecastReader } from "./forecast.server";
import { loadPushPlan } from "./push.server";

/** The push page's chase list as one sheet, in the page's order (staff: their own customers). */
export async function exportChaseList(db: Db, user: ForecastReader & { locale: Locale }, itemId: number, format: SpreadsheetFormat, today: IsoDate) {
  const plan = await loadPushPlan(db, user, itemId, today, user.locale);
  const { t } = createI18n(user.locale);
  const text = (value: string | null): SpreadsheetCell => ({ kind: "text", value });
  const amount = (minor: number): SpreadsheetCell => ({ kind: "amount", minor });
  const rows: SpreadsheetCell[][] = plan.rows.map((row, index) => [
    { kind: "number", value: index + 1 },
    text(row.code),
    text(row.name),
    text(row.ownerName),
    amount(row.amount),
    { kind: "number", value: row.probability, format: "0.0%", csv: row.probability.toFixed(4) },
    amount(row.expected),
    amount(row.cumulative),
    text(row.closesGap ? t("forecast.push.closesYes") : null),
  ]);
  const headers = ["rank", "code", "customer", "owner", "amount", "probability", "expected", "cumulative", "closes"] as const;
  const bytes = await spreadsheetBytes(format, [
    {
      name: `${t("forecast.push.listTitle")} ${plan.item.dueDate}`,
      columns: headers.map((key) => ({ header: t(`forecast.push.${key}`), width: key === "customer" ? 32 : key === "rank" ? 6 : 16 })),
      rows,
      freezeHeader: true,
    },
  ]);
  return { fileName: `chase-list-item-${plan.item.id}-${plan.asOf}.${format}`, bytes };
}

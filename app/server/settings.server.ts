import type { Db } from "~/server/db.server";

export interface InstallationSettings {
  /** KPIS.md section 1: one base currency per installation */
  baseCurrency: string;
  /** 1 = January; Q1 starts in this month */
  fiscalStartMonth: number;
}

export const DEFAULT_SETTINGS: InstallationSettings = { baseCurrency: "CNY", fiscalStartMonth: 1 };

export async function getSettings(db: Db): Promise<InstallationSettings> {
  const rows = await db.selectFrom("settings").select(["key", "value"]).execute();
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const month = Number(value("fiscal_start_month"));
  return {
    baseCurrency: value("base_currency") ?? DEFAULT_SETTINGS.baseCurrency,
    fiscalStartMonth: Number.isInteger(month) && month >= 1 && month <= 12 ? month : DEFAULT_SETTINGS.fiscalStartMonth,
  };
}

export async function setSetting(db: Db, key: "base_currency" | "fiscal_start_month", value: string): Promise<void> {
  await db
    .insertInto("settings")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

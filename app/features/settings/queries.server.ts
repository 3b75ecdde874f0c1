import type { Db } from "~/server/db.server";
import { ROLES, type Role } from "~/kernel/permissions";

export interface InstallationSettings {
  /** KPIS.md section 1: one base currency per installation */
  baseCurrency: string;
  /** 1 = January; Q1 starts in this month */
  fiscalStartMonth: number;
  /** roles whose users must sign in with a second factor (none: the demo's installation) */
  twoFactorRoles: Role[];
  /** the company as its letters name it: printed on statements, confirmation and dunning letters ("" = not set) */
  company: CompanyLetterhead;
}

export interface CompanyLetterhead {
  name: string;
  address: string;
  /** one line: telephone, e-mail, contact person */
  contact: string;
}

export const DEFAULT_SETTINGS: InstallationSettings = {
  baseCurrency: "CNY",
  fiscalStartMonth: 1,
  twoFactorRoles: ["admin", "leader"],
  company: { name: "", address: "", contact: "" },
};

/** Stored as comma-separated roles; never set = the default, an empty text = no role. */
function parseRoles(value: string | undefined): Role[] {
  if (value === undefined) return ROLES.filter((role) => DEFAULT_SETTINGS.twoFactorRoles.includes(role));
  return ROLES.filter((role) => value.split(",").includes(role));
}

export async function getSettings(db: Db): Promise<InstallationSettings> {
  const rows = await db.selectFrom("settings").select(["key", "value"]).execute();
  const value = (key: string) => rows.find((r) => r.key === key)?.value;
  const month = Number(value("fiscal_start_month"));
  return {
    baseCurrency: value("base_currency") ?? DEFAULT_SETTINGS.baseCurrency,
    fiscalStartMonth: Number.isInteger(month) && month >= 1 && month <= 12 ? month : DEFAULT_SETTINGS.fiscalStartMonth,
    twoFactorRoles: parseRoles(value("two_factor_roles")),
    company: { name: value("company_name") ?? "", address: value("company_address") ?? "", contact: value("company_contact") ?? "" },
  };
}

export type SettingKey = "base_currency" | "fiscal_start_month" | "two_factor_roles" | "company_name" | "company_address" | "company_contact";

export async function setSetting(db: Db, key: SettingKey, value: string): Promise<void> {
  await db
    .insertInto("settings")
    .values({ key, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

/** How many plans exist: the fiscal year's first month should not move under existing plans. */
export async function countPlans(db: Db): Promise<number> {
  const row = await db.selectFrom("plans").select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Keeps (or replaces) the two wordings of each built-in text. */
export async function upsertBuiltInTexts(
  db: Db,
  entries: readonly { entity: string; entityId: number; field: string; wordings: { en: string; zh: string } }[],
): Promise<void> {
  for (const entry of entries) {
    await db
      .insertInto("built_in_texts")
      .values({ entity: entry.entity, entity_id: entry.entityId, field: entry.field, en: entry.wordings.en, zh: entry.wordings.zh })
      .onConflict((oc) => oc.columns(["entity", "entity_id", "field"]).doUpdateSet({ en: entry.wordings.en, zh: entry.wordings.zh }))
      .execute();
  }
}

/** The kept wordings of `entity`'s records `ids` (callers keep `ids` within the parameter limit). */
export function listBuiltInTexts(db: Db, entity: string, ids: readonly number[]) {
  return db.selectFrom("built_in_texts").select(["entity_id", "field", "en", "zh"]).where("entity", "=", entity).where("entity_id", "in", ids).execute();
}

import type { DunningLevel, TemplateLocale } from "~/features/dunning/dunning";
import type { Db } from "~/server/db.server";

export interface StoredTemplate {
  level: DunningLevel;
  locale: TemplateLocale;
  subject: string;
  body: string;
  updatedBy: string | null;
  updatedAt: string;
}

/** Every template the head has edited (a level and language without one uses the built-in wording). */
export function storedTemplates(db: Db): Promise<StoredTemplate[]> {
  return db
    .selectFrom("dunning_templates as d")
    .leftJoin("users as u", "u.id", "d.updated_by")
    .select(["d.level", "d.locale", "d.subject", "d.body", "u.name as updatedBy", "d.updated_at as updatedAt"])
    .execute();
}

export function storedTemplate(db: Db, level: DunningLevel, locale: TemplateLocale) {
  return db.selectFrom("dunning_templates").select(["subject", "body"]).where("level", "=", level).where("locale", "=", locale).executeTakeFirst();
}

/** Inserts or replaces one template; portable upsert (SQLite and PostgreSQL both know ON CONFLICT). */
export async function saveTemplateRow(db: Db, row: { level: DunningLevel; locale: TemplateLocale; subject: string; body: string; userId: number; at: string }): Promise<void> {
  await db
    .insertInto("dunning_templates")
    .values({ level: row.level, locale: row.locale, subject: row.subject, body: row.body, updated_by: row.userId, updated_at: row.at })
    .onConflict((oc) => oc.columns(["level", "locale"]).doUpdateSet({ subject: row.subject, body: row.body, updated_by: row.userId, updated_at: row.at }))
    .execute();
}

export async function userNames(db: Db, ids: readonly number[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom("users").select("name").where("id", "in", ids).execute();
  return rows.map((row) => row.name);
}

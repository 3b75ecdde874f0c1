import type { Db } from "~/server/db.server";
import { BUILT_IN_MAPPINGS, type ColumnMapping } from "~/features/import/mapping";
import { recordAudit } from "~/features/audit/index.server";

/** Saved mappings plus the built-in presets; a saved one with the same name wins. */
export async function listMappings(db: Db): Promise<ColumnMapping[]> {
  const rows = await db.selectFrom("column_mappings").select(["name", "definition"]).orderBy("name").execute();
  // definitions are written only by saveMapping, from a checked ColumnMapping
  const saved = rows.map((row) => JSON.parse(row.definition) as ColumnMapping);
  const builtIn = BUILT_IN_MAPPINGS.filter((m) => !saved.some((s) => s.name.toLowerCase() === m.name.toLowerCase()));
  return [...saved, ...builtIn];
}

export async function findMapping(db: Db, name: string): Promise<ColumnMapping | undefined> {
  const wanted = name.trim().toLowerCase();
  return (await listMappings(db)).find((m) => m.name.toLowerCase() === wanted);
}

export async function saveMapping(db: Db, mapping: ColumnMapping, userId: number | null): Promise<void> {
  const now = new Date().toISOString();
  const definition = JSON.stringify(mapping);
  const existing = await db
    .selectFrom("column_mappings")
    .select(["id", "definition"])
    .where("name", "=", mapping.name)
    .executeTakeFirst();
  if (existing) {
    if (existing.definition === definition) return;
    await db.updateTable("column_mappings").set({ definition, updated_at: now }).where("id", "=", existing.id).execute();
    await recordAudit(db, {
      userId,
      entity: "column_mapping",
      entityId: existing.id,
      action: "update",
      before: JSON.parse(existing.definition),
      after: mapping,
    });
    return;
  }
  const row = await db
    .insertInto("column_mappings")
    .values({ name: mapping.name, definition, created_by: userId, created_at: now, updated_at: now })
    .returning("id")
    .executeTakeFirstOrThrow();
  await recordAudit(db, { userId, entity: "column_mapping", entityId: row.id, action: "create", after: mapping });
}

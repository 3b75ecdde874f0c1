import type { Kysely } from "kysely";

// Frozen in time: never import app code here.
// Template items and balance-confirmation rows are edited by more than one person; each save
// names the version its form showed and the update only applies while that is still the stored
// one, so a stale save is refused instead of silently replacing the other person's change.
// Existing rows start at version 1 (as do the built-in standard's items before they are stored).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("plan_template_items").addColumn("version", "integer", (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable("balance_confirmations").addColumn("version", "integer", (c) => c.notNull().defaultTo(1)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("balance_confirmations").dropColumn("version").execute();
  await db.schema.alterTable("plan_template_items").dropColumn("version").execute();
}

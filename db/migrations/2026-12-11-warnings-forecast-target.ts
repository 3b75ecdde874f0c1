import type { Kysely } from "kysely";

// Frozen in time: never import app code here.
// The early warning "a forecast that misses a plan target": a KPI-linked plan item whose KPI,
// projected by the collections forecast to the item's due date, misses its target by more than
// `tolerancePercent` % of it. One more row of `warning_rules`, after the five installed first.
export async function up(db: Kysely<any>): Promise<void> {
  const last = await db.selectFrom("warning_rules").select((eb) => eb.fn.max("position").as("position")).executeTakeFirst();
  await db
    .insertInto("warning_rules")
    .values({
      kind: "forecast_misses_target",
      position: Number(last?.position ?? -1) + 1,
      params: JSON.stringify({ tolerancePercent: 5 }),
      severity: "warning",
      enabled: 1,
      updated_by: null,
      updated_at: new Date().toISOString(),
    })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("warnings").where("rule_kind", "=", "forecast_misses_target").execute();
  await db.deleteFrom("warning_rules").where("kind", "=", "forecast_misses_target").execute();
}

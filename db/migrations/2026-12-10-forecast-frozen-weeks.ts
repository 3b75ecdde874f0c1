import type { Kysely } from "kysely";

// Frozen in time: never import app code here.
// The forecast of each week as it stood when the week started: on each Monday the background job
// keeps the 13 weekly forecasts made as of the Sunday before, for the company and every owner,
// region and grade (the KPI summary scopes), so the forecast page can put past forecasts beside
// what came in. Rows are only ever added; `reconstructed` marks a week frozen after it had started
// (the server was not running then; worked out from the ledger as of the Sunday).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("forecast_frozen_weeks")
    .addColumn("scope_kind", "text", (c) => c.notNull())
    .addColumn("scope_key", "text", (c) => c.notNull())
    .addColumn("frozen_on", "text", (c) => c.notNull())
    .addColumn("week", "integer", (c) => c.notNull())
    .addColumn("week_start", "text", (c) => c.notNull())
    .addColumn("week_end", "text", (c) => c.notNull())
    .addColumn("expected", "integer", (c) => c.notNull())
    .addColumn("low", "integer", (c) => c.notNull())
    .addColumn("high", "integer", (c) => c.notNull())
    .addColumn("reconstructed", "integer", (c) => c.notNull())
    .addColumn("frozen_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("forecast_frozen_weeks_pk", ["scope_kind", "scope_key", "frozen_on", "week"])
    .execute();
  await db.schema.createIndex("forecast_frozen_weeks_start").on("forecast_frozen_weeks").columns(["scope_kind", "scope_key", "week_start"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("forecast_frozen_weeks").execute();
}

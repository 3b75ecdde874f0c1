import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
// The planned path of a KPI-linked plan item through its quarter: null or 'straight' moves evenly
// from the baseline to the target; 'last_year' moves as the KPI did over the same days last year.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("plan_items")
    .addColumn("kpi_path", "text", (c) => c.check(sql`kpi_path in ('straight', 'last_year')`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("plan_items").dropColumn("kpi_path").execute();
}

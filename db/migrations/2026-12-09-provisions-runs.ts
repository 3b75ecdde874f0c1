import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
// Provision runs, one per period end (a month, quarter or year end): the head drafts it (drafting
// again recomputes the draft), a leader approves it, and from then on its figures are frozen: the
// computed result is stored in `figures` (JSON: the ladder by band and by customer, the named
// customers, the matrix by band, each customer's balances in yearly bands for the aging check)
// and never recomputed. `previous_run_id`, `opening` and `written_off` are the movement's inputs
// fixed at the draft (the previous approved run and the ledger's write-offs dated after it);
// `flags` the impossible-aging check, `flags_seen` the leader's acknowledgement. Amounts in minor
// units; `version` guards concurrent drafts and approvals (409).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("provision_runs")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("period_end", "text", (c) => c.notNull().unique())
    .addColumn("period_kind", "text", (c) => c.notNull().check(sql`period_kind in ('month', 'quarter', 'year')`))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("draft").check(sql`status in ('draft', 'approved')`))
    .addColumn("basis", "text", (c) => c.notNull().check(sql`basis in ('issue', 'due')`))
    .addColumn("figures", "text", (c) => c.notNull())
    .addColumn("ladder_total", "bigint", (c) => c.notNull())
    .addColumn("matrix_total", "bigint", (c) => c.notNull())
    .addColumn("gross", "bigint", (c) => c.notNull())
    .addColumn("previous_run_id", "integer", (c) => c.references("provision_runs.id"))
    .addColumn("opening", "bigint", (c) => c.notNull())
    .addColumn("written_off", "bigint", (c) => c.notNull())
    .addColumn("flags", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("flags_seen", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("drafted_by", "integer", (c) => c.references("users.id"))
    .addColumn("drafted_at", "text", (c) => c.notNull())
    .addColumn("approved_by", "integer", (c) => c.references("users.id"))
    .addColumn("approved_at", "text")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("provision_runs").execute();
}

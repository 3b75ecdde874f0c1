import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
// Early warnings: `warning_rules` holds one rule per kind (what is watched), its parameters as a
// small JSON object, its severity and whether it is on; the head edits them. `warnings` holds what
// the rules raised: one row per rule and subject (a customer, an invoice or an owner) while it is
// true, acknowledged or resolved by a person with a note, or closed by the sweep once no longer
// true. `subject_key` names the subject ("customer:12", "invoice:345", "owner:3") so the sweep
// finds the warning it raised before; `cleared_on` notes the day a person's resolution was seen
// no longer true, after which the rule may raise that subject again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("warning_rules")
    .addColumn("kind", "text", (c) => c.primaryKey())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("params", "text", (c) => c.notNull())
    .addColumn("severity", "text", (c) => c.notNull().check(sql`severity in ('info', 'warning', 'critical')`))
    .addColumn("enabled", "integer", (c) => c.notNull().check(sql`enabled in (0, 1)`))
    .addColumn("updated_by", "integer", (c) => c.references("users.id"))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("warnings")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("rule_kind", "text", (c) => c.notNull())
    .addColumn("subject_key", "text", (c) => c.notNull())
    .addColumn("customer_id", "integer", (c) => c.references("customers.id"))
    .addColumn("invoice_id", "integer")
    // the owner to act: the customer's owner, or the owner whose book it is
    .addColumn("owner_id", "integer", (c) => c.references("users.id"))
    .addColumn("severity", "text", (c) => c.notNull().check(sql`severity in ('info', 'warning', 'critical')`))
    // JSON [{ key, params }]: read in the reader's language
    .addColumn("reasons", "text", (c) => c.notNull())
    .addColumn("raised_on", "text", (c) => c.notNull())
    .addColumn("last_seen_on", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull().defaultTo("open").check(sql`state in ('open', 'acknowledged', 'resolved')`))
    .addColumn("resolved_on", "text")
    .addColumn("resolution", "text", (c) => c.check(sql`resolution is null or resolution in ('person', 'cleared', 'rule_off')`))
    .addColumn("cleared_on", "text")
    .addColumn("note", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("acted_by", "integer", (c) => c.references("users.id"))
    .addColumn("acted_at", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("warnings_subject").on("warnings").columns(["rule_kind", "subject_key", "id"]).execute();
  await db.schema.createIndex("warnings_state_owner").on("warnings").columns(["state", "owner_id"]).execute();

  // The defaults: sensible for a department of a few owners and a few hundred customers.
  const now = new Date().toISOString();
  await db
    .insertInto("warning_rules")
    .values(
      [
        ["days_late_rising", { months: 3, minDays: 5 }, "warning"],
        ["broken_promise", { withinDays: 60 }, "warning"],
        ["over_limit", { percent: 20 }, "critical"],
        ["invoice_61_90", { amount: 5_000_000 }, "warning"],
        ["owner_overdue_growing", { months: 2, minGrowthPercent: 5 }, "info"],
      ].map(([kind, params, severity], position) => ({
        kind,
        position,
        params: JSON.stringify(params),
        severity,
        enabled: 1,
        updated_by: null,
        updated_at: now,
      })),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("warnings").execute();
  await db.schema.dropTable("warning_rules").execute();
}

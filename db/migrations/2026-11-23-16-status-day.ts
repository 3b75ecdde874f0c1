import { type Kysely, SqliteAdapter, sql } from "kysely";

// Frozen in time: never import app code here.
// The month in progress of the status table, worked out once per day instead of per
// page view: every customer's balance and aging at the end of `status_day_state.day` (today) and
// what was billed and collected from the 1st of that month. Built by the import that changed the
// ledger (for its today) or by the first status request of the day; emptied (the state row
// deleted) in the same transaction as any change to `open_items` or the status positions.
const AGING = ["current", "1_30", "31_60", "61_90", "91_180", "181_365", "over_365"];

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  let positions = db.schema
    .createTable("status_day_positions")
    .addColumn("customer_id", "integer", (c) => c.primaryKey().references("customers.id"))
    .addColumn("ar_total", "integer", (c) => c.notNull());
  for (const bucket of AGING) positions = positions.addColumn(`aging_${bucket}`, "integer", (c) => c.notNull());
  positions = positions
    .addColumn("billed", "integer", (c) => c.notNull())
    .addColumn("collected", "integer", (c) => c.notNull());
  await (sqlite ? positions.modifyEnd(sql`without rowid`) : positions).execute();

  // At most one row (id = 1): the day the positions above hold; no row: nothing cached.
  await db.schema
    .createTable("status_day_state")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("month_start", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("status_day_state").execute();
  await db.schema.dropTable("status_day_positions").execute();
}

import { type Kysely, SqliteAdapter, sql } from "kysely";

// Frozen in time: never import app code here.
// The bad-debt provision inputs, written by the import's sweep beside the status positions (and
// by the status table's background refresh for customers changed outside an import):
// - provision_positions: per customer, month end and age basis (from the invoice date or the due
//   date), the open invoice amounts in 18 fine age bands (a0..a17; upper ages 0, 30, 60, ..., 330,
//   365, 730, 1095, 1460, 1825 days and over) and the same "gross", as if nothing had been written
//   off (g0..g17). Only the month ends before the customer's last document.
// - provision_customers: each swept customer's last document date and whether it has write-offs.
// - provision_gross_items: for a customer with write-offs, what would still be open after its last
//   document had nothing been written off (without write-offs it is open_items).
export const FINE_BANDS = 18;

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  let positions = db.schema
    .createTable("provision_positions")
    .addColumn("customer_id", "integer", (c) => c.notNull())
    .addColumn("month_end", "text", (c) => c.notNull())
    .addColumn("basis", "text", (c) => c.notNull().check(sql`basis in ('issue', 'due')`));
  for (let band = 0; band < FINE_BANDS; band++) positions = positions.addColumn(`a${band}`, "bigint", (c) => c.notNull().defaultTo(0));
  for (let band = 0; band < FINE_BANDS; band++) positions = positions.addColumn(`g${band}`, "bigint", (c) => c.notNull().defaultTo(0));
  positions = positions.addPrimaryKeyConstraint("provision_positions_pk", ["customer_id", "month_end", "basis"]);
  await (sqlite ? positions.modifyEnd(sql`without rowid`) : positions).execute();
  await db.schema.createIndex("provision_positions_month").on("provision_positions").columns(["month_end", "basis", "customer_id"]).execute();

  await db.schema
    .createTable("provision_customers")
    .addColumn("customer_id", "integer", (c) => c.primaryKey())
    .addColumn("last_document_date", "text", (c) => c.notNull())
    .addColumn("write_offs", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("provision_customers_last").on("provision_customers").columns(["last_document_date", "customer_id"]).execute();

  await db.schema
    .createTable("provision_gross_items")
    .addColumn("customer_id", "integer", (c) => c.notNull())
    .addColumn("issue_date", "text", (c) => c.notNull())
    .addColumn("due_date", "text", (c) => c.notNull())
    .addColumn("open_amount", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("provision_gross_items_customer").on("provision_gross_items").column("customer_id").execute();
  // The provision ages open items by their dates, customer by customer: covering, no table lookups.
  await db.schema.createIndex("open_items_provision_ages").on("open_items").columns(["customer_id", "issue_date", "due_date", "open_amount"]).execute();
  // Customers swept before these tables existed: the status refresh re-sweeps them (and writes these).
  await sql`INSERT INTO status_stale_customers (customer_id) SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM status_stale_customers)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("open_items_provision_ages").execute();
  await db.schema.dropTable("provision_gross_items").execute();
  await db.schema.dropTable("provision_customers").execute();
  await db.schema.dropTable("provision_positions").execute();
}

import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
// Each open run (`status_open_runs`: an invoice's open amount from one day to another) also keeps
// its invoice's issue date, so the provision can age a customer's open items at any date by
// issue date from the runs covering it, without settling the customer's documents again.
// The runs written before have none: every customer is marked for the status table's refresh,
// which writes them again with it (until then the provision settles those customers, as before).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("status_open_runs").addColumn("issue_date", "text").execute();
  await sql`INSERT INTO status_stale_customers (customer_id) SELECT id FROM customers WHERE id NOT IN (SELECT customer_id FROM status_stale_customers)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("status_open_runs").dropColumn("issue_date").execute();
}

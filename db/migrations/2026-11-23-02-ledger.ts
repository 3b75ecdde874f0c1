import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("customers")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("code", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("region", "text")
    .addColumn("owner_id", "integer", (c) => c.references("users.id"))
    .addColumn("credit_grade", "text")
    .addColumn("credit_limit", "integer", (c) => c.check(sql`credit_limit >= 0`))
    .addColumn("payment_terms_days", "integer", (c) => c.notNull().defaultTo(30).check(sql`payment_terms_days >= 0`))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("active").check(sql`status in ('active', 'inactive')`))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("customers_owner").on("customers").column("owner_id").execute();
  await db.schema.createIndex("customers_region").on("customers").column("region").execute();
  await db.schema.createIndex("customers_grade").on("customers").column("credit_grade").execute();

  await db.schema
    .createTable("invoices")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("invoice_no", "text", (c) => c.notNull().unique())
    .addColumn("customer_id", "integer", (c) => c.notNull().references("customers.id"))
    .addColumn("issue_date", "text", (c) => c.notNull())
    .addColumn("due_date", "text", (c) => c.notNull())
    .addColumn("amount", "integer", (c) => c.notNull().check(sql`amount > 0`))
    .addCheckConstraint("invoices_issue_before_due", sql`issue_date <= due_date`)
    .execute();
  // The pool's order within a customer (KPIS.md section 3), and sales by date.
  await db.schema
    .createIndex("invoices_customer_order")
    .on("invoices")
    .columns(["customer_id", "due_date", "issue_date", "invoice_no"])
    .execute();
  await db.schema.createIndex("invoices_issue_date").on("invoices").columns(["issue_date", "amount"]).execute();

  for (const table of ["payments", "adjustments"] as const) {
    const key = table === "payments" ? "payment_no" : "adjustment_no";
    let builder = db.schema
      .createTable(table)
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn(key, "text", (c) => c.notNull().unique())
      .addColumn("customer_id", "integer", (c) => c.notNull().references("customers.id"))
      .addColumn("date", "text", (c) => c.notNull())
      .addColumn("amount", "integer", (c) => c.notNull().check(sql`amount > 0`));
    if (table === "adjustments") {
      builder = builder.addColumn("type", "text", (c) =>
        c.notNull().check(sql`type in ('credit_note', 'write_off', 'offset')`),
      );
    }
    await builder.addColumn("invoice_id", "integer", (c) => c.references("invoices.id")).execute();
    await db.schema.createIndex(`${table}_customer_date`).on(table).columns(["customer_id", "date"]).execute();
    await db.schema.createIndex(`${table}_date`).on(table).columns(["date", "amount"]).execute();
    await db.schema.createIndex(`${table}_invoice`).on(table).column("invoice_id").execute();
  }

  // Derived at import time from all documents (KPIS.md section 3 with every document counted):
  // the open invoices and each customer's unapplied credit. Lists and today's figures read
  // these instead of re-settling the whole ledger on every page view.
  await db.schema
    .createTable("open_items")
    .addColumn("invoice_id", "integer", (c) => c.primaryKey().references("invoices.id").onDelete("cascade"))
    .addColumn("customer_id", "integer", (c) => c.notNull().references("customers.id"))
    .addColumn("issue_date", "text", (c) => c.notNull())
    .addColumn("due_date", "text", (c) => c.notNull())
    .addColumn("open_amount", "integer", (c) => c.notNull().check(sql`open_amount > 0`))
    .execute();
  await db.schema
    .createIndex("open_items_customer")
    .on("open_items")
    .columns(["customer_id", "due_date", "open_amount"])
    .execute();
  await db.schema.createIndex("open_items_due").on("open_items").columns(["due_date", "open_amount"]).execute();
  await db.schema
    .createTable("unapplied_credits")
    .addColumn("customer_id", "integer", (c) => c.primaryKey().references("customers.id"))
    .addColumn("amount", "integer", (c) => c.notNull().check(sql`amount > 0`))
    .execute();

  await db.schema
    .createTable("column_mappings")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("name", "text", (c) => c.notNull().unique())
    .addColumn("definition", "text", (c) => c.notNull())
    .addColumn("created_by", "integer", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("import_runs")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.references("users.id"))
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('pending', 'running', 'succeeded', 'failed')`),
    )
    .addColumn("files", "text", (c) => c.notNull())
    .addColumn("summary", "text")
    .addColumn("report", "text")
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["import_runs", "column_mappings", "unapplied_credits", "open_items", "adjustments", "payments", "invoices", "customers"]) {
    await db.schema.dropTable(table).execute();
  }
}

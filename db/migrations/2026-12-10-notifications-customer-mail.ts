import type { Kysely } from "kysely";

// Frozen in time: never import app code here.
// Sending letters to customers by e-mail: a customer's contact e-mail (where its statements and
// dunning letters go; null until someone enters it), and an outbox message's attachment (a PDF,
// as base64 text so both databases store it the same way) with the file name it is sent under.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("customers").addColumn("contact_email", "text").execute();
  await db.schema.alterTable("notification_outbox").addColumn("attachment_name", "text").execute();
  await db.schema.alterTable("notification_outbox").addColumn("attachment", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("notification_outbox").dropColumn("attachment").execute();
  await db.schema.alterTable("notification_outbox").dropColumn("attachment_name").execute();
  await db.schema.alterTable("customers").dropColumn("contact_email").execute();
}

/** The SQL of customer documents: the customer's contact e-mail. */
import type { Db } from "~/server/db.server";

export async function customerContactEmail(db: Db, customerId: number): Promise<string | null> {
  const row = await db.selectFrom("customers").select("contact_email").where("id", "=", customerId).executeTakeFirst();
  return row?.contact_email ?? null;
}

export async function setCustomerContactEmail(db: Db, customerId: number, email: string | null): Promise<void> {
  await db.updateTable("customers").set({ contact_email: email }).where("id", "=", customerId).execute();
}

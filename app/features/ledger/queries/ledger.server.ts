import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";

/**
 * The date of the newest document in the ledger (invoice issue dates, payment and adjustment
 * dates), or null for an empty ledger. Three MAX lookups, each answered from a date index.
 */
export async function latestDocumentDate(db: Db): Promise<IsoDate | null> {
  const [invoice, payment, adjustment] = await Promise.all([
    db
      .selectFrom("invoices")
      .select((eb) => eb.fn.max("issue_date").as("latest"))
      .executeTakeFirst(),
    db
      .selectFrom("payments")
      .select((eb) => eb.fn.max("date").as("latest"))
      .executeTakeFirst(),
    db
      .selectFrom("adjustments")
      .select((eb) => eb.fn.max("date").as("latest"))
      .executeTakeFirst(),
  ]);
  const dates = [invoice?.latest, payment?.latest, adjustment?.latest].filter(
    (date): date is string => typeof date === "string",
  );
  return dates.length === 0 ? null : dates.reduce((a, b) => (a > b ? a : b));
}

/**
 * The date of the oldest document in the ledger (invoice issue dates, payment and adjustment
 * dates), or null for an empty ledger: where the ledger's history begins.
 */
export async function firstDocumentDate(db: Db): Promise<IsoDate | null> {
  const [invoice, payment, adjustment] = await Promise.all([
    db
      .selectFrom("invoices")
      .select((eb) => eb.fn.min("issue_date").as("first"))
      .executeTakeFirst(),
    db
      .selectFrom("payments")
      .select((eb) => eb.fn.min("date").as("first"))
      .executeTakeFirst(),
    db
      .selectFrom("adjustments")
      .select((eb) => eb.fn.min("date").as("first"))
      .executeTakeFirst(),
  ]);
  const dates = [invoice?.first, payment?.first, adjustment?.first].filter((date): date is string => typeof date === "string");
  return dates.length === 0 ? null : dates.reduce((a, b) => (a < b ? a : b));
}

import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";

/** The oldest or newest date of any document in the ledger: invoice issue dates, payment and adjustment dates. */
async function documentDateBound(db: Db, bound: "min" | "max"): Promise<IsoDate | null> {
  const [invoice, payment, adjustment] = await Promise.all([
    db
      .selectFrom("invoices")
      .select((eb) => eb.fn[bound]("issue_date").as("date"))
      .executeTakeFirst(),
    db
      .selectFrom("payments")
      .select((eb) => eb.fn[bound]("date").as("date"))
      .executeTakeFirst(),
    db
      .selectFrom("adjustments")
      .select((eb) => eb.fn[bound]("date").as("date"))
      .executeTakeFirst(),
  ]);
  const dates = [invoice?.date, payment?.date, adjustment?.date].filter((date): date is string => typeof date === "string");
  if (dates.length === 0) return null;
  return dates.reduce((a, b) => ((bound === "max" ? a > b : a < b) ? a : b));
}

/**
 * The date of the newest document in the ledger, or null for an empty ledger. Three MAX lookups,
 * each answered from a date index.
 */
export function latestDocumentDate(db: Db): Promise<IsoDate | null> {
  return documentDateBound(db, "max");
}

/** The date of the oldest document in the ledger, or null for an empty ledger: where the ledger's history begins. */
export function firstDocumentDate(db: Db): Promise<IsoDate | null> {
  return documentDateBound(db, "min");
}

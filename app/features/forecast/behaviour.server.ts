import type { Db } from "~/server/db.server";
import { type BehaviourTables, paymentBehaviour, paymentMonthsBuiltFrom } from "./queries.server";

/**
 * Every customer's payment behaviour over the months [fromMonth, toMonth] "YYYY-MM" (and the
 * grades' and the company's), from the monthly table the forecast's job keeps; null until the job
 * has first built it (a request does not sum the paid dates itself).
 */
export async function companyPaymentBehaviour(db: Db, fromMonth: string, toMonth: string): Promise<BehaviourTables | null> {
  if ((await paymentMonthsBuiltFrom(db)) === null) return null;
  return paymentBehaviour(db, { kind: "company" }, fromMonth, toMonth, true);
}

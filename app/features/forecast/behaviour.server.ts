import type { Db } from "~/server/db.server";
import { type BehaviourTables, paymentBehaviour, paymentMonthsBuiltFrom } from "./queries.server";

/**
 * Every customer's payment behaviour over the months [fromMonth, toMonth] "YYYY-MM" (and the
 * grades' and the company's), as the forecast reads it: the kept monthly table once built.
 */
export async function companyPaymentBehaviour(db: Db, fromMonth: string, toMonth: string): Promise<BehaviourTables> {
  const built = (await paymentMonthsBuiltFrom(db)) !== null;
  return paymentBehaviour(db, { kind: "company" }, fromMonth, toMonth, built);
}

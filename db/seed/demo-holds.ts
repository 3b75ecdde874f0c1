import { holdsOverview } from "../../app/credit-holds.server";
import type { Db } from "../../app/db.server";
import { addDays } from "../../app/domain/dates";
import type { IsoDate } from "../../app/domain/ledger-types";
import type { Actor } from "../../app/domain/plan-lifecycle";
import { releaseHold, setHold } from "../../app/models/credit-hold.server";

/**
 * The demo's shipment holds (issue 7), chosen from the demo ledger as it stands today: the
 * customer the rules most want stopped is on stop shipment (停止发货), the next two suggested for
 * cash before delivery (款到发货) are on it, all set by the head with a reason; one customer
 * with no suggestion today was on cash before delivery last quarter and released once it paid.
 * The rest of the suggestions stay open on the holds page for the head to work through.
 * Deterministic: the same ledger gives the same holds.
 */
export async function seedDemoHolds(
  db: Db,
  today: IsoDate,
  actors: { head: Actor; leader: Actor; owners: Actor[] },
): Promise<{ stopped: string[]; cashBeforeDelivery: string[]; released: string[] }> {
  const at = (daysAgo: number) => new Date(`${addDays(today, -daysAgo)}T01:30:00.000Z`);
  const overview = await holdsOverview(
    db,
    { kind: "all" },
    { filters: { overLimitOnly: false }, holdsPage: 1, suggestionsPage: 1, limitsPage: 1 },
    today,
    500,
  );
  const suggested = overview.suggestions.rows.filter((row) => row.currentKind === null);
  // Customers sent a lawyer's letter (the collections seed runs first) are stopped the same day.
  const letters = await db
    .selectFrom("collection_actions as a")
    .innerJoin("customers as c", "c.id", "a.customer_id")
    .select(["c.code", "a.action_date as sent"])
    .where("a.kind", "=", "lawyer_letter")
    .execute();
  const lettered = suggested.filter((row) => letters.some((letter) => letter.code === row.code));
  for (const row of lettered) {
    const sent = letters.find((letter) => letter.code === row.code)!.sent;
    await setHold(
      db,
      {
        customerId: (await db.selectFrom("customers").select("id").where("code", "=", row.code).executeTakeFirstOrThrow()).id,
        kind: "stop_shipment",
        reason: "Lawyer's letter sent: no shipments until the debt is settled. 已发律师函，欠款结清前停止发货。",
      },
      actors.head.id,
      new Date(`${sent}T08:00:00.000Z`),
    );
  }
  const stop = suggested.filter((row) => row.suggestedKind === "stop_shipment" && !lettered.includes(row)).slice(0, 1);
  const cash = suggested.filter((row) => row.suggestedKind === "cash_before_delivery" && !lettered.includes(row)).slice(0, 2);
  const idOf = async (code: string) => (await db.selectFrom("customers").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;

  for (const row of stop) {
    await setHold(
      db,
      {
        customerId: await idOf(row.code),
        kind: "stop_shipment",
        reason: `Overdue ${row.maxDaysOverdue} days and past the grade's stop-shipment days; reminders and a visit brought no payment. 逾期超过停发天数，催收无果，停止发货。`,
      },
      actors.head.id,
      at(6),
    );
  }
  for (const [i, row] of cash.entries()) {
    const overLimit = row.reasons.some((reason) => reason.key === "credit.holdReason.overLimit");
    await setHold(
      db,
      {
        customerId: await idOf(row.code),
        kind: "cash_before_delivery",
        reason: overLimit
          ? "Receivables over the credit limit: ship against payment until back under it. 超出信用额度，款到发货。"
          : "Overdue past the grade's grace days: cash before delivery until settled. 逾期超过宽限期，款到发货。",
      },
      actors.head.id,
      at(12 + i * 5),
    );
  }

  // A customer in good standing today that was held last quarter and released when it paid.
  const taken = new Set([...lettered, ...stop, ...cash].map((row) => row.code));
  const suggestedCodes = new Set(overview.suggestions.rows.map((row) => row.code));
  const good = await db
    .selectFrom("customers")
    .select(["id", "code"])
    .where("credit_limit", ">", 0)
    .orderBy("code")
    .execute();
  const released = good.find((row) => !taken.has(row.code) && !suggestedCodes.has(row.code));
  if (released) {
    await setHold(
      db,
      { customerId: released.id, kind: "cash_before_delivery", reason: "Two invoices past grace at quarter end. 季末两张发票逾期超过宽限期，款到发货。" },
      actors.head.id,
      at(75),
    );
    await releaseHold(db, { customerId: released.id, reason: "Paid in full after the leadership visit. 领导走访后已全额回款，恢复正常发货。" }, actors.head.id, at(40));
  }
  return { stopped: [...lettered, ...stop].map((row) => row.code), cashBeforeDelivery: cash.map((row) => row.code), released: released ? [released.code] : [] };
}

import { holdsOverview } from "../../app/features/credit/holds/holds.server";
import type { Db } from "../../app/server/db.server";
import { addDays } from "../../app/kernel/dates";
import type { IsoDate } from "../../app/kernel/ledger/types";
import type { Actor } from "../../app/features/plans/lifecycle";
import type { Wordings } from "../../app/kernel/built-in-text";
import { releaseHold, setHold } from "../../app/features/credit/holds/queries.server";
import { both, keepBoth } from "./built-in-text";

/**
 * The demo's shipment holds, chosen from the demo ledger as it stands today: the
 * customer the rules most want stopped is on stop shipment (停止发货), the next two suggested for
 * cash before delivery (款到发货) are on it, all set by the head with a reason; one customer
 * with no suggestion today was on cash before delivery last quarter and released once it paid.
 * The rest of the suggestions stay open on the holds page for the head to work through.
 * Deterministic: the same ledger gives the same holds. Reasons in English and Chinese.
 */

const REASONS = {
  lawyer: both("Lawyer's letter sent: no shipments until the debt is settled.", "已发律师函，欠款结清前停止发货。"),
  stop: (days: number) =>
    both(
      `Overdue ${days} days and past the grade's stop-shipment days; reminders and a visit brought no payment.`,
      `逾期 ${days} 天，已超过该信用等级的停止发货天数；催收和上门走访均未回款，停止发货。`,
    ),
  overLimit: both("Receivables over the credit limit: ship against payment until back under it.", "应收账款超出信用额度：恢复到额度以内之前款到发货。"),
  pastGrace: both("Overdue past the grade's grace days: cash before delivery until settled.", "逾期超过该信用等级的宽限期：结清之前款到发货。"),
  lastQuarter: both("Two invoices past grace at quarter end.", "季末有两张发票逾期超过宽限期，款到发货。"),
  paid: both("Paid in full after the leadership visit.", "领导走访后已全额回款，恢复正常发货。"),
};

/** Sets a hold with the English reason and keeps both wordings on it; the hold's id. */
async function holdWith(db: Db, input: { customerId: number; kind: "stop_shipment" | "cash_before_delivery"; reason: Wordings }, userId: number, at: Date): Promise<number> {
  await setHold(db, { ...input, reason: input.reason.en }, userId, at);
  const hold = await db.selectFrom("customer_holds").select("id").where("customer_id", "=", input.customerId).orderBy("id", "desc").executeTakeFirstOrThrow();
  await keepBoth(db, "hold", hold.id, "reason", input.reason);
  return hold.id;
}
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
    // lettered holds only rows with a letter (the filter above)
    const sent = letters.find((letter) => letter.code === row.code)!.sent;
    await holdWith(
      db,
      {
        customerId: (await db.selectFrom("customers").select("id").where("code", "=", row.code).executeTakeFirstOrThrow()).id,
        kind: "stop_shipment",
        reason: REASONS.lawyer,
      },
      actors.head.id,
      new Date(`${sent}T08:00:00.000Z`),
    );
  }
  const stop = suggested.filter((row) => row.suggestedKind === "stop_shipment" && !lettered.includes(row)).slice(0, 1);
  const cash = suggested.filter((row) => row.suggestedKind === "cash_before_delivery" && !lettered.includes(row)).slice(0, 2);
  const idOf = async (code: string) => (await db.selectFrom("customers").select("id").where("code", "=", code).executeTakeFirstOrThrow()).id;

  for (const row of stop) {
    await holdWith(
      db,
      {
        customerId: await idOf(row.code),
        kind: "stop_shipment",
        reason: REASONS.stop(row.maxDaysOverdue),
      },
      actors.head.id,
      at(6),
    );
  }
  for (const [i, row] of cash.entries()) {
    const overLimit = row.reasons.some((reason) => reason.key === "holds.reason.overLimit");
    await holdWith(
      db,
      {
        customerId: await idOf(row.code),
        kind: "cash_before_delivery",
        reason: overLimit ? REASONS.overLimit : REASONS.pastGrace,
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
    const holdId = await holdWith(db, { customerId: released.id, kind: "cash_before_delivery", reason: REASONS.lastQuarter }, actors.head.id, at(75));
    await releaseHold(db, { customerId: released.id, reason: REASONS.paid.en }, actors.head.id, at(40));
    await keepBoth(db, "hold", holdId, "release_reason", REASONS.paid);
  }
  return { stopped: [...lettered, ...stop].map((row) => row.code), cashBeforeDelivery: cash.map((row) => row.code), released: released ? [released.code] : [] };
}

import type { Db } from "../../app/server/db.server";
import { addDays, previousQuarterEnd } from "../../app/kernel/dates";
import type { IsoDate } from "../../app/kernel/ledger/types";
import type { Actor } from "../../app/features/plans/lifecycle";
import { closeBatch, createBatch } from "../../app/features/credit/confirmations/queries.server";
import { type BuiltInTextEntry, rememberWordings } from "../../app/features/settings/index.server";
import { ensureStatusPositions } from "../../app/features/status-table/queries.server";
import { both, keepBoth } from "./built-in-text";

/**
 * The demo's balance confirmations (对账), in the seed's story of 44,340 statements sent and
 * 44,337 returned: last year's year-end batch went out in the first week of January, nearly every
 * statement came back matched, the few mismatches were visited until resolved, and the batch is
 * closed. This quarter's batch (balances at the last quarter end) is in progress: most statements
 * sent, about half back, a few mismatches still open. Deterministic: positions, not randomness.
 * Names and notes in English and Chinese (./built-in-text.ts).
 */
interface DemoActors {
  head: Actor;
  leader: Actor;
  owners: Actor[];
}

const CHANNELS = ["post", "electronic", "in_person"] as const;

const MISMATCH_NOTES = [
  both("Customer has not booked our credit note for returned goods", "客户尚未入账我方开具的退货红字发票"),
  both("Payment in transit at the period end", "期末有在途回款"),
  both("Invoice received by the customer after the period end", "客户在期末之后才收到发票"),
];
const RESOLVED = both("Visited the customer; reconciled line by line and agreed.", "上门核对，逐笔对账，已查清并达成一致。");

function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return a < b ? a : b;
}

export async function seedDemoConfirmations(db: Db, today: IsoDate, actors: DemoActors): Promise<void> {
  await ensureStatusPositions(db);
  const yearEnd = `${Number(today.slice(0, 4)) - 1}-12-31`;
  const yearEndName = both(`Year-end ${yearEnd.slice(0, 4)}`, `${yearEnd.slice(0, 4)} 年终对账`);
  const lastYear = await createBatch(db, { name: yearEndName.en, periodEnd: yearEnd, selection: {} }, actors.head.id, new Date(`${yearEnd.slice(0, 4)}-12-31T10:00:00Z`));
  if (lastYear.ok) {
    await keepBoth(db, "confirmation_batch", lastYear.batchId, "name", yearEndName);
    await work(db, lastYear.batchId, yearEnd, today, actors.head.id, { sentShare: 1, returnedShare: 1, notReturned: 2, everyMismatch: 41, resolveAll: true });
    await closeBatch(db, lastYear.batchId, actors.head.id, new Date(`${minDate(addDays(yearEnd, 75), today)}T09:00:00Z`));
  }
  const quarterEnd = previousQuarterEnd(today);
  if (quarterEnd > yearEnd) {
    const quarterName = both(`Quarter ending ${quarterEnd}`, `截至 ${quarterEnd} 的季度对账`);
    const current = await createBatch(db, { name: quarterName.en, periodEnd: quarterEnd, selection: {} }, actors.head.id, new Date(`${quarterEnd}T10:00:00Z`));
    if (current.ok) await keepBoth(db, "confirmation_batch", current.batchId, "name", quarterName);
    if (current.ok) await work(db, current.batchId, quarterEnd, today, actors.head.id, { sentShare: 0.8, returnedShare: 0.55, notReturned: 0, everyMismatch: 29, resolveAll: false });
  }
}

async function work(
  db: Db,
  batchId: number,
  periodEnd: IsoDate,
  today: IsoDate,
  userId: number,
  plan: { sentShare: number; returnedShare: number; notReturned: number; everyMismatch: number; resolveAll: boolean },
): Promise<void> {
  const rows = await db.selectFrom("balance_confirmations").select(["id", "our_balance"]).where("batch_id", "=", batchId).orderBy("id").execute();
  const day = (offset: number) => minDate(addDays(periodEnd, offset), today);
  const sentCount = Math.round(rows.length * plan.sentShare);
  const returnedCount = Math.min(sentCount, Math.round(rows.length * plan.returnedShare)) - plan.notReturned;
  let mismatches = 0;
  const texts: BuiltInTextEntry[] = [];
  await db.transaction().execute(async (trx) => {
    for (const [i, row] of rows.entries()) {
      if (i >= sentCount) break;
      const sentOn = day(3 + (i % 4));
      const channel = CHANNELS[i % 7 === 0 ? 2 : i % 3 === 0 ? 0 : 1];
      const returned = i < returnedCount;
      const returnedOn = returned ? minDate(addDays(sentOn, 5 + (i % 17)), today) : null;
      const mismatched = returned && i % plan.everyMismatch === 7;
      let resolvedOn: IsoDate | null = null;
      if (mismatched) {
        mismatches += 1;
        // the last open mismatch of a batch in progress waits for its visit
        if (plan.resolveAll || mismatches === 1) resolvedOn = minDate(addDays(returnedOn!, 12 + (i % 9)), today);
      }
      const difference = mismatched ? -Math.max(100, Math.round(Number(row.our_balance) * 0.03)) : 0;
      const note = mismatched ? MISMATCH_NOTES[mismatches % MISMATCH_NOTES.length] : null;
      if (note) texts.push({ entity: "confirmation", entityId: row.id, field: "note", wordings: note });
      if (resolvedOn) texts.push({ entity: "confirmation", entityId: row.id, field: "resolution_note", wordings: RESOLVED });
      await trx
        .updateTable("balance_confirmations")
        .set({
          sent_on: sentOn,
          channel,
          returned_on: returnedOn,
          result: returned ? (mismatched ? "mismatched" : "matched") : plan.resolveAll ? "not_returned" : null,
          difference,
          note: note?.en ?? "",
          resolved_on: resolvedOn,
          resolution_note: resolvedOn ? RESOLVED.en : null,
          updated_by: userId,
          updated_at: `${returnedOn ?? sentOn}T09:00:00.000Z`,
        })
        .where("id", "=", row.id)
        .execute();
    }
    await rememberWordings(trx, texts);
  });
}

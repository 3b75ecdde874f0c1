/**
 * What falls due with time, raised by the job runner for a business date: items due soon and
 * overdue, promises due today and broken. Each is raised once (its dedupe key names the thing and
 * the date it falls due), so running the job again, or on every server, repeats nothing.
 */
import type { Db } from "~/server/db.server";
import { addDays } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { DUE_SOON_DAYS } from "~/features/notifications/events";
import { notify } from "~/features/notifications/notify.server";
import { activeUsers, openItemsDueBetween, promisesDueBetween } from "~/features/notifications/queries.server";

/** How far back a first run looks: older lapses were before notifications existed. */
const LOOK_BACK_DAYS = 30;

export async function raiseTimeEvents(db: Db, today: IsoDate, now = new Date()): Promise<{ raised: number }> {
  let raised = 0;
  const count = (id: number | null) => {
    if (id !== null) raised += 1;
  };
  for (const item of await openItemsDueBetween(db, today, addDays(today, DUE_SOON_DAYS))) {
    count(
      await notify(
        db,
        {
          kind: "item_due_soon",
          params: { item: item.title, date: item.dueDate },
          link: `/plans/${item.planId}/items/${item.id}`,
          actorId: null,
          recipients: [item.ownerId],
          dedupeKey: `item_due_soon:${item.id}:${item.dueDate}`,
        },
        now,
      ),
    );
  }
  for (const item of await openItemsDueBetween(db, addDays(today, -LOOK_BACK_DAYS), addDays(today, -1))) {
    count(
      await notify(
        db,
        {
          kind: "item_overdue",
          params: { item: item.title, date: item.dueDate },
          link: `/plans/${item.planId}/items/${item.id}`,
          actorId: null,
          recipients: [item.ownerId],
          dedupeKey: `item_overdue:${item.id}:${item.dueDate}`,
        },
        now,
      ),
    );
  }
  const heads = (await activeUsers(db, { roles: ["head"] })).map((user) => user.id);
  for (const promise of await promisesDueBetween(db, addDays(today, -LOOK_BACK_DAYS), today)) {
    const due = promise.dueOn === today && promise.status === "pending";
    const broken = promise.dueOn < today && promise.status !== "kept" && promise.paid < promise.amount;
    if (!due && !broken) continue;
    const recipients = promise.ownerId === null ? heads : [promise.ownerId];
    count(
      await notify(
        db,
        {
          kind: due ? "promise_due" : "promise_broken",
          params: { customer: `${promise.code} ${promise.name}`, amount: promise.amount - promise.paid, date: promise.dueOn },
          link: `/customers/${encodeURIComponent(promise.code)}`,
          actorId: null,
          recipients,
          dedupeKey: `${due ? "promise_due" : "promise_broken"}:${promise.id}`,
        },
        now,
      ),
    );
  }
  return { raised };
}

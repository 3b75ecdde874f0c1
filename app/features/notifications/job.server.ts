/**
 * The notifications' background job: raise what fell due on the business date, then deliver
 * the outbox. The app process runs it every minute and `npm run jobs -- --once` once (for cron);
 * a lock row (`job_locks`) lets one of them run it at a time, so a second server or a cron run
 * beside the server neither raises nor sends anything twice. A holder that died leaves a lock
 * that expires.
 */
import os from "node:os";

import type { Db } from "~/server/db.server";
import type { Job } from "~/server/jobs.server";
import type { IsoDate } from "~/kernel/ledger/types";
import { deliverOutbox } from "~/features/notifications/delivery.server";
import { raiseTimeEvents } from "~/features/notifications/time-events.server";
import { sendDigests } from "~/features/notifications/digest.server";
import { digestsDueOn } from "~/features/notifications/events";
import { acquireJobLock, eventRecorded, insertEvent, releaseJobLock } from "~/features/notifications/queries.server";

export const NOTIFICATIONS_LOCK = "notifications";
/** Longer than a run takes (a batch of messages, each bounded by its timeouts). */
const LOCK_MS = 5 * 60_000;

export function lockHolder(): string {
  return `${os.hostname()}:${process.pid}`;
}

export interface NotificationsRun {
  ran: boolean;
  raised: number;
  sent: number;
  failed: number;
}

/** One run under the lock; `ran` is false when another process holds it. */
export async function runNotifications(db: Db, today: IsoDate, options: { holder?: string; now?: Date } = {}): Promise<NotificationsRun> {
  const holder = options.holder ?? lockHolder();
  const now = options.now ?? new Date();
  if (!(await acquireJobLock(db, NOTIFICATIONS_LOCK, holder, now.toISOString(), new Date(now.getTime() + LOCK_MS).toISOString()))) {
    return { ran: false, raised: 0, sent: 0, failed: 0 };
  }
  try {
    const { raised } = await raiseTimeEvents(db, today, now);
    const digests = await digestsOnce(db, today, now);
    const { sent, failed } = await deliverOutbox(db, now);
    return { ran: true, raised: raised + digests, sent, failed };
  } finally {
    await releaseJobLock(db, NOTIFICATIONS_LOCK, holder);
  }
}

/**
 * The digests due on the business date, raised by the first run of that day: a marker event
 * says they were, so later runs (every minute) do not build them again. Each digest is raised
 * once in any case (its own key), so a run that stopped half-way is finished by the next.
 */
async function digestsOnce(db: Db, today: IsoDate, now: Date): Promise<number> {
  if (digestsDueOn(today).length === 0) return 0;
  const marker = `digests-raised:${today}`;
  if (await eventRecorded(db, marker)) return 0;
  const results = await sendDigests(db, today, { now });
  await insertEvent(db, { kind: "digests_raised", params: "{}", link: "/notifications", actorId: null, dedupeKey: marker, at: now.toISOString() });
  return results.filter((result) => result.sent).length;
}

export function notificationsJob(db: Db, today: () => IsoDate, { everyMs = 60_000 } = {}): Job {
  return {
    name: "notifications",
    everyMs,
    atStart: true,
    async run() {
      const run = await runNotifications(db, today());
      if (!run.ran || run.raised + run.sent + run.failed === 0) return null;
      return `Notifications: raised ${run.raised}, sent ${run.sent}, ${run.failed} to retry.`;
    },
  };
}

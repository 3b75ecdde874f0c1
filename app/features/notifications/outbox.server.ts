/**
 * The administrator's view of the outbox: what waits, what failed and what went, with the
 * attempts, the last error and the next try; "retry now" makes a waiting or failed message due at
 * once (the job runner sends it on its next pass), audited. A failed message retried gets one
 * more attempt: failing again, it is failed again.
 */
import type { Db } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { can, type Role } from "~/kernel/permissions";
import { recordAudit } from "~/features/audit/index.server";
import type { OutboxFilter } from "~/features/notifications/events";
import { mailConfigured } from "~/features/notifications/settings.server";
import { type OutboxStatus, makeOutboxDue, outboxCounts, outboxMessage, outboxPage } from "~/features/notifications/queries.server";

export const OUTBOX_PAGE_SIZE = 50;

type Admin = { id: number; role: Role };

function requireAdmin(actor: Admin) {
  if (!can(actor, "settings:manage")) throw AppError.forbidden();
}

export async function loadOutbox(db: Db, actor: Admin, options: { filter: OutboxFilter; page: number }) {
  requireAdmin(actor);
  const status: OutboxStatus | null = options.filter === "all" ? null : options.filter;
  const [rows, counts] = await Promise.all([outboxPage(db, { status, limit: OUTBOX_PAGE_SIZE, offset: (options.page - 1) * OUTBOX_PAGE_SIZE }), outboxCounts(db)]);
  const total = status === null ? counts.pending + counts.failed + counts.sent : counts[status];
  return { rows, counts, total, filter: options.filter, page: options.page, pageSize: OUTBOX_PAGE_SIZE, mail: mailConfigured() };
}

export async function retryOutboxNow(db: Db, actor: Admin, id: number, now = new Date()): Promise<void> {
  requireAdmin(actor);
  await db.transaction().execute(async (trx) => {
    const before = await outboxMessage(trx, id);
    if (!before || before.status === "sent" || !(await makeOutboxDue(trx, id, now.toISOString()))) throw AppError.conflict("notifications.outbox.notRetriable", null);
    await recordAudit(
      trx,
      { userId: actor.id, entity: "notification_outbox", entityId: id, action: "retry", before: { status: before.status, attempts: before.attempts, nextAttemptAt: before.nextAttemptAt }, after: { status: "pending", nextAttemptAt: now.toISOString() } },
      now,
    );
  });
}

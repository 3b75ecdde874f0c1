/** All SQL of notifications: events, inboxes, preferences, the outbox, chat robots and the job lock. */
import type { Db } from "~/server/db.server";
import type { Channel } from "~/features/notifications/events";
import type { Locale } from "~/i18n";

export interface Recipient {
  id: number;
  name: string;
  email: string;
  locale: Locale;
}

/** Records an event; null when its dedupe key was recorded before (raised already). */
export async function insertEvent(
  db: Db,
  event: { kind: string; params: string; link: string; actorId: number | null; dedupeKey: string | null; at: string },
): Promise<number | null> {
  const row = await db
    .insertInto("notification_events")
    .values({ kind: event.kind, params: event.params, link: event.link, actor_id: event.actorId, dedupe_key: event.dedupeKey, created_at: event.at })
    .onConflict((conflict) => conflict.column("dedupe_key").doNothing())
    .returning("id")
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function activeUsers(db: Db, filter: { ids?: readonly number[]; roles?: readonly ("head" | "staff" | "leader" | "admin")[] }): Promise<Recipient[]> {
  let query = db.selectFrom("users").select(["id", "name", "email", "locale"]).where("active", "=", 1);
  if (filter.ids) {
    if (filter.ids.length === 0) return [];
    query = query.where("id", "in", [...filter.ids]);
  }
  if (filter.roles) query = query.where("role", "in", [...filter.roles]);
  return query.orderBy("id").execute();
}

export async function usersForMentions(db: Db): Promise<{ id: number; email: string }[]> {
  return db.selectFrom("users").select(["id", "email"]).where("active", "=", 1).execute();
}

export async function storedPreferences(db: Db, userIds: readonly number[]): Promise<{ user_id: number; kind: string; channel: Channel }[]> {
  if (userIds.length === 0) return [];
  return db.selectFrom("notification_preferences").select(["user_id", "kind", "channel"]).where("user_id", "in", [...userIds]).execute();
}

export async function replacePreferences(db: Db, userId: number, choices: readonly { kind: string; channel: Channel }[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("notification_preferences").where("user_id", "=", userId).execute();
    if (choices.length > 0) await trx.insertInto("notification_preferences").values(choices.map((choice) => ({ user_id: userId, ...choice }))).execute();
  });
}

export async function insertNotifications(db: Db, eventId: number, userIds: readonly number[], at: string): Promise<void> {
  if (userIds.length === 0) return;
  await db
    .insertInto("notifications")
    .values(userIds.map((userId) => ({ event_id: eventId, user_id: userId, created_at: at })))
    .onConflict((conflict) => conflict.columns(["event_id", "user_id"]).doNothing())
    .execute();
}

export interface OutboxInsert {
  channel: "email" | "chat";
  eventId: number | null;
  userId: number | null;
  robotId: number | null;
  recipient: string;
  subject: string;
  body: string;
  dedupeKey: string;
  /** a document sent with an e-mail */
  attachment?: { name: string; base64: string } | null;
}

/** Queues messages; one already queued under the same key is left as it is (never sent twice). Returns how many were new. */
export async function insertOutbox(db: Db, rows: readonly OutboxInsert[], at: string): Promise<number> {
  let added = 0;
  for (const row of rows) {
    const result = await db
      .insertInto("notification_outbox")
      .values({
        channel: row.channel,
        event_id: row.eventId,
        user_id: row.userId,
        robot_id: row.robotId,
        recipient: row.recipient,
        subject: row.subject,
        body: row.body,
        dedupe_key: row.dedupeKey,
        next_attempt_at: at,
        created_at: at,
        attachment_name: row.attachment?.name ?? null,
        attachment: row.attachment?.base64 ?? null,
      })
      .onConflict((conflict) => conflict.column("dedupe_key").doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return added;
}

// ------------------------------------------------------------------------------ inbox

export interface InboxRow {
  id: number;
  kind: string;
  params: string;
  link: string;
  readAt: string | null;
  createdAt: string;
  actorName: string | null;
}

export async function inboxPage(db: Db, userId: number, options: { unreadOnly: boolean; limit: number; offset: number }): Promise<InboxRow[]> {
  let query = db
    .selectFrom("notifications as n")
    .innerJoin("notification_events as e", "e.id", "n.event_id")
    .leftJoin("users as a", "a.id", "e.actor_id")
    .select(["n.id as id", "e.kind as kind", "e.params as params", "e.link as link", "n.read_at as readAt", "n.created_at as createdAt", "a.name as actorName"])
    .where("n.user_id", "=", userId);
  if (options.unreadOnly) query = query.where("n.read_at", "is", null);
  return query.orderBy("n.id", "desc").limit(options.limit).offset(options.offset).execute();
}

export async function countInbox(db: Db, userId: number, unreadOnly: boolean): Promise<number> {
  let query = db.selectFrom("notifications").select((eb) => eb.fn.countAll<number>().as("count")).where("user_id", "=", userId);
  if (unreadOnly) query = query.where("read_at", "is", null);
  const row = await query.executeTakeFirst();
  return Number(row?.count ?? 0);
}

/** Marks one of the user's notifications read; false when it is not theirs (or does not exist). */
export async function markNotificationRead(db: Db, userId: number, notificationId: number, at: string): Promise<boolean> {
  const owned = await db.selectFrom("notifications").select("id").where("id", "=", notificationId).where("user_id", "=", userId).executeTakeFirst();
  if (!owned) return false;
  await db.updateTable("notifications").set({ read_at: at }).where("id", "=", notificationId).where("read_at", "is", null).execute();
  return true;
}

export async function markAllNotificationsRead(db: Db, userId: number, at: string): Promise<void> {
  await db.updateTable("notifications").set({ read_at: at }).where("user_id", "=", userId).where("read_at", "is", null).execute();
}

// ------------------------------------------------------------------------------ outbox

export interface OutboxRow {
  id: number;
  channel: "email" | "chat";
  robotId: number | null;
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
  attachmentName: string | null;
  attachment: string | null;
}

export async function dueOutbox(db: Db, now: string, limit: number): Promise<OutboxRow[]> {
  return db
    .selectFrom("notification_outbox")
    .select(["id", "channel", "robot_id as robotId", "recipient", "subject", "body", "attempts", "attachment_name as attachmentName", "attachment"])
    .where("status", "=", "pending")
    .where("next_attempt_at", "<=", now)
    .orderBy("id")
    .limit(limit)
    .execute();
}

export async function markOutboxSent(db: Db, id: number, at: string): Promise<void> {
  await db.updateTable("notification_outbox").set((eb) => ({ status: "sent", sent_at: at, attempts: eb("attempts", "+", 1), last_error: null })).where("id", "=", id).execute();
}

export async function markOutboxFailedAttempt(db: Db, id: number, attempts: number, next: string | null, error: string): Promise<void> {
  await db
    .updateTable("notification_outbox")
    .set(next === null ? { status: "failed", attempts, last_error: error } : { attempts, next_attempt_at: next, last_error: error })
    .where("id", "=", id)
    .execute();
}

// ------------------------------------------------------------------------------ chat robots

export interface RobotRow {
  id: number;
  kind: "wecom" | "dingtalk" | "feishu";
  name: string;
  url: string;
  secret: string | null;
  locale: Locale;
}

export async function activeRobots(db: Db): Promise<RobotRow[]> {
  return db.selectFrom("chat_robots").select(["id", "kind", "name", "url", "secret", "locale"]).where("active", "=", 1).orderBy("id").execute();
}

export async function findRobot(db: Db, id: number): Promise<RobotRow | undefined> {
  return db.selectFrom("chat_robots").select(["id", "kind", "name", "url", "secret", "locale"]).where("id", "=", id).executeTakeFirst();
}

export async function insertRobot(
  db: Db,
  robot: { kind: RobotRow["kind"]; name: string; url: string; secret: string | null; locale: Locale; createdBy: number; at: string },
): Promise<number> {
  const row = await db
    .insertInto("chat_robots")
    .values({ kind: robot.kind, name: robot.name, url: robot.url, secret: robot.secret, locale: robot.locale, created_by: robot.createdBy, created_at: robot.at })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Robots are switched off, never deleted: queued messages keep naming theirs. */
export async function deactivateRobot(db: Db, id: number): Promise<boolean> {
  const result = await db.updateTable("chat_robots").set({ active: 0 }).where("id", "=", id).where("active", "=", 1).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

// ------------------------------------------------------------------------------ the job lock

/**
 * Takes or renews the named lock for `holder` until `until`; true when this holder has it. A lock
 * whose holder stopped renewing it (a process that died) is taken over once it expires.
 */
export async function acquireJobLock(db: Db, name: string, holder: string, now: string, until: string): Promise<boolean> {
  await db.insertInto("job_locks").values({ name, holder, expires_at: until }).onConflict((conflict) => conflict.column("name").doNothing()).execute();
  const result = await db
    .updateTable("job_locks")
    .set({ holder, expires_at: until })
    .where("name", "=", name)
    .where((eb) => eb.or([eb("holder", "=", holder), eb("expires_at", "<", now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function releaseJobLock(db: Db, name: string, holder: string): Promise<void> {
  await db.deleteFrom("job_locks").where("name", "=", name).where("holder", "=", holder).execute();
}

// ------------------------------------------------------------------------------ what the events name

export async function planName(db: Db, planId: number): Promise<{ fiscalYear: number; quarter: number; createdBy: number | null } | undefined> {
  return db.selectFrom("plans").select(["fiscal_year as fiscalYear", "quarter", "created_by as createdBy"]).where("id", "=", planId).executeTakeFirst();
}

export async function customerFacts(db: Db, customerId: number): Promise<{ code: string; name: string; ownerId: number | null } | undefined> {
  return (await customersFacts(db, [customerId])).get(customerId);
}

/** customerFacts for many customers at once, by id (those that exist). */
export async function customersFacts(db: Db, customerIds: readonly number[]): Promise<Map<number, { code: string; name: string; ownerId: number | null }>> {
  const facts = new Map<number, { code: string; name: string; ownerId: number | null }>();
  const ids = [...new Set(customerIds)];
  // a few hundred ids a statement: within every database's limit on parameters
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom("customers").select(["id", "code", "name", "owner_id as ownerId"]).where("id", "in", ids.slice(i, i + 500)).execute();
    for (const { id, ...row } of rows) facts.set(id, row);
  }
  return facts;
}

export async function reviewItemCustomer(db: Db, itemId: number): Promise<number | undefined> {
  const row = await db.selectFrom("credit_review_items").select("customer_id").where("id", "=", itemId).executeTakeFirst();
  return row?.customer_id;
}

// ------------------------------------------------------------------------------ time-based events

export interface DatedItem {
  id: number;
  planId: number;
  title: string;
  ownerId: number;
  dueDate: string;
}

/** Open items (not done, not cancelled) of a plan in force or submitted, owned, due between the two dates. */
export async function openItemsDueBetween(db: Db, from: string, to: string): Promise<DatedItem[]> {
  const rows = await db
    .selectFrom("plan_items as i")
    .innerJoin("plans as p", "p.id", "i.plan_id")
    .select(["i.id as id", "i.plan_id as planId", "i.title as title", "i.owner_id as ownerId", "i.due_date as dueDate"])
    .where("i.status", "not in", ["done", "cancelled"])
    .where("p.state", "in", ["submitted", "approved"])
    .where("i.owner_id", "is not", null)
    .where("i.due_date", ">=", from)
    .where("i.due_date", "<=", to)
    .orderBy("i.due_date")
    .orderBy("i.id")
    .execute();
  return rows.flatMap((row) => (row.ownerId !== null && row.dueDate !== null ? [{ ...row, ownerId: row.ownerId, dueDate: row.dueDate }] : []));
}

export interface DatedPromise {
  id: number;
  customerId: number;
  code: string;
  name: string;
  ownerId: number | null;
  dueOn: string;
  amount: number;
  paid: number;
  status: "pending" | "kept" | "broken";
}

/** Promises (and instalments) due between the two dates, with their customer. */
export async function promisesDueBetween(db: Db, from: string, to: string, ownerId: number | null = null): Promise<DatedPromise[]> {
  let query = db
    .selectFrom("payment_promises as p")
    .innerJoin("customers as c", "c.id", "p.customer_id")
    .select(["p.id as id", "p.customer_id as customerId", "c.code as code", "c.name as name", "c.owner_id as ownerId", "p.due_on as dueOn", "p.amount as amount", "p.paid as paid", "p.status as status"])
    .where("p.due_on", ">=", from)
    .where("p.due_on", "<=", to);
  if (ownerId !== null) query = query.where("c.owner_id", "=", ownerId);
  return query.orderBy("p.due_on").orderBy("p.id").execute();
}

// ------------------------------------------------------------------------------ digests

export async function ownedCustomersOverLimit(db: Db, ownerId: number): Promise<{ code: string; name: string; open: number; limit: number }[]> {
  const rows = await db
    .selectFrom("customers as c")
    .innerJoin("open_items as o", "o.customer_id", "c.id")
    .select((eb) => ["c.code as code", "c.name as name", "c.credit_limit as limit", eb.fn.sum<number>("o.open_amount").as("open")])
    .where("c.owner_id", "=", ownerId)
    .where("c.credit_limit", "is not", null)
    .groupBy(["c.id", "c.code", "c.name", "c.credit_limit"])
    .orderBy("c.code")
    .execute();
  return rows.flatMap((row) => (row.limit !== null && Number(row.open) > row.limit ? [{ code: row.code, name: row.name, open: Number(row.open), limit: row.limit }] : []));
}

/** The owner's customers with an open item that passed 60 days overdue in the week (due between the two dates). */
export async function ownedCustomersEntering61(db: Db, ownerId: number, dueFrom: string, dueTo: string): Promise<{ code: string; name: string; open: number }[]> {
  const rows = await db
    .selectFrom("customers as c")
    .innerJoin("open_items as o", "o.customer_id", "c.id")
    .select((eb) => ["c.code as code", "c.name as name", eb.fn.sum<number>("o.open_amount").as("open")])
    .where("c.owner_id", "=", ownerId)
    .where("o.due_date", ">=", dueFrom)
    .where("o.due_date", "<=", dueTo)
    .where("o.open_amount", ">", 0)
    .groupBy(["c.id", "c.code", "c.name"])
    .orderBy("c.code")
    .execute();
  return rows.map((row) => ({ code: row.code, name: row.name, open: Number(row.open) }));
}

export async function submittedPlans(db: Db): Promise<{ id: number; fiscalYear: number; quarter: number }[]> {
  return db.selectFrom("plans").select(["id", "fiscal_year as fiscalYear", "quarter"]).where("state", "=", "submitted").orderBy("id").execute();
}

export async function limitsAwaitingApproval(db: Db): Promise<{ reviewId: number; code: string; name: string }[]> {
  return db
    .selectFrom("credit_review_items as i")
    .innerJoin("customers as c", "c.id", "i.customer_id")
    .select(["i.review_id as reviewId", "c.code as code", "c.name as name"])
    .where("i.needs_approval", "=", 1)
    .where("i.decision", "is not", null)
    .where("i.approval_decision", "is", null)
    .orderBy("c.code")
    .execute();
}

export async function usersWithRole(db: Db, role: "head" | "staff" | "leader" | "admin"): Promise<Recipient[]> {
  return activeUsers(db, { roles: [role] });
}

export async function eventRecorded(db: Db, dedupeKey: string): Promise<boolean> {
  return (await db.selectFrom("notification_events").select("id").where("dedupe_key", "=", dedupeKey).executeTakeFirst()) !== undefined;
}

// ------------------------------------------------------------------------------ the administrator's outbox view

export type OutboxStatus = "pending" | "sent" | "failed";

export interface OutboxListRow {
  id: number;
  channel: "email" | "chat";
  recipient: string;
  subject: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string;
  createdAt: string;
  sentAt: string | null;
  attachmentName: string | null;
}

/** A page of the outbox, newest first; never the message bodies or attachments. */
export async function outboxPage(db: Db, options: { status: OutboxStatus | null; limit: number; offset: number }): Promise<OutboxListRow[]> {
  let query = db
    .selectFrom("notification_outbox")
    .select([
      "id",
      "channel",
      "recipient",
      "subject",
      "status",
      "attempts",
      "last_error as lastError",
      "next_attempt_at as nextAttemptAt",
      "created_at as createdAt",
      "sent_at as sentAt",
      "attachment_name as attachmentName",
    ]);
  if (options.status) query = query.where("status", "=", options.status);
  return query.orderBy("id", "desc").limit(options.limit).offset(options.offset).execute();
}

export async function outboxCounts(db: Db): Promise<Record<OutboxStatus, number>> {
  const rows = await db.selectFrom("notification_outbox").select((eb) => ["status", eb.fn.countAll<number>().as("count")]).groupBy("status").execute();
  const counts: Record<OutboxStatus, number> = { pending: 0, sent: 0, failed: 0 };
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

export async function outboxMessage(db: Db, id: number): Promise<{ id: number; status: OutboxStatus; attempts: number; nextAttemptAt: string } | undefined> {
  return db.selectFrom("notification_outbox").select(["id", "status", "attempts", "next_attempt_at as nextAttemptAt"]).where("id", "=", id).executeTakeFirst();
}

/** Makes a waiting or failed message due now; false when it was sent (or is gone) meanwhile. */
export async function makeOutboxDue(db: Db, id: number, at: string): Promise<boolean> {
  const result = await db.updateTable("notification_outbox").set({ status: "pending", next_attempt_at: at }).where("id", "=", id).where("status", "in", ["pending", "failed"]).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Early warnings raised between the two dates and still open or acknowledged, most severe first (the head's digest). */
export async function warningsRaisedBetween(
  db: Db,
  from: string,
  to: string,
): Promise<{ kind: string; severity: string; code: string | null; name: string | null; ownerName: string | null }[]> {
  const rows = await db
    .selectFrom("warnings as w")
    .leftJoin("customers as c", "c.id", "w.customer_id")
    .leftJoin("users as o", "o.id", "w.owner_id")
    .select(["w.rule_kind as kind", "w.severity as severity", "c.code as code", "c.name as name", "o.name as ownerName"])
    .where("w.raised_on", ">=", from)
    .where("w.raised_on", "<=", to)
    .where("w.state", "in", ["open", "acknowledged"])
    .orderBy("w.id")
    .execute();
  const rank: Record<string, number> = { critical: 0, warning: 1, info: 2 };
  return rows.sort((a, b) => (rank[a.severity] ?? 3) - (rank[b.severity] ?? 3));
}

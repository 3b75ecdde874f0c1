/**
 * The events other features raise, one call each from inside their transaction: who hears of it
 * and with which words is decided here, so their use cases grow by one line.
 */
import type { Db } from "~/server/db.server";
import { mentionedUserIds } from "~/features/notifications/events";
import { NotifyLookups, notify } from "~/features/notifications/notify.server";
import { SEVERITIES } from "~/features/warnings";
import { activeUsers, customerFacts, customersFacts, planName, usersForMentions } from "~/features/notifications/queries.server";

async function roleIds(db: Db, role: "head" | "leader"): Promise<number[]> {
  return (await activeUsers(db, { roles: [role] })).map((user) => user.id);
}

async function actorName(db: Db, actorId: number): Promise<string> {
  return (await activeUsers(db, { ids: [actorId] }))[0]?.name ?? "";
}

function planLabel(plan: { fiscalYear: number; quarter: number }): string {
  return `${plan.fiscalYear} Q${plan.quarter}`;
}

/** Submitted: leadership decides. Returned or approved: the plan's author and the heads. */
export async function planTransitioned(db: Db, input: { planId: number; type: string; actorId: number; note?: string | null }, now = new Date()): Promise<void> {
  const kind = input.type === "submitted" ? "plan_submitted" : input.type === "returned" ? "plan_returned" : input.type === "approved" ? "plan_approved" : null;
  if (!kind) return;
  const plan = await planName(db, input.planId);
  if (!plan) return;
  const recipients = kind === "plan_submitted" ? await roleIds(db, "leader") : [...(plan.createdBy === null ? [] : [plan.createdBy]), ...(await roleIds(db, "head"))];
  await notify(
    db,
    { kind, params: { plan: planLabel(plan), actor: await actorName(db, input.actorId), note: input.note ?? "" }, link: `/plans/${input.planId}`, actorId: input.actorId, recipients },
    now,
  );
}

/** An item given to a new owner (created with one, or its owner changed). */
export async function itemAssigned(db: Db, input: { planId: number; itemId: number; title: string; ownerId: number | null; actorId: number }, now = new Date()): Promise<void> {
  if (input.ownerId === null) return;
  const plan = await planName(db, input.planId);
  if (!plan) return;
  await notify(
    db,
    {
      kind: "item_assigned",
      params: { item: input.title, plan: planLabel(plan), actor: await actorName(db, input.actorId) },
      link: `/plans/${input.planId}/items/${input.itemId}`,
      actorId: input.actorId,
      recipients: [input.ownerId],
    },
    now,
  );
}

/**
 * A comment: the people it @mentions are told they were mentioned; the item's owner (or, on the
 * plan itself, its author) that there is a comment, unless mentioned already.
 */
export async function commentAdded(
  db: Db,
  input: { planId: number; item: { id: number; title: string; ownerId: number | null } | null; body: string; actorId: number },
  now = new Date(),
): Promise<void> {
  const plan = await planName(db, input.planId);
  if (!plan) return;
  const mentioned = mentionedUserIds(input.body, await usersForMentions(db));
  const concerned = input.item ? input.item.ownerId : plan.createdBy;
  const params = {
    target: input.item ? input.item.title : planLabel(plan),
    actor: await actorName(db, input.actorId),
    body: input.body.length > 200 ? `${input.body.slice(0, 197)}...` : input.body,
  };
  const link = input.item ? `/plans/${input.planId}/items/${input.item.id}` : `/plans/${input.planId}`;
  await notify(db, { kind: "mentioned", params, link, actorId: input.actorId, recipients: mentioned }, now);
  if (concerned !== null && !mentioned.includes(concerned)) {
    await notify(db, { kind: "item_commented", params, link, actorId: input.actorId, recipients: [concerned] }, now);
  }
}

/** A hold set (kind) or released (null): the customer's owner and the heads. */
export async function holdChanged(db: Db, input: { customerId: number; kind: string | null; actorId: number }, now = new Date()): Promise<void> {
  const customer = await customerFacts(db, input.customerId);
  if (!customer) return;
  const recipients = [...(customer.ownerId === null ? [] : [customer.ownerId]), ...(await roleIds(db, "head"))];
  await notify(
    db,
    {
      kind: input.kind === null ? "hold_released" : "hold_set",
      params: { customer: `${customer.code} ${customer.name}`, actor: await actorName(db, input.actorId), ...(input.kind === null ? {} : { hold: input.kind }) },
      link: `/customers/${encodeURIComponent(customer.code)}`,
      actorId: input.actorId,
      recipients,
    },
    now,
  );
}

/** A review decision that needs leadership's approval (a large limit increase). */
export async function limitAwaitingApproval(
  db: Db,
  input: { reviewId: number; customerId: number; limit: number | null; actorId: number },
  now = new Date(),
): Promise<void> {
  const customer = await customerFacts(db, input.customerId);
  if (!customer) return;
  await notify(
    db,
    {
      kind: "limit_awaiting_approval",
      params: { customer: `${customer.code} ${customer.name}`, actor: await actorName(db, input.actorId), ...(input.limit === null ? {} : { amount: input.limit }) },
      link: `/credit/review/${input.reviewId}`,
      actorId: input.actorId,
      recipients: await roleIds(db, "leader"),
    },
    now,
  );
}

/** An import that ended, told to whoever started it. */
export async function importEnded(db: Db, input: { runId: number; userId: number | null; ok: boolean; files: number }, now = new Date()): Promise<void> {
  if (input.userId === null) return;
  await notify(
    db,
    {
      kind: input.ok ? "import_finished" : "import_failed",
      params: { files: input.files },
      link: `/import/runs/${input.runId}`,
      actorId: null,
      recipients: [input.userId],
      dedupeKey: `import:${input.runId}`,
    },
    now,
  );
}

/** More new warnings than this for one person in one sweep reach them as one notice, not one each. */
export const WARNINGS_ONE_BY_ONE = 10;

/**
 * Early warnings just raised: a customer's to the customer's owner (the heads when it has none),
 * an owner's own (their overdue growing) to the heads. Each warning is told once. Someone who
 * would be told of more than WARNINGS_ONE_BY_ONE at once (a first import can raise thousands, by
 * e-mail too) is told once instead: how many, the highest severity, and a link to the list.
 */
export async function warningsRaised(
  db: Db,
  warnings: readonly { id: number; kind: string; severity: string; customerId: number | null; ownerId: number | null }[],
  now = new Date(),
): Promise<void> {
  if (warnings.length === 0) return;
  const heads = await roleIds(db, "head");
  // a sweep after a first import raises thousands: the customers in one read, the recipients once each
  const customers = await customersFacts(db, warnings.flatMap((warning) => (warning.customerId === null ? [] : [warning.customerId])));
  const lookups = new NotifyLookups(db);
  const told: { warning: (typeof warnings)[number]; subject: string; recipients: number[] }[] = [];
  for (const warning of warnings) {
    if (warning.customerId !== null) {
      const customer = customers.get(warning.customerId);
      if (!customer) continue;
      told.push({ warning, subject: `${customer.code} ${customer.name}`, recipients: customer.ownerId === null ? heads : [customer.ownerId] });
    } else {
      if (warning.ownerId === null) continue;
      told.push({ warning, subject: await actorName(db, warning.ownerId), recipients: heads });
    }
  }
  const byRecipient = new Map<number, (typeof warnings)[number][]>();
  for (const { warning, recipients } of told) {
    for (const id of recipients) {
      const list = byRecipient.get(id);
      if (list) list.push(warning);
      else byRecipient.set(id, [warning]);
    }
  }
  const summarised = new Set([...byRecipient].filter(([, list]) => list.length > WARNINGS_ONE_BY_ONE).map(([id]) => id));
  for (const { warning, subject, recipients } of told) {
    const oneByOne = recipients.filter((id) => !summarised.has(id));
    if (oneByOne.length === 0) continue;
    await notify(
      db,
      {
        kind: "warning_raised",
        params: { subject, rule: warning.kind, severity: warning.severity },
        link: `/warnings/${warning.id}`,
        actorId: null,
        recipients: oneByOne,
        dedupeKey: `warning:${warning.id}`,
      },
      now,
      lookups,
    );
  }
  for (const id of summarised) {
    const list = byRecipient.get(id) ?? [];
    const rank = (severity: string) => SEVERITIES.findIndex((known) => known === severity);
    const severity = list.reduce((top, w) => (rank(w.severity) > rank(top) ? w.severity : top), "info");
    const first = list.reduce((min, w) => Math.min(min, w.id), Infinity);
    const last = list.reduce((max, w) => Math.max(max, w.id), -Infinity);
    await notify(
      db,
      {
        kind: "warning_raised",
        params: { count: list.length, severity },
        link: "/warnings",
        actorId: null,
        recipients: [id],
        dedupeKey: `warnings:${first}-${last}:${id}`,
      },
      now,
      lookups,
    );
  }
}

/** A provision run drafted (or drafted again): leadership approves it. */
export async function provisionRunDrafted(db: Db, input: { runId: number; periodEnd: string; total: number; actorId: number }, now = new Date()): Promise<void> {
  await notify(
    db,
    {
      kind: "provision_run_drafted",
      params: { date: input.periodEnd, amount: input.total, actor: await actorName(db, input.actorId) },
      link: `/provisions/runs/${input.runId}`,
      actorId: input.actorId,
      recipients: await roleIds(db, "leader"),
    },
    now,
  );
}

/** A provision run approved: whoever drafted it and the heads. */
export async function provisionRunApproved(
  db: Db,
  input: { runId: number; periodEnd: string; total: number; draftedBy: number | null; actorId: number },
  now = new Date(),
): Promise<void> {
  await notify(
    db,
    {
      kind: "provision_run_approved",
      params: { date: input.periodEnd, amount: input.total, actor: await actorName(db, input.actorId) },
      link: `/provisions/runs/${input.runId}`,
      actorId: input.actorId,
      recipients: [...(input.draftedBy === null ? [] : [input.draftedBy]), ...(await roleIds(db, "head"))],
    },
    now,
  );
}

/** A status table published (or corrected) for leadership; a comment on one, for the heads. */
export async function statusPublicationEvent(
  db: Db,
  input: { kind: "status_published" | "status_commented"; month: string; version: number; body?: string; actorId: number },
  now = new Date(),
): Promise<void> {
  const body = input.body ?? "";
  await notify(
    db,
    {
      kind: input.kind,
      params: { month: input.month, version: input.version, actor: await actorName(db, input.actorId), body: body.length > 200 ? `${body.slice(0, 197)}...` : body },
      link: `/status/published/${input.month}`,
      actorId: input.actorId,
      recipients: await roleIds(db, input.kind === "status_published" ? "leader" : "head"),
    },
    now,
  );
}

import type { Db } from "~/server/db.server";
import { recordAudit } from "~/features/audit/index.server";
import { loadPromiseStatuses } from "~/features/credit/collection-actions/index.server";
import { ruleFromStored } from "~/features/warnings/schema";
import {
  type CustomerBalance,
  type CustomerPayments,
  type OpenInvoice,
  type OwnerOverdue,
  type PromiseOutcome,
  type Severity,
  type StoredWarning,
  type SweepPlan,
  type WarningKind,
  type WarningRule,
  type WarningState,
  WARNING_KINDS,
  rulesVersion,
} from "~/features/warnings/rules";
import { addDays } from "~/kernel/dates";
import type { LedgerScope } from "~/kernel/ledger/scope";
import type { IsoDate } from "~/kernel/ledger/types";

/** The warning rules' SQL: the rules the head edits, the sweep's inputs and the stored warnings. */

export interface StoredRules {
  rules: WarningRule[];
  version: string;
  updatedAt: string | null;
  updatedByName: string | null;
}

/** The rules in their order; a row this code cannot read is left out (and not evaluated). */
export async function getWarningRules(db: Db): Promise<StoredRules> {
  const rows = await db
    .selectFrom("warning_rules")
    .leftJoin("users", "users.id", "warning_rules.updated_by")
    .select(["warning_rules.kind", "warning_rules.params", "warning_rules.severity", "warning_rules.enabled", "warning_rules.updated_at", "users.name as updatedByName"])
    .orderBy("warning_rules.position")
    .execute();
  const rules = rows.flatMap((row) => {
    const rule = ruleFromStored(row);
    return rule ? [rule] : [];
  });
  const latest = rows.reduce<(typeof rows)[number] | null>((best, row) => (best === null || row.updated_at > best.updated_at ? row : best), null);
  return { rules, version: rulesVersion(rules), updatedAt: latest?.updated_at ?? null, updatedByName: latest?.updatedByName ?? null };
}

export type SaveRulesResult = { ok: true; changed: boolean } | { ok: false; current: WarningRule[] };

/** Writes the changed rules in one transaction, audited with before and after; a save based on other rules is refused. */
export async function saveWarningRules(db: Db, rules: readonly WarningRule[], userId: number, basedOn: string, now = new Date()): Promise<SaveRulesResult> {
  return db.transaction().execute(async (trx) => {
    const before = await getWarningRules(trx);
    if (rulesVersion(rules) === before.version) return { ok: true as const, changed: false };
    if (basedOn !== before.version) return { ok: false as const, current: before.rules };
    const at = now.toISOString();
    for (const rule of rules) {
      const old = before.rules.find((r) => r.kind === rule.kind);
      if (old && JSON.stringify(old) === JSON.stringify(rule)) continue;
      await trx
        .updateTable("warning_rules")
        .set({ params: JSON.stringify(rule.params), severity: rule.severity, enabled: rule.enabled ? 1 : 0, updated_by: userId, updated_at: at })
        .where("kind", "=", rule.kind)
        .execute();
    }
    await recordAudit(trx, { userId, entity: "warning_rules", entityId: "rules", action: "update", before: before.rules, after: rules }, now);
    return { ok: true as const, changed: true };
  });
}

// ---------------------------------------------------------------------------------------------
// The sweep's inputs: figures already kept at import, read once per sweep

/** Invoices paid from `since` to `until` (invoice_paid_dates, kept by the import's sweep). */
export async function paidInvoicesBetween(db: Db, since: IsoDate, until: IsoDate): Promise<CustomerPayments[]> {
  const rows = await db
    .selectFrom("invoice_paid_dates as p")
    .innerJoin("customers as c", "c.id", "p.customer_id")
    .select(["p.customer_id as customerId", "c.owner_id as ownerId", "p.due_date as dueDate", "p.paid_on as paidOn", "p.amount"])
    .where("p.paid_on", ">=", since)
    .where("p.paid_on", "<=", until)
    .orderBy("p.customer_id")
    .execute();
  const byCustomer = new Map<number, CustomerPayments & { paid: CustomerPayments["paid"][number][] }>();
  for (const row of rows) {
    if (row.paidOn === null) continue;
    const entry = byCustomer.get(row.customerId) ?? { customerId: row.customerId, ownerId: row.ownerId, paid: [] };
    entry.paid.push({ dueDate: row.dueDate, paidOn: row.paidOn, amount: row.amount });
    byCustomer.set(row.customerId, entry);
  }
  return [...byCustomer.values()];
}

/** Every promise and instalment with its status as of `today`, with the customer's owner. */
export async function promiseOutcomes(db: Db, today: IsoDate): Promise<PromiseOutcome[]> {
  const [statuses, owners] = await Promise.all([
    loadPromiseStatuses(db, null, today),
    db.selectFrom("customers").select(["id", "owner_id"]).where("id", "in", db.selectFrom("payment_promises").select("customer_id")).execute(),
  ]);
  const ownerOf = new Map(owners.map((row) => [row.id, row.owner_id]));
  return statuses.map((row) => ({
    customerId: row.customerId,
    ownerId: ownerOf.get(row.customerId) ?? null,
    dueOn: row.dueOn,
    amount: row.amount,
    paid: row.paid,
    status: row.status,
  }));
}

/** Each customer with a credit limit and its open balance (open_items, kept at import) from invoices issued by `today`. */
export async function balancesAgainstLimits(db: Db, today: IsoDate): Promise<CustomerBalance[]> {
  const rows = await db
    .selectFrom("customers as c")
    .innerJoin("open_items as o", "o.customer_id", "c.id")
    .select((eb) => ["c.id as customerId", "c.owner_id as ownerId", "c.credit_limit as limit", eb.fn.sum<number>("o.open_amount").as("balance")])
    .where("c.credit_limit", "is not", null)
    .where("o.issue_date", "<=", today)
    .groupBy(["c.id", "c.owner_id", "c.credit_limit"])
    .execute();
  return rows.map((row) => ({ customerId: row.customerId, ownerId: row.ownerId, limit: row.limit, balance: Number(row.balance) }));
}

/** Open invoices due from `today` − 90 to `today` − 61 (61–90 days overdue today). */
export async function invoicesDue61To90(db: Db, today: IsoDate): Promise<OpenInvoice[]> {
  const rows = await db
    .selectFrom("open_items as o")
    .innerJoin("invoices as i", "i.id", "o.invoice_id")
    .innerJoin("customers as c", "c.id", "o.customer_id")
    .select(["o.invoice_id as invoiceId", "i.invoice_no as invoiceNo", "o.customer_id as customerId", "c.owner_id as ownerId", "o.due_date as dueDate", "o.open_amount as openAmount"])
    .where("o.due_date", ">=", addDays(today, -90))
    .where("o.due_date", "<=", addDays(today, -61))
    .where("o.issue_date", "<=", today)
    .execute();
  return rows;
}

/** Each owner's overdue (aging past due, the KPI summaries) at each month end, aligned with `monthEnds`. */
export async function ownerOverdueAt(db: Db, monthEnds: readonly IsoDate[]): Promise<OwnerOverdue[]> {
  const scopes = await db.selectFrom("kpi_scopes").select(["id", "key"]).where("kind", "=", "owner").execute();
  if (scopes.length === 0 || monthEnds.length === 0) return [];
  const perEnd = await Promise.all(
    monthEnds.map((end) =>
      db
        .selectFrom("kpi_daily_summaries as s")
        .select((eb) => [
          "s.scope_id as scopeId",
          eb(eb(eb(eb(eb("s.aging_1_30", "+", eb.ref("s.aging_31_60")), "+", eb.ref("s.aging_61_90")), "+", eb.ref("s.aging_91_180")), "+", eb.ref("s.aging_181_365")), "+", eb.ref("s.aging_over_365")).as("overdue"),
        ])
        .where(
          "s.scope_id",
          "in",
          scopes.map((scope) => scope.id),
        )
        .where("s.day", "=", (eb) => eb.selectFrom("kpi_daily_summaries as q").select((q) => q.fn.max("q.day").as("day")).whereRef("q.scope_id", "=", "s.scope_id").where("q.day", "<=", end))
        .execute(),
    ),
  );
  return scopes.flatMap((scope) => {
    const ownerId = Number(scope.key);
    if (!Number.isInteger(ownerId) || ownerId <= 0) return [];
    const overdue = perEnd.map((rows) => {
      const row = rows.find((r) => r.scopeId === scope.id);
      return row ? Number(row.overdue) : null;
    });
    return [{ ownerId, overdue }];
  });
}

// ---------------------------------------------------------------------------------------------
// The stored warnings

/** The latest warning of every rule and subject (the sweep compares findings with these). */
export async function latestWarnings(db: Db): Promise<StoredWarning[]> {
  const rows = await db
    .selectFrom("warnings as w")
    .select(["w.id", "w.rule_kind as kind", "w.subject_key as subjectKey", "w.state", "w.resolution", "w.cleared_on as clearedOn", "w.severity", "w.reasons", "w.owner_id as ownerId"])
    .where("w.id", "in", (eb) => eb.selectFrom("warnings").select((q) => q.fn.max("id").as("id")).groupBy(["rule_kind", "subject_key"]))
    .execute();
  return rows;
}

/** Writes one sweep's plan in the caller's transaction; returns the warnings it raised. */
export async function applySweep(
  db: Db,
  plan: SweepPlan,
  today: IsoDate,
  now: Date,
): Promise<{ id: number; kind: string; severity: string; customerId: number | null; ownerId: number | null }[]> {
  const at = now.toISOString();
  const raised: { id: number; kind: string; severity: string; customerId: number | null; ownerId: number | null }[] = [];
  for (const finding of plan.raise) {
    const row = await db
      .insertInto("warnings")
      .values({
        rule_kind: finding.kind,
        subject_key: finding.subjectKey,
        customer_id: finding.customerId,
        invoice_id: finding.invoiceId,
        owner_id: finding.ownerId,
        severity: finding.severity,
        reasons: JSON.stringify(finding.reasons),
        raised_on: today,
        last_seen_on: today,
        state: "open",
        created_at: at,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    raised.push({ id: row.id, kind: finding.kind, severity: finding.severity, customerId: finding.customerId, ownerId: finding.ownerId });
  }
  for (const { id, finding, severity } of plan.refresh) {
    await db
      .updateTable("warnings")
      .set({ reasons: JSON.stringify(finding.reasons), severity, owner_id: finding.ownerId, last_seen_on: today })
      .where("id", "=", id)
      .execute();
  }
  for (const { id, resolution } of plan.close) {
    await db
      .updateTable("warnings")
      .set((eb) => ({ state: "resolved", resolution, resolved_on: today, cleared_on: today, version: eb("version", "+", 1) }))
      .where("id", "=", id)
      .where("state", "!=", "resolved")
      .execute();
  }
  if (plan.markCleared.length > 0) await db.updateTable("warnings").set({ cleared_on: today }).where("id", "in", plan.markCleared).execute();
  return raised;
}

export interface WarningFilter {
  severity: Severity | null;
  state: WarningState | "active" | null;
  ownerId: number | null;
}

export interface WarningRow {
  id: number;
  kind: WarningKind;
  severity: Severity;
  state: WarningState;
  reasons: string;
  raisedOn: IsoDate;
  lastSeenOn: IsoDate;
  resolvedOn: IsoDate | null;
  resolution: "person" | "cleared" | "rule_off" | null;
  note: string;
  actedAt: string | null;
  actedByName: string | null;
  version: number;
  customerCode: string | null;
  customerName: string | null;
  customerId: number | null;
  customerOwnerId: number | null;
  ownerId: number | null;
  ownerName: string | null;
}

function scoped(db: Db, scope: LedgerScope) {
  let query = db
    .selectFrom("warnings as w")
    .leftJoin("customers as c", "c.id", "w.customer_id")
    .leftJoin("users as o", "o.id", "w.owner_id")
    .leftJoin("users as a", "a.id", "w.acted_by");
  // Staff see their own customers' warnings and their own book's (the ledger scope).
  if (scope.kind === "owner") {
    query = query.where((eb) =>
      eb.or([
        eb.and([eb("w.customer_id", "is not", null), eb("c.owner_id", "=", scope.ownerId)]),
        eb.and([eb("w.customer_id", "is", null), eb("w.owner_id", "=", scope.ownerId)]),
      ]),
    );
  }
  return query;
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

function rowsQuery(db: Db, scope: LedgerScope) {
  return scoped(db, scope).select([
    "w.id",
    "w.rule_kind as kind",
    "w.severity",
    "w.state",
    "w.reasons",
    "w.raised_on as raisedOn",
    "w.last_seen_on as lastSeenOn",
    "w.resolved_on as resolvedOn",
    "w.resolution",
    "w.note",
    "w.acted_at as actedAt",
    "a.name as actedByName",
    "w.version",
    "c.code as customerCode",
    "c.name as customerName",
    "w.customer_id as customerId",
    "c.owner_id as customerOwnerId",
    "w.owner_id as ownerId",
    "o.name as ownerName",
  ]);
}

type RawRow = Awaited<ReturnType<ReturnType<typeof rowsQuery>["execute"]>>[number];

function toRow(row: RawRow): WarningRow[] {
  const kind = isKind(row.kind);
  return kind ? [{ ...row, kind }] : [];
}

/** The warnings the scope sees, most severe and newest first; at most `limit`. */
export async function listWarnings(db: Db, scope: LedgerScope, filter: WarningFilter, limit = 500): Promise<WarningRow[]> {
  let query = rowsQuery(db, scope);
  if (filter.severity) query = query.where("w.severity", "=", filter.severity);
  if (filter.state === "active") query = query.where("w.state", "in", ["open", "acknowledged"]);
  else if (filter.state) query = query.where("w.state", "=", filter.state);
  if (filter.ownerId !== null) query = query.where("w.owner_id", "=", filter.ownerId);
  const rows = await query.orderBy("w.raised_on", "desc").orderBy("w.id", "desc").limit(limit).execute();
  return rows.flatMap(toRow).sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

/** One warning, if the scope sees it. */
export async function warningById(db: Db, scope: LedgerScope, id: number): Promise<WarningRow | null> {
  const row = await rowsQuery(db, scope).where("w.id", "=", id).executeTakeFirst();
  return row ? (toRow(row)[0] ?? null) : null;
}

function isKind(kind: string): WarningKind | null {
  return WARNING_KINDS.find((k) => k === kind) ?? null;
}

/** Open and acknowledged warnings the scope sees, by severity. */
export async function countActiveWarnings(db: Db, scope: LedgerScope): Promise<Record<Severity, number>> {
  const rows = await scoped(db, scope)
    .select((eb) => ["w.severity", eb.fn.countAll<number>().as("count")])
    .where("w.state", "in", ["open", "acknowledged"])
    .groupBy("w.severity")
    .execute();
  const counts: Record<Severity, number> = { info: 0, warning: 0, critical: 0 };
  for (const row of rows) counts[row.severity] = Number(row.count);
  return counts;
}

/** The owners who have warnings (the list's owner filter). */
export async function warningOwners(db: Db): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom("users")
    .select(["id", "name"])
    .where("id", "in", (eb) => eb.selectFrom("warnings").select("owner_id").where("owner_id", "is not", null))
    .orderBy("name")
    .execute()
    .then((rows) => rows.map((row) => ({ id: row.id, name: row.name })));
}

/** One warning with what the permission check needs: its state, version and the owner of its customer or book. */
export async function findWarning(db: Db, id: number) {
  return db
    .selectFrom("warnings as w")
    .leftJoin("customers as c", "c.id", "w.customer_id")
    .select(["w.id", "w.state", "w.version", "w.note", "w.customer_id as customerId", "w.owner_id as ownerId", "c.owner_id as customerOwnerId"])
    .where("w.id", "=", id)
    .executeTakeFirst();
}

/** Acknowledges or resolves a warning if it still has `version`; false when someone changed it first. */
export async function updateWarningState(
  db: Db,
  id: number,
  version: number,
  change: { state: "acknowledged" | "resolved"; note: string; userId: number; today: IsoDate },
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable("warnings")
    .set((eb) => ({
      state: change.state,
      note: change.note,
      acted_by: change.userId,
      acted_at: now.toISOString(),
      version: eb("version", "+", 1),
      ...(change.state === "resolved" ? { resolved_on: change.today, resolution: "person" as const } : {}),
    }))
    .where("id", "=", id)
    .where("version", "=", version)
    .where("state", "!=", "resolved")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The KPI-linked items with a target of every plan not yet closed whose KPI is one of `kpis`,
 * not done or cancelled, due on or after `today` (the item's due date, else its plan's end).
 */
export async function openLinkedItems(db: Db, kpis: readonly string[], today: IsoDate) {
  const rows = await db
    .selectFrom("plan_items as i")
    .innerJoin("plans as p", "p.id", "i.plan_id")
    .select(["i.id as itemId", "i.plan_id as planId", "i.title", "i.owner_id as ownerId", "i.kpi_key as kpi", "i.kpi_scope as scope", "i.kpi_better as better", "i.kpi_target as target", "i.due_date as dueDate", "p.end_date as planEnd"])
    .where("p.state", "!=", "closed")
    .where("i.status", "not in", ["done", "cancelled"])
    .where("i.kpi_key", "in", [...kpis])
    .where("i.kpi_target", "is not", null)
    .where("i.kpi_scope", "is not", null)
    .orderBy("i.id")
    .execute();
  return rows.flatMap((row) => {
    const dueDate = row.dueDate ?? row.planEnd;
    if (row.target === null || row.scope === null || row.kpi === null || dueDate < today) return [];
    return [{ ...row, kpi: row.kpi, scope: row.scope, target: row.target, dueDate }];
  });
}

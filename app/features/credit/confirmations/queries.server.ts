import { type ExpressionBuilder, sql } from "kysely";

import type { Database } from "../../../../db/schema";
import type { Db } from "~/server/db.server";
import {
  type ConfirmationChannel,
  type ConfirmationForRates,
  type ConfirmationResult,
  type ConfirmationState,
  type StoredConfirmation,
  confirmationState,
} from "~/features/credit/confirmations/confirmations";
import type { LedgerScope } from "~/kernel/ledger/scope";
import type { IsoDate } from "~/kernel/ledger/types";
import { recordAudit } from "~/features/audit/index.server";

/**
 * Balance confirmation batches and their rows (对账, migration 08). A row's balance is the
 * customer's `ar_total` at the end of the period-end day, read from the status table's open runs
 * (`status_open_runs`, the same sweep the KPI engine's month-end positions come from): gross open
 * receivables. Unapplied credit only remains once every invoice is settled, so for every customer
 * with something open this is also the net balance; customers holding only a credit are not asked.
 *
 * Who sees a row: staff the rows of the customers they own now (`customers.owner_id`); the owner
 * and region stored on the row are the batch's snapshot, which the rates group by.
 */

const CHUNK = 500;

export interface BatchFilters {
  state?: ConfirmationState;
  /** snapshot owner id, or "none" */
  owner?: number | "none";
  region?: string;
}

export interface BatchSummary {
  id: number;
  name: string;
  periodEnd: IsoDate;
  createdAt: string;
  createdByName: string | null;
  closedAt: string | null;
  customers: number;
  sent: number;
  returned: number;
  mismatched: number;
  openFollowUps: number;
}

export interface ConfirmationRow extends StoredConfirmation {
  id: number;
  batchId: number;
  customerId: number;
  customerCode: string;
  customerName: string;
  /** the customer's owner now (who may record on the row) */
  currentOwnerId: number | null;
  /** the batch's snapshot */
  ownerId: number | null;
  ownerName: string | null;
  region: string | null;
  state: ConfirmationState;
  updatedAt: string;
  /** raised by every change; a record form posts the one it showed, so a stale one is refused */
  version: number;
}

function stateCondition(eb: ExpressionBuilder<Database & { b: Database["balance_confirmations"] }, "b">, state: ConfirmationState) {
  switch (state) {
    case "not_sent":
      return eb("b.sent_on", "is", null);
    case "awaiting":
      return eb.and([eb("b.sent_on", "is not", null), eb("b.result", "is", null)]);
    case "matched":
      return eb("b.result", "=", "matched");
    case "mismatch_open":
      return eb.and([eb("b.result", "=", "mismatched"), eb("b.resolved_on", "is", null)]);
    case "mismatch_resolved":
      return eb.and([eb("b.result", "=", "mismatched"), eb("b.resolved_on", "is not", null)]);
    case "not_returned":
      return eb("b.result", "=", "not_returned");
  }
}

function batchRowsQuery(db: Db, batchId: number, scope: LedgerScope, filters: BatchFilters) {
  let query = db
    .selectFrom("balance_confirmations as b")
    .innerJoin("customers as c", "c.id", "b.customer_id")
    .where("b.batch_id", "=", batchId);
  if (scope.kind === "owner") query = query.where("c.owner_id", "=", scope.ownerId);
  if (filters.owner === "none") query = query.where("b.owner_id", "is", null);
  else if (filters.owner !== undefined) query = query.where("b.owner_id", "=", filters.owner);
  if (filters.region) query = query.where("b.region", "=", filters.region);
  const state = filters.state;
  // the builder's joined-table type is wider than stateCondition's parameter; it only uses columns both have
  if (state) query = query.where((eb) => stateCondition(eb as never, state));
  return query;
}

interface RawRow {
  id: number;
  batch_id: number;
  customer_id: number;
  customer_code: string;
  customer_name: string;
  current_owner_id: number | null;
  owner_id: number | null;
  owner_name: string | null;
  region: string | null;
  our_balance: number;
  sent_on: string | null;
  channel: ConfirmationChannel | null;
  returned_on: string | null;
  result: ConfirmationResult | null;
  difference: number;
  note: string;
  resolved_on: string | null;
  resolution_note: string | null;
  updated_at: string;
  version: number;
}

function rowOf(row: RawRow): ConfirmationRow {
  const stored = {
    ourBalance: Number(row.our_balance),
    sentOn: row.sent_on,
    channel: row.channel,
    returnedOn: row.returned_on,
    result: row.result,
    difference: Number(row.difference),
    note: row.note,
    resolvedOn: row.resolved_on,
    resolutionNote: row.resolution_note,
  };
  return {
    ...stored,
    id: row.id,
    batchId: row.batch_id,
    customerId: row.customer_id,
    customerCode: row.customer_code,
    customerName: row.customer_name,
    currentOwnerId: row.current_owner_id,
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    region: row.region,
    state: confirmationState(stored),
    updatedAt: row.updated_at,
    version: Number(row.version),
  };
}

function withRowColumns<Q extends ReturnType<typeof batchRowsQuery>>(query: Q) {
  return query
    .leftJoin("users as o", "o.id", "b.owner_id")
    .select([
      "b.id",
      "b.batch_id",
      "b.customer_id",
      "c.code as customer_code",
      "c.name as customer_name",
      "c.owner_id as current_owner_id",
      "b.owner_id",
      "o.name as owner_name",
      "b.region",
      "b.our_balance",
      "b.sent_on",
      "b.channel",
      "b.returned_on",
      "b.result",
      "b.difference",
      "b.note",
      "b.resolved_on",
      "b.resolution_note",
      "b.updated_at",
      "b.version",
    ]);
}

// ---------------------------------------------------------------- batches

const countWhen = (condition: string) => sql<number>`sum(CASE WHEN ${sql.raw(condition)} THEN 1 ELSE 0 END)`;

/** Every batch, newest period first, with its counts over the rows in the viewer's scope. */
export async function listBatches(db: Db, scope: LedgerScope): Promise<BatchSummary[]> {
  const batches = await db
    .selectFrom("confirmation_batches as cb")
    .leftJoin("users as u", "u.id", "cb.created_by")
    .select(["cb.id", "cb.name", "cb.period_end", "cb.created_at", "cb.closed_at", "u.name as created_by_name"])
    .orderBy("cb.period_end", "desc")
    .orderBy("cb.id", "desc")
    .execute();
  let counts = db
    .selectFrom("balance_confirmations as b")
    .innerJoin("customers as c", "c.id", "b.customer_id")
    .select([
      "b.batch_id",
      (eb) => eb.fn.countAll<number>().as("customers"),
      countWhen("b.sent_on IS NOT NULL").as("sent"),
      countWhen("b.returned_on IS NOT NULL").as("returned"),
      countWhen("b.result = 'mismatched'").as("mismatched"),
      countWhen("(b.sent_on IS NOT NULL AND b.result IS NULL) OR b.result = 'not_returned' OR (b.result = 'mismatched' AND b.resolved_on IS NULL)").as(
        "open_follow_ups",
      ),
    ])
    .groupBy("b.batch_id");
  if (scope.kind === "owner") counts = counts.where("c.owner_id", "=", scope.ownerId);
  const byBatch = new Map((await counts.execute()).map((row) => [row.batch_id, row]));
  return batches.map((batch) => {
    const row = byBatch.get(batch.id);
    return {
      id: batch.id,
      name: batch.name,
      periodEnd: batch.period_end,
      createdAt: batch.created_at,
      createdByName: batch.created_by_name,
      closedAt: batch.closed_at,
      customers: Number(row?.customers ?? 0),
      sent: Number(row?.sent ?? 0),
      returned: Number(row?.returned ?? 0),
      mismatched: Number(row?.mismatched ?? 0),
      openFollowUps: Number(row?.open_follow_ups ?? 0),
    };
  });
}

export interface BatchHeader {
  id: number;
  name: string;
  periodEnd: IsoDate;
  createdAt: string;
  createdByName: string | null;
  closedAt: string | null;
}

export async function findBatch(db: Db, batchId: number): Promise<BatchHeader | null> {
  const row = await db
    .selectFrom("confirmation_batches as cb")
    .leftJoin("users as u", "u.id", "cb.created_by")
    .select(["cb.id", "cb.name", "cb.period_end", "cb.created_at", "cb.closed_at", "u.name as created_by_name"])
    .where("cb.id", "=", batchId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    periodEnd: row.period_end,
    createdAt: row.created_at,
    createdByName: row.created_by_name,
    closedAt: row.closed_at,
  };
}

export interface BatchSelection {
  /** only the customers of this region / owner ("none": without an owner) */
  region?: string;
  owner?: number | "none";
}

/** The customers a new batch would ask: a non-zero balance at the end of `periodEnd`, in the selection. */
function balancesAt(db: Db, periodEnd: IsoDate, selection: BatchSelection) {
  // `status_open_runs` is the status table's (raw SQL there, not in the typed schema)
  const balances = sql<{ customer_id: number; balance: number }>`(SELECT customer_id, sum(open_amount) AS balance
    FROM status_open_runs WHERE from_day <= ${periodEnd} AND to_day >= ${periodEnd} GROUP BY customer_id)`.as("r");
  let query = db
    .selectFrom("customers as c")
    .innerJoin(balances, (join) => join.onRef("r.customer_id", "=", "c.id"))
    .where("r.balance", "<>", 0);
  if (selection.region) query = query.where("c.region", "=", selection.region);
  if (selection.owner === "none") query = query.where("c.owner_id", "is", null);
  else if (selection.owner !== undefined) query = query.where("c.owner_id", "=", selection.owner);
  return query;
}

export type CreateBatchResult = { ok: true; batchId: number; customers: number } | { ok: false; error: "noCustomers" };

/**
 * Creates a batch and its rows in one transaction: one INSERT … SELECT, so ten thousand customers
 * take one statement. Its rows are numbered in customer order (PostgreSQL's join would otherwise
 * hand them over in whatever order the tables' pages hold them). The caller brings `status_open_runs` up to date first
 * (`ensureStatusPositions`).
 */
export async function createBatch(
  db: Db,
  input: { name: string; periodEnd: IsoDate; selection: BatchSelection },
  userId: number,
  now = new Date(),
): Promise<CreateBatchResult> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const batch = await trx
      .insertInto("confirmation_batches")
      .values({ name: input.name, period_end: input.periodEnd, created_by: userId, created_at: at, closed_at: null })
      .returning("id")
      .executeTakeFirstOrThrow();
    const inserted = await trx
      .insertInto("balance_confirmations")
      .columns(["batch_id", "customer_id", "owner_id", "region", "our_balance", "updated_by", "updated_at"])
      .expression(
        balancesAt(trx, input.periodEnd, input.selection).select((eb) => [
          eb.val(batch.id).as("batch_id"),
          "c.id",
          "c.owner_id",
          "c.region",
          "r.balance",
          eb.val(userId).as("updated_by"),
          eb.val(at).as("updated_at"),
        ]).orderBy("c.id"),
      )
      .executeTakeFirst();
    const customers = Number(inserted.numInsertedOrUpdatedRows ?? 0);
    if (customers === 0) {
      // Nothing to ask: the transaction is rolled back, so not even the empty batch is kept.
      throw new NoCustomersError();
    }
    await recordAudit(
      trx,
      {
        userId,
        entity: "confirmation_batch",
        entityId: batch.id,
        action: "create",
        after: { name: input.name, periodEnd: input.periodEnd, selection: input.selection, customers },
      },
      now,
    );
    return { ok: true as const, batchId: batch.id, customers };
  }).catch((error: unknown) => {
    if (error instanceof NoCustomersError) return { ok: false as const, error: "noCustomers" as const };
    throw error;
  });
}

class NoCustomersError extends Error {}

export type BatchChangeResult = { ok: true } | { ok: false; error: "notFound" | "closed" };

export async function closeBatch(db: Db, batchId: number, userId: number, now = new Date()): Promise<BatchChangeResult> {
  return db.transaction().execute(async (trx) => {
    const batch = await findBatch(trx, batchId);
    if (!batch) return { ok: false as const, error: "notFound" as const };
    if (batch.closedAt) return { ok: false as const, error: "closed" as const };
    await trx.updateTable("confirmation_batches").set({ closed_at: now.toISOString() }).where("id", "=", batchId).execute();
    await recordAudit(trx, { userId, entity: "confirmation_batch", entityId: batchId, action: "close" }, now);
    return { ok: true as const };
  });
}

// ---------------------------------------------------------------- rows

export interface RowPage {
  rows: ConfirmationRow[];
  total: number;
}

export async function batchRows(
  db: Db,
  batchId: number,
  scope: LedgerScope,
  filters: BatchFilters,
  page: { offset: number; limit: number },
): Promise<RowPage> {
  const [count, rows] = await Promise.all([
    batchRowsQuery(db, batchId, scope, filters)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow(),
    withRowColumns(batchRowsQuery(db, batchId, scope, filters))
      .orderBy("c.code")
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
  ]);
  // withRowColumns selects exactly RawRow's columns; Kysely loses the names through the helper's generic
  return { total: Number(count.n), rows: (rows as RawRow[]).map(rowOf) };
}

/** Every row matching the filters, in customer order, a chunk at a time (for exports). */
export async function* allBatchRows(db: Db, batchId: number, scope: LedgerScope, filters: BatchFilters): AsyncGenerator<ConfirmationRow> {
  let after = "";
  for (;;) {
    // withRowColumns selects exactly RawRow's columns (see above)
    const chunk = (await withRowColumns(batchRowsQuery(db, batchId, scope, filters))
      .where("c.code", ">", after)
      .orderBy("c.code")
      .limit(1000)
      .execute()) as RawRow[];
    for (const row of chunk) yield rowOf(row);
    const last = chunk[chunk.length - 1];
    if (chunk.length < 1000 || !last) return;
    after = last.customer_code;
  }
}

/** The owners and regions of the batch's snapshot, for the filters (within the viewer's scope). */
export async function batchFilterOptions(db: Db, batchId: number, scope: LedgerScope) {
  const [owners, regions] = await Promise.all([
    batchRowsQuery(db, batchId, scope, {})
      .leftJoin("users as o", "o.id", "b.owner_id")
      .select(["b.owner_id", "o.name"])
      .distinct()
      .orderBy("o.name")
      .execute(),
    batchRowsQuery(db, batchId, scope, {}).select("b.region").distinct().orderBy("b.region").execute(),
  ]);
  return {
    owners: owners.flatMap((o) => (o.owner_id === null ? [] : [{ id: o.owner_id, name: o.name ?? "" }])),
    unassigned: owners.some((o) => o.owner_id === null),
    regions: regions.map((r) => r.region).filter((r): r is string => r !== null),
  };
}

/** The rows the rates are worked out from (the whole batch within the viewer's scope). */
export async function batchRateRows(db: Db, batchId: number, scope: LedgerScope): Promise<ConfirmationForRates[]> {
  const rows = await batchRowsQuery(db, batchId, scope, {})
    .leftJoin("users as o", "o.id", "b.owner_id")
    .select(["o.name as owner", "b.region", "b.sent_on", "b.returned_on", "b.result"])
    .where("b.sent_on", "is not", null)
    .execute();
  return rows.map((row) => ({ owner: row.owner, region: row.region, sentOn: row.sent_on, returnedOn: row.returned_on, result: row.result }));
}

export async function findConfirmation(db: Db, batchId: number, rowId: number): Promise<ConfirmationRow | null> {
  const row = await withRowColumns(batchRowsQuery(db, batchId, { kind: "all" }, {}).where("b.id", "=", rowId)).executeTakeFirst();
  // withRowColumns selects exactly RawRow's columns (see above)
  return row ? rowOf(row as RawRow) : null;
}

function auditedFields(row: StoredConfirmation) {
  return {
    sentOn: row.sentOn,
    channel: row.channel,
    returnedOn: row.returnedOn,
    result: row.result,
    difference: row.difference,
    note: row.note,
    resolvedOn: row.resolvedOn,
    resolutionNote: row.resolutionNote,
  };
}

export type RecordOutcome<E> =
  | { ok: true; row: ConfirmationRow }
  | { ok: false; error: "notFound" | "closed" | "forbidden" }
  | { ok: false; error: "invalid"; detail: E }
  /** The form named no version (a forged or very old page). */
  | { ok: false; error: "stale" }
  /** Someone changed the row since the form was shown: nothing written; the row as stored now. */
  | { ok: false; error: "conflict"; current: ConfirmationRow };

/**
 * Records one change on a row in one transaction: the row and its batch are read again inside it,
 * `decide` checks who may change it and works out the new values (or refuses), and the change is
 * written with its audit entry. The row must still be at `version`, the one the user's form
 * showed; a stale change is refused. Nothing is written when anything is refused.
 */
export async function recordOnRow<E>(
  db: Db,
  batchId: number,
  rowId: number,
  change: {
    /** who may change this row (checked before anything else about the change) */
    allowed: (row: ConfirmationRow) => boolean;
    decide: (row: ConfirmationRow, batch: BatchHeader) => { ok: true; next: StoredConfirmation } | { ok: false; detail: E };
    action: string;
  },
  version: number | null,
  userId: number,
  now = new Date(),
): Promise<RecordOutcome<E>> {
  return db.transaction().execute(async (trx): Promise<RecordOutcome<E>> => {
    const batch = await findBatch(trx, batchId);
    const row = batch ? await findConfirmation(trx, batchId, rowId) : null;
    if (!batch || !row) return { ok: false, error: "notFound" };
    if (!change.allowed(row)) return { ok: false, error: "forbidden" };
    if (batch.closedAt) return { ok: false, error: "closed" };
    if (version === null) return { ok: false, error: "stale" };
    if (row.version !== version) return { ok: false, error: "conflict", current: row };
    const decision = change.decide(row, batch);
    if (!decision.ok) return { ok: false, error: "invalid", detail: decision.detail };
    const next = decision.next;
    const updated = await trx
      .updateTable("balance_confirmations")
      .set({
        sent_on: next.sentOn,
        channel: next.channel,
        returned_on: next.returnedOn,
        result: next.result,
        difference: next.difference,
        note: next.note,
        resolved_on: next.resolvedOn,
        resolution_note: next.resolutionNote,
        updated_by: userId,
        updated_at: now.toISOString(),
        version: (eb) => eb("version", "+", 1),
      })
      .where("id", "=", rowId)
      // Compare and raise in one statement, so two changes from the same version cannot both apply.
      .where("version", "=", version)
      .executeTakeFirst();
    // the row was read in this transaction and rows are never deleted, so it is there
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, error: "conflict", current: (await findConfirmation(trx, batchId, rowId))! };
    await recordAudit(
      trx,
      { userId, entity: "confirmation", entityId: rowId, action: change.action, before: auditedFields(row), after: auditedFields(next) },
      now,
    );
    // just updated in this transaction, so it is there
    return { ok: true, row: (await findConfirmation(trx, batchId, rowId))! };
  });
}

export type BulkSendResult = { ok: true; marked: number } | { ok: false; error: "notFound" | "closed" | "forbidden" | "noRows" };

/**
 * Marks rows sent on a date via a channel, in one transaction with an audit entry per row. Only
 * rows not sent yet are marked (a row already sent keeps its date). `rowIds` null means every row
 * matching `filters` in `scope`; given ids must all be in the batch and in the scope.
 */
export async function bulkMarkSent(
  db: Db,
  input: {
    batchId: number;
    scope: LedgerScope;
    rowIds: readonly number[] | null;
    filters: BatchFilters;
    sentOn: IsoDate;
    channel: ConfirmationChannel;
  },
  userId: number,
  now = new Date(),
): Promise<BulkSendResult> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx): Promise<BulkSendResult> => {
    const batch = await findBatch(trx, input.batchId);
    if (!batch) return { ok: false, error: "notFound" };
    if (batch.closedAt) return { ok: false, error: "closed" };
    let targets: number[];
    if (input.rowIds === null) {
      targets = (await batchRowsQuery(trx, input.batchId, input.scope, input.filters).select("b.id").where("b.sent_on", "is", null).execute()).map(
        (row) => row.id,
      );
    } else {
      const wanted = [...new Set(input.rowIds)];
      const found: { id: number; sent_on: string | null; owner_id: number | null }[] = [];
      for (let i = 0; i < wanted.length; i += CHUNK) {
        found.push(
          ...(await batchRowsQuery(trx, input.batchId, { kind: "all" }, {})
            .select(["b.id", "b.sent_on", "c.owner_id"])
            .where("b.id", "in", wanted.slice(i, i + CHUNK))
            .execute()),
        );
      }
      if (found.length !== wanted.length) return { ok: false, error: "notFound" };
      const scope = input.scope;
      if (scope.kind === "owner" && found.some((row) => row.owner_id !== scope.ownerId)) {
        return { ok: false, error: "forbidden" };
      }
      targets = found.filter((row) => row.sent_on === null).map((row) => row.id);
    }
    if (targets.length === 0) return { ok: false, error: "noRows" };
    for (let i = 0; i < targets.length; i += CHUNK) {
      const ids = targets.slice(i, i + CHUNK);
      await trx
        .updateTable("balance_confirmations")
        .set((eb) => ({ sent_on: input.sentOn, channel: input.channel, updated_by: userId, updated_at: at, version: eb("version", "+", 1) }))
        .where("id", "in", ids)
        .execute();
      await trx
        .insertInto("audit_log")
        .values(
          ids.map((id) => ({
            at,
            user_id: userId,
            entity: "confirmation",
            entity_id: String(id),
            action: "send",
            before: JSON.stringify({ sentOn: null, channel: null }),
            after: JSON.stringify({ sentOn: input.sentOn, channel: input.channel }),
          })),
        )
        .execute();
    }
    return { ok: true, marked: targets.length };
  });
}

// ---------------------------------------------------------------- KPI counts

/**
 * For the KPI engine: confirmations sent on a date in [start, asOf] (of these customers; null =
 * every customer), how many of those came back on or before asOf, and how many of the returned
 * did not match. Every batch counts; a customer asked in two batches counts twice.
 */
export async function confirmationCounts(
  db: Db,
  customerIds: readonly number[] | null,
  start: IsoDate,
  asOf: IsoDate,
): Promise<{ sent: number; returned: number; mismatched: number }> {
  const totals = { sent: 0, returned: 0, mismatched: 0 };
  const countFor = async (ids: readonly number[] | null) => {
    let query = db
      .selectFrom("balance_confirmations")
      .select([
        (eb) => eb.fn.countAll<number>().as("sent"),
        sql<number>`sum(CASE WHEN returned_on IS NOT NULL AND returned_on <= ${asOf} THEN 1 ELSE 0 END)`.as("returned"),
        sql<number>`sum(CASE WHEN returned_on IS NOT NULL AND returned_on <= ${asOf} AND result = 'mismatched' THEN 1 ELSE 0 END)`.as(
          "mismatched",
        ),
      ])
      .where("sent_on", ">=", start)
      .where("sent_on", "<=", asOf);
    if (ids !== null) query = query.where("customer_id", "in", ids);
    const row = await query.executeTakeFirstOrThrow();
    totals.sent += Number(row.sent ?? 0);
    totals.returned += Number(row.returned ?? 0);
    totals.mismatched += Number(row.mismatched ?? 0);
  };
  if (customerIds === null) await countFor(null);
  else for (let i = 0; i < customerIds.length; i += CHUNK) await countFor(customerIds.slice(i, i + CHUNK));
  return totals;
}

import type { Db } from "~/server/db.server";
import { GenerationCache } from "~/server/generation-cache.server";
import { addDays } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { customerOverdueAt } from "~/features/year-review/queries.server";
import {
  actionCounts,
  adjustmentTotals,
  collectedAfterActions,
  collectionsByCustomer,
  confirmationRows,
  customerNames,
  decisionCounts,
  gradeChangeRows,
  holdRows,
} from "~/features/year-review/queries/measures.server";
import {
  ACTION_KINDS,
  ADJUSTMENT_KINDS,
  type CollectionRow,
  type ConfirmationCounts,
  DECISIONS,
  type GradeChange,
  HOLD_KINDS,
  TOP_COLLECTIONS,
  type YearMeasures,
} from "~/features/year-review/measures";

export { measureSentences } from "~/features/year-review/measures";
export type { YearMeasures } from "~/features/year-review/measures";

function confirmationCounts(name: string | null): ConfirmationCounts {
  return { name, total: 0, sent: 0, returned: 0, matched: 0, mismatched: 0 };
}

// The measures read the period's payments, adjustments and credit records: a handful of grouped
// range reads that only change when the database does, kept like the review until the next write.
const measuresCache = new GenerationCache<YearMeasures>(20);

/**
 * The year's measures from the records of [dates.start, dates.closing] (a running year: to
 * today). Reads only.
 */
export function loadYearMeasures(db: Db, dates: { start: IsoDate; closing: IsoDate }): Promise<YearMeasures> {
  return measuresCache.get(db, `${dates.start}|${dates.closing}`, () => computeYearMeasures(db, dates));
}

async function computeYearMeasures(db: Db, dates: { start: IsoDate; closing: IsoDate }): Promise<YearMeasures> {
  const from = dates.start;
  const to = dates.closing;
  const dayAfter = addDays(to, 1);
  const [actions, collectedAfter, holds, grades, decisions, confirmations, adjustments, collections] = await Promise.all([
    actionCounts(db, from, to),
    collectedAfterActions(db, from, to),
    holdRows(db, from, dayAfter),
    gradeChangeRows(db, from, dayAfter),
    decisionCounts(db, from, dayAfter),
    confirmationRows(db, from, to),
    adjustmentTotals(db, from, to),
    collectionsByCustomer(db, from, to),
  ]);

  const heldCustomers = new Set(holds.map((hold) => hold.customer_id));
  const overdue = heldCustomers.size === 0 ? new Map<number, number>() : ((await customerOverdueAt(db, [to])).get(to) ?? new Map<number, number>());
  const holdsByKind = HOLD_KINDS.map((kind) => {
    const ofKind = holds.filter((hold) => hold.kind === kind);
    const customers = new Set(ofKind.map((hold) => hold.customer_id));
    return {
      kind,
      set: ofKind.filter((hold) => hold.set_at >= from).length,
      released: ofKind.filter((hold) => hold.released_at !== null && hold.released_at < dayAfter).length,
      heldAtEnd: new Set(ofKind.filter((hold) => hold.released_at === null || hold.released_at >= dayAfter).map((hold) => hold.customer_id)).size,
      overdueOfHeld: [...customers].reduce((sum, id) => sum + (overdue.get(id) ?? 0), 0),
    };
  });

  const gradeChanges: GradeChange[] = grades.flatMap((row) =>
    row.current_grade === null || row.decided_grade === null || row.applied_at === null || row.from_rank === row.to_rank
      ? []
      : [
          {
            customerId: row.customer_id,
            code: row.code,
            name: row.name,
            from: row.current_grade,
            to: row.decided_grade,
            direction: row.to_rank < row.from_rank ? ("promoted" as const) : ("demoted" as const),
            on: row.applied_at.slice(0, 10),
          },
        ],
  );

  const decisionRows = DECISIONS.map((decision) => {
    const rows = decisions.filter((row) => row.decision === decision);
    const sum = (pick: (row: (typeof rows)[number]) => boolean) => rows.filter(pick).reduce((total, row) => total + row.count, 0);
    return {
      decision,
      count: sum(() => true),
      approved: sum((row) => row.approval === "approved"),
      declined: sum((row) => row.approval === "declined"),
      waiting: sum((row) => row.needsApproval && row.approval === null),
    };
  });

  const all = confirmationCounts(null);
  const byOwner = new Map<string | null, ConfirmationCounts>();
  const byRegion = new Map<string | null, ConfirmationCounts>();
  for (const row of confirmations) {
    const owner = byOwner.get(row.owner_name) ?? confirmationCounts(row.owner_name);
    byOwner.set(row.owner_name, owner);
    const region = byRegion.get(row.region) ?? confirmationCounts(row.region);
    byRegion.set(row.region, region);
    for (const counts of [all, owner, region]) {
      counts.total += 1;
      if (row.sent_on !== null) counts.sent += 1;
      if (row.returned_on !== null) counts.returned += 1;
      if (row.result === "matched") counts.matched += 1;
      if (row.result === "mismatched") counts.mismatched += 1;
    }
  }
  const byName = (a: ConfirmationCounts, b: ConfirmationCounts) => (a.name ?? "\uffff").localeCompare(b.name ?? "\uffff");

  const totals = new Map<number, number>();
  for (const [id, amount] of collections.payments) totals.set(id, amount);
  for (const [id, amount] of collections.offsets) totals.set(id, (totals.get(id) ?? 0) + amount);
  const topIds = [...totals.entries()]
    .filter(([, total]) => total > 0)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, TOP_COLLECTIONS)
    .map(([id]) => id);
  const names = await customerNames(db, topIds);
  const topCollections: CollectionRow[] = topIds.map((id) => ({
    customerId: id,
    code: names.get(id)?.code ?? "",
    name: names.get(id)?.name ?? "",
    payments: collections.payments.get(id) ?? 0,
    offsets: collections.offsets.get(id) ?? 0,
    total: totals.get(id) ?? 0,
  }));

  return {
    from,
    to,
    actions: ACTION_KINDS.map((kind) => {
      const row = actions.find((r) => r.kind === kind);
      return { kind, count: row?.count ?? 0, customers: row?.customers ?? 0, collectedAfter: collectedAfter.get(kind) ?? 0 };
    }),
    holds: holdsByKind,
    grades: gradeChanges,
    decisions: decisionRows,
    confirmations: { all, byOwner: [...byOwner.values()].sort(byName), byRegion: [...byRegion.values()].sort(byName) },
    adjustments: ADJUSTMENT_KINDS.map((type) => adjustments.find((row) => row.type === type) ?? { type, count: 0, amount: 0 }),
    topCollections,
  };
}

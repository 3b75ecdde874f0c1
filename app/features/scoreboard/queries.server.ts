import { sql } from "kysely";

import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import type { Role } from "~/kernel/permissions";
import type { ScoreboardItem, ScoreboardItemStatus, ScoreboardPeriod } from "~/features/scoreboard/scoreboard";
import type { ScoringRules } from "~/features/scoreboard/scoring";

/**
 * The scoreboard's own reads: who is on it and their plan items. The money comes from the KPI
 * service (app/features/kpi/kpi.server.ts), not from here, so the scoreboard's figures are the KPIs' figures.
 */

export interface ScoreboardOwner {
  id: number;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  /** customers whose current owner this user is */
  customers: number;
}

/** Plans whose items are agreed work: approved (under way) or closed. Drafts are proposals. */
const AGREED_PLAN_STATES = ["approved", "closed"] as const;

/**
 * Everyone who owns a customer (whatever their role or state: without them the owners would not
 * add up to the company), and everyone who owns an agreed plan item due in the period.
 */
export async function scoreboardOwners(db: Db, period: ScoreboardPeriod): Promise<ScoreboardOwner[]> {
  const rows = await db
    .selectFrom("users")
    .leftJoin(
      db.selectFrom("customers").select(["owner_id", sql<number>`count(*)`.as("customers")]).where("owner_id", "is not", null).groupBy("owner_id").as("book"),
      "book.owner_id",
      "users.id",
    )
    .select(["users.id", "users.name", "users.email", "users.role", "users.active", "book.customers"])
    .where((eb) =>
      eb.or([
        eb("book.customers", ">", 0),
        eb(
          "users.id",
          "in",
          eb
            .selectFrom("plan_items")
            .innerJoin("plans", "plans.id", "plan_items.plan_id")
            .select("plan_items.owner_id")
            .where("plan_items.owner_id", "is not", null)
            .where("plans.state", "in", AGREED_PLAN_STATES)
            .where("plan_items.status", "!=", "cancelled")
            .where("plan_items.due_date", ">=", period.start)
            .where("plan_items.due_date", "<=", period.end),
        ),
      ]),
    )
    .orderBy("users.name")
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    active: Number(row.active) === 1,
    customers: Number(row.customers ?? 0),
  }));
}

/** Agreed plan items with an owner and a due date in the period (cancelled ones included; the domain leaves them out). */
export async function scoreboardItems(db: Db, period: ScoreboardPeriod): Promise<ScoreboardItem[]> {
  const rows = await db
    .selectFrom("plan_items")
    .innerJoin("plans", "plans.id", "plan_items.plan_id")
    .select(["plan_items.owner_id", "plan_items.due_date", "plan_items.status", "plan_items.done_on"])
    .where("plan_items.owner_id", "is not", null)
    .where("plans.state", "in", AGREED_PLAN_STATES)
    .where("plan_items.due_date", ">=", period.start)
    .where("plan_items.due_date", "<=", period.end)
    .execute();
  return rows.map((row) => ({
    // the query keeps only items with an owner; CHECK constraints admit only these statuses, dates are ISO text
    ownerId: row.owner_id!,
    // dates are stored as ISO text
    dueDate: row.due_date as IsoDate | null,
    // a CHECK constraint admits only these values
    status: row.status as ScoreboardItemStatus,
    // dates are stored as ISO text
    doneOn: row.done_on as IsoDate | null,
  }));
}

// ---------------------------------------------------------------- the scoring rules (one row)

export interface StoredScoringRules {
  rules: ScoringRules;
  version: number;
  updatedAt: string;
  updatedByName: string | null;
}

export async function getScoringRules(db: Db): Promise<StoredScoringRules> {
  const row = await db
    .selectFrom("scoring_rules")
    .leftJoin("users", "users.id", "scoring_rules.updated_by")
    .selectAll("scoring_rules")
    .select("users.name as updatedByName")
    .where("scoring_rules.id", "=", 1)
    .executeTakeFirstOrThrow();
  return {
    rules: {
      weights: {
        collectionRate: row.weight_collection_rate,
        overdueReduction: row.weight_overdue_reduction,
        promisesKept: row.weight_promises_kept,
        itemsOnTime: row.weight_items_on_time,
      },
      warnBelow: row.warn_below,
    },
    version: row.version,
    updatedAt: row.updated_at,
    updatedByName: row.updatedByName,
  };
}

/** Writes the rules over the version the form showed; false when that version is no longer the stored one. */
export async function updateScoringRules(db: Db, rules: ScoringRules, userId: number, basedOn: number, now: Date): Promise<boolean> {
  const updated = await db
    .updateTable("scoring_rules")
    .set({
      weight_collection_rate: rules.weights.collectionRate,
      weight_overdue_reduction: rules.weights.overdueReduction,
      weight_promises_kept: rules.weights.promisesKept,
      weight_items_on_time: rules.weights.itemsOnTime,
      warn_below: rules.warnBelow,
      version: basedOn + 1,
      updated_by: userId,
      updated_at: now.toISOString(),
    })
    .where("id", "=", 1)
    .where("version", "=", basedOn)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** The owner of each customer that has a promise to pay or an agreement instalment. */
export async function ownersOfCustomersWithPromises(db: Db): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom("customers")
    .select(["id", "owner_id"])
    .where("owner_id", "is not", null)
    .where("id", "in", db.selectFrom("payment_promises").select("customer_id"))
    .execute();
  return new Map(rows.flatMap((row) => (row.owner_id === null ? [] : [[row.id, row.owner_id] as const])));
}

import { sql } from "kysely";

import type { Db } from "~/server/db.server";
import type { IsoDate } from "~/kernel/ledger/types";
import type { Role } from "~/kernel/permissions";
import type { ScoreboardItem, ScoreboardItemStatus, ScoreboardPeriod } from "~/features/scoreboard/scoreboard";

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

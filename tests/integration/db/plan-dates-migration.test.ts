import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { Migrator } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Db, createDb } from "~/server/db.server";
import { migrationProvider } from "../../../db/migrations/index";

/**
 * The migration that gives each plan its own dates: an existing plan gets the dates of the fiscal
 * start month in force when it was created (from the audit log of the setting), and baselines
 * that cannot belong to those dates are cleared for the baseline job to take again.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-plan-dates-"));
let db: Db;

async function migrateTo(name: string) {
  const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(name);
  if (error) throw error;
}

async function plan(fiscalYear: number, quarter: number, createdAt: string, state = "draft") {
  const row = await db
    .insertInto("plans")
    .values({ fiscal_year: fiscalYear, quarter, state, created_by: null, created_at: createdAt, updated_at: createdAt } as never)
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function linkedItem(planId: number, createdAt: string, baselineDate: string | null) {
  const row = await db
    .insertInto("plan_items")
    .values({
      plan_id: planId,
      position: 1,
      title: "Overdue",
      category: "collection",
      status: "todo",
      kpi_key: "overdue_total",
      kpi_scope: "company",
      kpi_baseline: baselineDate === null ? null : 123_00,
      kpi_baseline_date: baselineDate,
      created_at: createdAt,
      updated_at: createdAt,
    } as never)
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

async function settingChanged(at: string, from: number, to: number) {
  await db
    .insertInto("audit_log")
    .values({ at, user_id: null, entity: "settings", entity_id: "fiscal_start_month", action: "updated", before: JSON.stringify({ fiscalStartMonth: from }), after: JSON.stringify({ fiscalStartMonth: to }) })
    .execute();
}

beforeAll(() => {
  db = createDb(path.join(dir, "migrate.db"));
});

afterAll(async () => {
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("plans get their own dates", () => {
  it("computes them with the start month in force when each plan was made and clears baselines of other dates", async () => {
    await migrateTo("2026-11-23-16-status-day");
    // January, then April from 2026-05-10, then January again from 2026-12-05 (the setting now).
    const januaryPlan = await plan(2026, 3, "2026-05-01T02:00:00.000Z");
    const aprilPlan = await plan(2027, 1, "2026-06-01T02:00:00.000Z", "approved");
    const nextJanuaryPlan = await plan(2027, 1 + 1, "2026-12-06T02:00:00.000Z");
    const closedPlan = await plan(2026, 1, "2026-01-02T02:00:00.000Z", "closed");
    await settingChanged("2026-05-10T00:00:00.000Z", 1, 4);
    await settingChanged("2026-12-05T00:00:00.000Z", 4, 1);
    await db.insertInto("settings").values({ key: "fiscal_start_month", value: "1" }).execute();

    const provisional = await linkedItem(nextJanuaryPlan, "2026-12-06T02:00:00.000Z", "2026-12-06");
    // Re-taken for the quarter the plan was moved to by a start-month change: before the item existed.
    const moved = await linkedItem(nextJanuaryPlan, "2026-12-06T02:00:00.000Z", "2026-03-31");
    const final = await linkedItem(januaryPlan, "2026-05-01T02:00:00.000Z", "2026-06-30");
    const pastTheEve = await linkedItem(aprilPlan, "2026-06-01T02:00:00.000Z", "2026-08-01");
    const closedOne = await linkedItem(closedPlan, "2026-01-02T02:00:00.000Z", "2025-01-01");

    await migrateTo("2026-12-06-plans-dates");

    const plans = await db.selectFrom("plans").select(["id", "start_date", "end_date", "fiscal_start_month"]).orderBy("id").execute();
    expect(plans).toEqual([
      { id: januaryPlan, start_date: "2026-07-01", end_date: "2026-09-30", fiscal_start_month: 1 },
      { id: aprilPlan, start_date: "2026-04-01", end_date: "2026-06-30", fiscal_start_month: 4 },
      { id: nextJanuaryPlan, start_date: "2027-04-01", end_date: "2027-06-30", fiscal_start_month: 1 },
      { id: closedPlan, start_date: "2026-01-01", end_date: "2026-03-31", fiscal_start_month: 1 },
    ]);
    const baselines = new Map(
      (await db.selectFrom("plan_items").select(["id", "kpi_baseline_date"]).execute()).map((row) => [row.id, row.kpi_baseline_date]),
    );
    expect(baselines.get(provisional)).toBe("2026-12-06");
    expect(baselines.get(moved)).toBeNull();
    expect(baselines.get(final)).toBe("2026-06-30");
    expect(baselines.get(pastTheEve)).toBeNull();
    // A closed plan's record is history: left as it is.
    expect(baselines.get(closedOne)).toBe("2025-01-01");
  });
});

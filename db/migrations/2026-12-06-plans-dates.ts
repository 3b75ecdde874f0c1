import { type Kysely, sql } from "kysely";

// Frozen in time: never import app code here.
// A plan keeps the dates it was made for. Until now a plan's quarter was computed from its
// (fiscal_year, quarter) and the installation's fiscal start month of the moment, so changing the
// start month moved every plan to other dates (and re-took their baselines as of those). Each plan
// now stores its first and last day and the start month its name was given under.
//
// Existing plans get the dates of the start month in force when they were created: the latest
// audited change of `fiscal_start_month` before the plan's creation (or the month before the
// first change, or the current setting when it never changed).
//
// Baselines that cannot have been taken for the plan's own dates are cleared, so the baseline job
// takes them again: a date after the quarter's eve, or (provisional ones) a date before the item
// existed, which is what re-taking them for a quarter the plan was moved to left behind.

type IsoDate = string;

function pad(value: number): string {
  return String(value).padStart(2, "0");
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** First and last day of a named quarter; the fiscal year is named by the calendar year it ends in. */
function quarterDates(fiscalYear: number, quarter: number, startMonth: number): { start: IsoDate; end: IsoDate } {
  const startYear = startMonth === 1 ? fiscalYear : fiscalYear - 1;
  const firstMonthIndex = startYear * 12 + (startMonth - 1) + 3 * (quarter - 1);
  const lastMonthIndex = firstMonthIndex + 2;
  const year = (index: number) => Math.floor(index / 12);
  const month = (index: number) => (index % 12) + 1;
  return {
    start: `${year(firstMonthIndex)}-${pad(month(firstMonthIndex))}-01`,
    end: `${year(lastMonthIndex)}-${pad(month(lastMonthIndex))}-${pad(lastDayOfMonth(year(lastMonthIndex), month(lastMonthIndex)))}`,
  };
}

function dayBefore(date: IsoDate): IsoDate {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

function monthOf(json: string | null, fallback: number): number {
  try {
    // an audit entry's JSON, read defensively: anything but a number becomes NaN and is ignored
    const value = Number((JSON.parse(json ?? "null") as { fiscalStartMonth?: unknown } | null)?.fiscalStartMonth);
    return Number.isInteger(value) && value >= 1 && value <= 12 ? value : fallback;
  } catch {
    return fallback;
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table plans add column start_date text not null default ''`.execute(db);
  await sql`alter table plans add column end_date text not null default ''`.execute(db);
  await sql`alter table plans add column fiscal_start_month integer not null default 1 check (fiscal_start_month between 1 and 12)`.execute(db);

  const setting = await db.selectFrom("settings").select("value").where("key", "=", "fiscal_start_month").executeTakeFirst();
  const current = Number(setting?.value);
  const currentMonth = Number.isInteger(current) && current >= 1 && current <= 12 ? current : 1;
  const changes: { at: string; before: string | null; after: string | null }[] = await db
    .selectFrom("audit_log")
    .select(["at", "before", "after"])
    .where("entity", "=", "settings")
    .where("entity_id", "=", "fiscal_start_month")
    .orderBy("id")
    .execute();
  const monthAt = (createdAt: string): number => {
    const latest = changes.filter((change) => change.at <= createdAt).at(-1);
    if (latest) return monthOf(latest.after, currentMonth);
    const first = changes[0];
    if (first) return monthOf(first.before, currentMonth);
    return currentMonth;
  };

  const plans: { id: number; fiscal_year: number; quarter: number; created_at: string; state: string }[] = await db
    .selectFrom("plans")
    .select(["id", "fiscal_year", "quarter", "created_at", "state"])
    .execute();
  for (const plan of plans) {
    const startMonth = monthAt(plan.created_at);
    const { start, end } = quarterDates(plan.fiscal_year, plan.quarter, startMonth);
    await db
      .updateTable("plans")
      .set({ start_date: start, end_date: end, fiscal_start_month: startMonth })
      .where("id", "=", plan.id)
      .execute();
    if (plan.state === "closed") continue;
    const eve = dayBefore(start);
    const items: { id: number; kpi_baseline_date: string | null; created_at: string }[] = await db
      .selectFrom("plan_items")
      .select(["id", "kpi_baseline_date", "created_at"])
      .where("plan_id", "=", plan.id)
      .where("kpi_baseline_date", "is not", null)
      .execute();
    for (const item of items) {
      // the query keeps only items with a baseline date
      const taken = item.kpi_baseline_date!;
      // The business date may run a day ahead of the UTC date the row was stamped with.
      const itemExisted = dayBefore(item.created_at.slice(0, 10));
      if (taken > eve || (taken < eve && taken < itemExisted)) {
        await db.updateTable("plan_items").set({ kpi_baseline: null, kpi_baseline_date: null }).where("id", "=", item.id).execute();
      }
    }
  }
  await db.schema.createIndex("plans_dates").on("plans").columns(["start_date", "end_date"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("plans_dates").execute();
  await db.schema.alterTable("plans").dropColumn("fiscal_start_month").execute();
  await db.schema.alterTable("plans").dropColumn("end_date").execute();
  await db.schema.alterTable("plans").dropColumn("start_date").execute();
}

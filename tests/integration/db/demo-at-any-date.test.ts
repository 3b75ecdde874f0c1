import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { fiscalQuarter, fiscalYearOf, monthEnd, quarterOf } from "~/kernel/dates";
import { allKpiValues, resolveKpiRequest } from "~/features/kpi/kpi.server";
import { loader as dashboardLoader } from "~/routes/_app._index";
import { loader as holdsLoader } from "~/routes/_app.credit.holds._index";
import { loader as creditReviewLoader } from "~/routes/_app.credit.review._index";
import { loader as plansLoader } from "~/routes/_app.plans._index";
import { loader as reviewLoader } from "~/routes/_app.review.$fiscalYear";
import { loader as scoreboardLoader } from "~/routes/_app.scoreboard._index";
import { loader as statusLoader } from "~/routes/_app.status._index";
import { loader as tasksLoader } from "~/routes/_app.tasks";
import { loader as warningsLoader } from "~/routes/_app.warnings._index";
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from "../../../db/seed";
import { call, get, payloadOf, signIn, statusOf } from "../../support/app";
import { expectSummariesCurrent } from "../../support/kpi-summaries";

/**
 * The demo on the run's business date (QD_TEST_TODAY, or the real date): `npm test` runs this at
 * the real date and `npm run test:dates` again on 2 January and on a quarter's last day, so every
 * page's date arithmetic meets the turn of the year and a quarter's end. Every page the demo users
 * open answers, and its figures are the KPI service's for the same dates.
 */
const TODAY = process.env.QUARTERDECK_TODAY ?? "";
const cookies: Record<string, string> = {};

beforeAll(async () => {
  await seedDemo(getDb());
  for (const user of DEMO_USERS) cookies[user.role] = await signIn(user.email, DEMO_PASSWORD);
}, 300_000);

async function page<T>(loader: (args: never) => unknown, path: string, role: string, params: Record<string, string> = {}): Promise<T> {
  const result = await call(loader as never, get(path, cookies[role]), params);
  expect(statusOf(result), `${role} ${path}`).toBe(200);
  return payloadOf<T>(result);
}

async function kpisAt(asOf: string, periodStart?: string) {
  return (await allKpiValues(getDb(), resolveKpiRequest({ asOf, scope: "company", periodStart }))).values;
}

describe(`the demo on ${TODAY}`, () => {
  it("runs at a real business date", () => {
    expect(TODAY).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("its KPI summaries are current after the seeded review decisions, holds and plans", async () => {
    await expectSummariesCurrent();
  });

  it("dashboard: today's company figures are the KPI service's, for head and leader", async () => {
    for (const role of ["head", "leader"]) {
      const loaded = await page<{ kind: string; dashboard: { headline: { asOf: string; cards: { key: string; value: number | null }[] } } }>(dashboardLoader, "/", role);
      expect(loaded.kind).toBe("dashboard");
      expect(loaded.dashboard.headline.asOf).toBe(TODAY);
      const kpis = await kpisAt(TODAY);
      for (const card of loaded.dashboard.headline.cards) expect(card.value, card.key).toBe(kpis[card.key as keyof typeof kpis]);
    }
  });

  it("year review: the last complete year is the collection drive, after a year in which overdue rose", async () => {
    const lastYear = fiscalYearOf(TODAY, 1).fiscalYear - 1;
    const loaded = await page<{ review: { receivables: { overdue: { year: { atStart: number; atEnd: number; reduction: number }; previousYear: { reduction: number }; againstPreviousYear: number } } } }>(
      reviewLoader,
      `/review/${lastYear}`,
      "leader",
      { fiscalYear: String(lastYear) },
    );
    const { year, previousYear, againstPreviousYear } = loaded.review.receivables.overdue;
    expect(year.atStart).toBe((await kpisAt(fiscalQuarter(lastYear - 1, 4, 1).end)).overdue_total);
    expect(year.atEnd).toBe((await kpisAt(fiscalQuarter(lastYear, 4, 1).end)).overdue_total);
    expect(year.atEnd).toBeLessThan(year.atStart * 0.8);
    expect(previousYear.reduction).toBeLessThan(0);
    expect(againstPreviousYear).toBeGreaterThan(0);
    // This year's review ends today (on the year's last day, today is its end).
    const running = await page<{ review: { dates: { closing: string; running: boolean } } }>(reviewLoader, `/review/${lastYear + 1}`, "head", {
      fiscalYear: String(lastYear + 1),
    });
    expect(running.review.dates).toMatchObject({ closing: TODAY, running: TODAY < fiscalQuarter(lastYear + 1, 4, 1).end });
  });

  it("status table: the last complete month's totals are the company KPIs at its end", async () => {
    const loaded = await page<{ month: { month: string; closingDate: string }; totals: { closing: number; overdue: number; billed: number; collected: number } }>(
      statusLoader,
      "/status",
      "head",
    );
    expect(loaded.month.closingDate < TODAY).toBe(true);
    expect(loaded.month.closingDate).toBe(monthEnd(`${loaded.month.month}-01`));
    const kpis = await kpisAt(loaded.month.closingDate, `${loaded.month.month}-01`);
    expect([loaded.totals.closing, loaded.totals.overdue, loaded.totals.billed, loaded.totals.collected]).toEqual([kpis.ar_total, kpis.overdue_total, kpis.billed, kpis.collected]);
  });

  it("plans: this quarter has an approved plan and last quarter's is closed", async () => {
    const loaded = await page<{ current: { fiscalYear: number; quarter: number }; plans: { fiscalYear: number; quarter: number; state: string }[] }>(plansLoader, "/plans", "head");
    const current = quarterOf(TODAY, 1);
    expect(loaded.current).toEqual({ fiscalYear: current.fiscalYear, quarter: current.quarter });
    const plan = (fiscalYear: number, quarter: number) => loaded.plans.find((p) => p.fiscalYear === fiscalYear && p.quarter === quarter);
    expect(plan(current.fiscalYear, current.quarter)?.state).toBe("approved");
    const previous = current.quarter === 1 ? { fiscalYear: current.fiscalYear - 1, quarter: 4 } : { fiscalYear: current.fiscalYear, quarter: current.quarter - 1 };
    expect(plan(previous.fiscalYear, previous.quarter)?.state).toBe("closed");
  });

  it("plans: the quarter's credit-review item is not done while its credit review is open and part decided", async () => {
    const current = quarterOf(TODAY, 1);
    const reviews = await getDb()
      .selectFrom("credit_reviews as r")
      .innerJoin("plan_items as i", "i.id", "r.plan_item_id")
      .select((eb) => [
        "i.status",
        eb.selectFrom("credit_review_items as c").whereRef("c.review_id", "=", "r.id").where("c.decision", "is", null).select((e) => e.fn.countAll<number>().as("n")).as("undecided"),
      ])
      .where("r.fiscal_year", "=", current.fiscalYear)
      .where("r.quarter", "=", current.quarter)
      .where("r.status", "=", "open")
      .execute();
    expect(reviews).toHaveLength(1);
    expect(Number(reviews[0]?.undecided)).toBeGreaterThan(0);
    expect(reviews[0]?.status).toBe("in_progress");
  });

  it("my tasks, the scoreboard, the credit review and the holds page answer every role that may open them", async () => {
    for (const role of ["head", "staff"]) await page(tasksLoader, "/tasks", role);
    for (const role of ["head", "staff", "leader"]) await page(scoreboardLoader, "/scoreboard", role);
    for (const role of ["head", "leader"]) await page(creditReviewLoader, "/credit/review", role);
    await page(holdsLoader, "/credit/holds", "head");
  });

  it("shows early warnings: the head's dashboard counts them, each kind of customer rule finds some, staff see their own", async () => {
    const dashboard = await page<{ warnings: { total: number } }>(dashboardLoader, "/", "head");
    expect(dashboard.warnings.total).toBeGreaterThan(0);
    const all = await page<{ rows: { kind: string; ownerId: number | null }[] }>(warningsLoader, "/warnings", "head");
    const kinds = new Set(all.rows.map((row) => row.kind));
    for (const kind of ["broken_promise", "over_limit", "invoice_61_90"]) expect(kinds.has(kind), kind).toBe(true);
    const staff = await page<{ rows: { kind: string }[] }>(warningsLoader, "/warnings", "staff");
    expect(staff.rows.length).toBeGreaterThan(0);
    expect(staff.rows.length).toBeLessThan(all.rows.length);
    const tasks = await page<{ warnings: { total: number } }>(tasksLoader, "/tasks", "staff");
    expect(tasks.warnings.total).toBe(staff.rows.length);
  });
});

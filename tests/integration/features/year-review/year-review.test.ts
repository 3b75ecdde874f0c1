import ExcelJS from "exceljs";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import type { Actor } from "~/features/plans/lifecycle";
import { openItemsAsOf } from "~/kernel/ledger/open-items";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/kpi.server";
import { loadLedgerSnapshot } from "~/features/kpi/queries/ledger.server";
import { customerOverdueAt } from "~/features/year-review/queries.server";
import { itemScopeNames } from "~/features/year-review/year-review.server";
import { addComment, closeAction, createItem, createPlan, getPlan, setItemStatus, transition } from "~/features/plans/plans.server";
import { action as reviewAction, loader as reviewLoader } from "~/routes/_app.review.$fiscalYear";
import { loader as xlsxLoader } from "~/routes/_app.review.$fiscalYear.xlsx";
import { loader as indexLoader } from "~/routes/_app.review._index";
import { itemFieldsSchema } from "~/features/plans/schema";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";
import { csvSource, importIntoTestDb, importLedgerFixture } from "../../../support/ledger";

type ReviewData = Awaited<ReturnType<typeof reviewLoader>>;

// The fixture ledger is dated 2025, plus two customers with 2024 invoices (one paid in 2025, one
// not) and one payment dated after "today". Today is in FY2026, so FY2025 is the last complete year.
const TODAY = "2026-02-15";
const MALICIOUS = '=HYPERLINK("http://evil.example","click")';

const cookies = { head: "", staff: "", leader: "", admin: "" };
const actors: Record<"head" | "staff" | "leader", Actor> = {
  head: { id: 0, role: "head" },
  staff: { id: 0, role: "staff" },
  leader: { id: 0, role: "leader" },
};
const items = { collect: 0, train: 0, evil: 0, evilCarried: 0, push: 0 };

function fields(overrides: Record<string, string>) {
  return itemFieldsSchema.parse({ category: "collection", ownerId: String(actors.staff.id), ...overrides });
}

async function overdueAt(asOf: string): Promise<number> {
  return (await kpiValues(getDb(), resolveKpiRequest({ asOf }))).values.overdue_total;
}

beforeAll(async () => {
  const head = await makeUser("head", { email: "head@demo.quarterdeck" });
  const staff = await makeUser("staff", { email: "staff@demo.quarterdeck" });
  const leader = await makeUser("leader");
  const admin = await makeUser("admin");
  actors.head.id = head.id;
  actors.staff.id = staff.id;
  actors.leader.id = leader.id;
  await importLedgerFixture();
  await importIntoTestDb([
    {
      kind: "customers",
      source: csvSource("rv-customers.csv", [
        "code,name,region,owner_email,credit_grade,credit_limit",
        "RV001,Dalian Coach 大连大客,East,staff@demo.quarterdeck,B,50000",
        "RV002,Wuxi Coach 无锡大客,East,head@demo.quarterdeck,B,50000",
      ]),
    },
    {
      kind: "invoices",
      source: csvSource("rv-invoices.csv", [
        "invoice_no,customer_code,issue_date,due_date,amount",
        "RV-INV-1,RV001,2024-09-01,2024-10-01,8000.00",
        "RV-INV-2,RV002,2024-11-01,2024-11-30,2000.00",
        "RV-INV-3,RV002,2025-10-01,2025-10-31,4000.00",
      ]),
    },
    {
      kind: "payments",
      source: csvSource("rv-payments.csv", [
        "payment_no,customer_code,date,amount,invoice_no",
        "RV-PAY-1,RV001,2025-02-01,8000.00,RV-INV-1",
        "RV-PAY-2,RV002,2025-01-15,500.00,",
        "RV-PAY-3,RV002,2026-03-01,100.00,",
      ]),
    },
  ]);

  // FY2025 Q3: one item done with its KPI target missed, one done with a note, one carried over.
  const q3 = await createPlan(getDb(), actors.head, { fiscalYear: 2025, quarter: 3, source: "empty", language: "en" }, "2025-07-01");
  items.collect = await createItem(
    getDb(),
    actors.head,
    q3,
    fields({ title: "Collect from Northwind", dueDate: "2025-09-30", kpiKey: "overdue_total", kpiTarget: "1000.00" }),
    "2025-07-01",
  );
  items.train = await createItem(getDb(), actors.head, q3, fields({ title: "Order management training", category: "training", dueDate: "2025-09-15" }), "2025-07-01");
  items.evil = await createItem(getDb(), actors.head, q3, fields({ title: MALICIOUS, category: "reconciliation", ownerId: String(actors.head.id), dueDate: "2025-09-20" }), "2025-07-01");
  let plan = await getPlan(getDb(), q3);
  plan = await transition(getDb(), actors.head, q3, plan.version, { type: "submit" }, "2025-07-01");
  plan = await transition(getDb(), actors.leader, q3, plan.version, { type: "approve" }, "2025-07-02");
  for (const id of [items.collect, items.train]) {
    const item = plan.items.find((candidate) => candidate.id === id)!;
    await setItemStatus(getDb(), actors.staff, id, item.version, { status: "done", reason: "", note: "" }, "2025-08-01");
  }
  await addComment(getDb(), actors.staff, q3, items.train, "note", "Trained 12 planners; sign-in sheet filed.");
  plan = await getPlan(getDb(), q3);
  await transition(
    getDb(),
    actors.head,
    q3,
    plan.version,
    closeAction({ [items.collect]: "done", [items.train]: "done", [items.evil]: "carried_over" }, "Q3 closed."),
    "2025-10-01",
  );

  // FY2025 Q4: the carried-over item (never finished) and a year-end push whose target is missed.
  const q4 = await createPlan(getDb(), actors.head, { fiscalYear: 2025, quarter: 4, source: "carry_over", language: "en" }, "2025-10-01");
  const carried = (await getPlan(getDb(), q4)).items[0];
  if (!carried) throw new Error("the Q4 plan has its carried item");
  items.evilCarried = carried.id;
  items.push = await createItem(
    getDb(),
    actors.head,
    q4,
    fields({ title: "Year-end collection push", category: "year_end_push", dueDate: "2025-12-20", kpiKey: "collection_rate", kpiTarget: "99" }),
    "2025-10-01",
  );
  plan = await getPlan(getDb(), q4);
  plan = await transition(getDb(), actors.head, q4, plan.version, { type: "submit" }, "2025-10-01");
  await transition(getDb(), actors.leader, q4, plan.version, { type: "approve" }, "2025-10-02");

  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.leader = await signIn(leader.email);
  cookies.admin = await signIn(admin.email);
});

beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function review(year = "2025", cookie = cookies.leader): Promise<ReviewData> {
  const result = await call(reviewLoader, get(`/review/${year}`, cookie), { fiscalYear: year });
  expect(statusOf(result)).toBe(200);
  return payloadOf<ReviewData>(result);
}

describe("who may read the review, and which years there are", () => {
  it("sends /review to the last complete fiscal year", async () => {
    const result = await call(indexLoader, get("/review", cookies.staff));
    expect(statusOf(result)).toBe(302);
    expect((result as Response).headers.get("Location")).toBe("/review/2025");
  });

  it("is read by head, staff and leader; the administrator gets 403", async () => {
    for (const cookie of [cookies.head, cookies.staff, cookies.leader]) expect((await review("2025", cookie)).review.dates.fiscalYear).toBe(2025);
    expect(statusOf(await call(reviewLoader, get("/review/2025", cookies.admin), { fiscalYear: "2025" }))).toBe(403);
    expect(statusOf(await call(indexLoader, get("/review", cookies.admin)))).toBe(403);
    expect(statusOf(await call(xlsxLoader, get("/review/2025/xlsx", cookies.admin), { fiscalYear: "2025" }))).toBe(403);
  });

  it("answers 404 for a year with nothing to review, one not begun, and nonsense", async () => {
    for (const year of ["2019", "2027", "20x5", "99999"]) {
      expect(statusOf(await call(reviewLoader, get(`/review/${year}`, cookies.leader), { fiscalYear: year }))).toBe(404);
    }
    expect(statusOf(await call(xlsxLoader, get("/review/2019/xlsx", cookies.leader), { fiscalYear: "2019" }))).toBe(404);
    expect((await review("2025")).years).toEqual([2026, 2025, 2024]);
  });
});

describe("(1) how the receivables changed", () => {
  it("shows the overdue at the ends of FY-2, FY-1 and FY exactly as the KPI service gives them", async () => {
    const { review: data } = await review();
    const { year, previousYear } = data.receivables.overdue;
    expect(year).toMatchObject({ from: "2024-12-31", to: "2025-12-31", atStart: await overdueAt("2024-12-31"), atEnd: await overdueAt("2025-12-31") });
    // The ledger begins on 2024-09-01: the end of 2023 has no position, so the year before has no start.
    expect(previousYear).toMatchObject({ from: "2023-12-31", to: "2024-12-31", atStart: null, atEnd: await overdueAt("2024-12-31"), reduction: null });
    expect(data.receivables.overdue.againstPreviousYear).toBeNull();
    expect(year.atStart).toBe(1_000_000); // RV001's 8,000.00 and RV002's 2,000.00
    expect(year.reduction).toBe(1_000_000 - (year.atEnd ?? 0));
    expect(data.receivables).toMatchObject({ ledgerStart: "2024-09-01", openingCovered: true });
    expect(data.dates).toMatchObject({ opening: "2024-12-31", closing: "2025-12-31", running: false });
  });

  it("says the ledger's first year has no opening position instead of a reduction from zero", async () => {
    const { review: data } = await review("2024");
    const { year, previousYear, againstPreviousYear } = data.receivables.overdue;
    expect(year).toMatchObject({ from: "2023-12-31", to: "2024-12-31", atStart: null, reduction: null, reductionRate: null });
    expect(year.atEnd).toBe(await overdueAt("2024-12-31"));
    expect(previousYear).toMatchObject({ atStart: null, atEnd: null, reduction: null });
    expect(againstPreviousYear).toBeNull();
    // No customer "rose from zero": without an opening position there are no movers.
    expect(data.receivables).toMatchObject({ openingCovered: false, movers: { fell: [], rose: [], fellCount: 0, grewCount: 0 } });
  });

  it("ends a running year today, and still matches the KPI service", async () => {
    const { review: data } = await review("2026");
    expect(data.dates).toMatchObject({ running: true, closing: TODAY });
    expect(data.receivables.overdue.year.atEnd).toBe(await overdueAt(TODAY));
    expect(data.receivables.quarters).toHaveLength(1);
    expect(data.receivables.quarters[0]).toMatchObject({ date: TODAY, partial: true });
  });

  it("gives each quarter's DSO, countback DSO, collection rate and CEI as of its last day", async () => {
    const { review: data } = await review();
    expect(data.receivables.quarters.map((q) => q.date)).toEqual(["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]);
    const q2 = (await kpiValues(getDb(), resolveKpiRequest({ asOf: "2025-06-30" }))).values;
    expect(data.receivables.quarters[1]).toMatchObject({ dso: q2.dso, dsoCountback: q2.dso_countback, collectionRate: q2.collection_rate, cei: q2.cei });
    expect(data.receivables.monthly).toHaveLength(12);
    expect(data.receivables.agingByQuarter.map((p) => p.date)).toEqual(["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]);
  });

  it("gives every customer's overdue as the engine settles it, at month ends and on days with later documents", async () => {
    const customers = new Map((await getDb().selectFrom("customers").select(["id", "code"]).execute()).map((c) => [c.code, c.id]));
    for (const date of ["2024-12-31", "2025-03-15", "2025-06-30", "2025-07-04", "2025-12-31", TODAY]) {
      const perCustomer = (await customerOverdueAt(getDb(), [date])).get(date)!;
      expect([...perCustomer.values()].reduce((a, b) => a + b, 0), date).toBe(await overdueAt(date));
      const engine = new Map<number, number>();
      for (const customer of openItemsAsOf(await loadLedgerSnapshot(getDb(), null, date), date).customers) {
        const overdue = customer.invoices.filter((i) => i.dueDate < date).reduce((sum, i) => sum + i.openAmount, 0);
        if (overdue > 0) engine.set(customers.get(customer.customerCode)!, overdue);
      }
      expect(perCustomer, date).toEqual(engine);
    }
  });

  it("ranks the customers whose overdue fell and rose most; staff see only their own", async () => {
    const { movers } = (await review()).review.receivables;
    expect(movers.fell.map((m) => [m.code, m.atStart, m.atEnd, m.change])).toEqual([["RV001", 800_000, 0, -800_000]]);
    const rv002 = movers.rose.find((m) => m.code === "RV002")!;
    expect(rv002).toMatchObject({ atStart: 200_000, atEnd: 550_000, change: 350_000, ownerName: expect.any(String) });
    for (let i = 1; i < movers.rose.length; i += 1) expect(movers.rose[i - 1]?.change).toBeGreaterThanOrEqual(movers.rose[i]?.change ?? Infinity);
    const staffView = (await review("2025", cookies.staff)).review.receivables;
    expect(staffView.ownCustomersOnly).toBe(true);
    expect(staffView.movers.rose.every((m) => m.ownerId === actors.staff.id)).toBe(true);
    expect(staffView.movers.rose.some((m) => m.code === "RV002")).toBe(false);
  });
});

describe("(2) the work done and (3) the problems, from the year's plans", () => {
  it("lists the done items by category with owners, dates and notes, and each KPI item's baseline, target and result", async () => {
    const { work } = (await review()).review;
    expect(work).toMatchObject({ done: 2, planned: 5 });
    expect(work.categories.map((g) => [g.category, g.items.map((i) => i.id)])).toEqual([
      ["collection", [items.collect]],
      ["training", [items.train]],
    ]);
    expect(work.categories[1]?.items[0]).toMatchObject({ ownerId: actors.staff.id, doneOn: "2025-08-01", notes: ["Trained 12 planners; sign-in sheet filed."] });
    const collect = work.kpiItems.find((i) => i.id === items.collect)!;
    expect(collect.kpi).toMatchObject({ key: "overdue_total", baselineDate: "2025-06-30", target: 100_000, measuredOn: "2025-09-30", final: true });
    expect(collect.kpi!.result).toBe(await overdueAt("2025-09-30"));
    expect(collect.kpi!.baseline).toBe(await overdueAt("2025-06-30"));
  });

  it("lists unfinished items with where they went, the missed targets and the customers whose overdue grew", async () => {
    const { problems, receivables } = (await review()).review;
    expect(problems.unfinished.map((i) => [i.id, i.state, i.carriedInto?.id ?? null])).toEqual([
      [items.evil, "carried_over", items.evilCarried],
      [items.evilCarried, "open", null],
      [items.push, "open", null],
    ]);
    expect(problems.missedTargets.map((i) => i.id)).toEqual([items.collect, items.push]);
    expect(problems.grew).toMatchObject({ count: receivables.movers.grewCount, total: receivables.movers.grewTotal });
    expect(problems.grew.count).toBeGreaterThan(0);
  });
});

describe("(4) next year's measures", () => {
  it("proposes the unfinished chain's last link and the missed targets", async () => {
    const { measures } = (await review()).review;
    expect(measures.map((m) => [m.sourceItemId, m.reasons])).toEqual([
      [items.collect, ["target_missed"]],
      [items.evilCarried, ["unfinished"]],
      [items.push, ["unfinished", "target_missed"]],
    ]);
  });

  it("lets only the head draft Q1 of next year, once, with owners, KPIs and targets carried", async () => {
    const fields = { intent: "draft-next-year", language: "en" };
    for (const cookie of [cookies.staff, cookies.leader]) {
      expect(statusOf(await call(reviewAction, post("/review/2025", fields, cookie), { fiscalYear: "2025" }))).toBe(403);
    }
    const result = await call(reviewAction, post("/review/2025", fields, cookies.head), { fiscalYear: "2025" });
    expect(statusOf(result)).toBe(302);
    const planId = Number((result as Response).headers.get("Location")!.match(/^\/plans\/(\d+)$/)![1]);
    const plan = await getPlan(getDb(), planId);
    expect(plan).toMatchObject({ fiscalYear: 2026, quarter: 1, state: "draft" });
    expect(plan.items.map((i) => [i.title, i.category, i.ownerId, i.dueDate, i.kpiLink?.kpi ?? null, i.kpiLink?.target ?? null])).toEqual([
      ["Collect from Northwind", "collection", actors.staff.id, "2026-03-31", "overdue_total", 100_000],
      [MALICIOUS, "reconciliation", actors.head.id, "2026-03-31", null, null],
      ["Year-end collection push", "year_end_push", actors.staff.id, "2026-03-31", "collection_rate", 0.99],
    ]);
    expect(plan.items[0]?.description).toContain("From the 2025 year-end review: Q3 2025 item, KPI target missed.");

    const again = await call(reviewAction, post("/review/2025", fields, cookies.head), { fiscalYear: "2025" });
    expect(statusOf(again)).toBe(409);
    expect(payloadOf<{ message: string }>(again).message).toBe("review.error.planExists");
    expect((await review()).review.nextYearPlanId).toBe(planId);
  });
});

describe("leadership's comments", () => {
  it("are written by leaders only, and an empty one is refused", async () => {
    const comment = { intent: "comment", body: "Overdue came down; keep the pressure on 大连大客." };
    for (const cookie of [cookies.head, cookies.staff]) {
      expect(statusOf(await call(reviewAction, post("/review/2025", comment, cookie), { fiscalYear: "2025" }))).toBe(403);
    }
    expect(statusOf(await call(reviewAction, post("/review/2025", comment, cookies.admin), { fiscalYear: "2025" }))).toBe(403);
    const empty = await call(reviewAction, post("/review/2025", { intent: "comment", body: "   " }, cookies.leader), { fiscalYear: "2025" });
    expect(statusOf(empty)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(empty).fieldErrors.body).toEqual(["validation.required"]);
    const saved = await call(reviewAction, post("/review/2025", comment, cookies.leader), { fiscalYear: "2025" });
    expect(statusOf(saved)).toBe(302);
    expect((await review("2025", cookies.staff)).review.comments.map((c) => c.body)).toEqual([comment.body]);
    expect((await review("2024", cookies.staff)).review.comments).toEqual([]);
    expect(statusOf(await call(reviewAction, post("/review/2031", comment, cookies.leader), { fiscalYear: "2031" }))).toBe(404);
  });

  it("refuses a forged post (no such intent, a nonsense year) and changes nothing", async () => {
    const before = await getDb().selectFrom("review_comments").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    const forged = await call(reviewAction, post("/review/2025", { intent: "delete-everything", body: "x" }, cookies.leader), { fiscalYear: "2025" });
    expect(statusOf(forged)).toBe(400);
    expect(payloadOf<{ ok: boolean; fieldErrors: Record<string, string[]> }>(forged)).toMatchObject({ ok: false, fieldErrors: { intent: expect.any(Array) } });
    for (const year of ["20x5", "0", "-1"]) {
      expect(statusOf(await call(reviewAction, post(`/review/${year}`, { intent: "comment", body: "x" }, cookies.leader), { fiscalYear: year }))).toBe(404);
    }
    const after = await getDb().selectFrom("review_comments").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

describe("the XLSX export", () => {
  it("holds the review's tables with numeric amounts and neutralised text", async () => {
    const result = await call(xlsxLoader, get("/review/2025/xlsx", cookies.leader), { fiscalYear: "2025" });
    expect(statusOf(result)).toBe(200);
    const response = result as Response;
    expect(response.headers.get("Content-Type")).toContain("spreadsheetml");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      "Overdue", "Quarters", "Monthly", "Aging", "Overdue fell", "Overdue rose", "Work done", "KPI results", "Unfinished", "Targets missed", "Next year", "Staff scoring", "Comments",
    ]);
    const overdue = workbook.getWorksheet("Overdue")!;
    const start = overdue.getRow(2).getCell(4);
    expect(start.value).toBe((await overdueAt("2024-12-31")) / 100);
    expect(typeof start.value).toBe("number");
    expect(start.numFmt).toBe("#,##0.00");
    expect(overdue.getRow(2).getCell(7).numFmt).toBe("0.0%");
    const unfinished = workbook.getWorksheet("Unfinished")!;
    expect(unfinished.getRow(2).getCell(1).value).toBe(`'${MALICIOUS}`);
    const fell = workbook.getWorksheet("Overdue fell")!;
    expect(fell.getRow(2).getCell(2).value).toBe("RV001");
    expect(fell.getRow(2).getCell(7).value).toBe(-8000);
  });
});

describe("the KPI items' scopes", () => {
  it("are named by the owner's name and the customer's code and name, not by the scope's e-mail", async () => {
    const staff = await getDb().selectFrom("users").select(["email", "name"]).where("id", "=", actors.staff.id).executeTakeFirstOrThrow();
    const customer = await getDb().selectFrom("customers").select(["code", "name"]).where("code", "=", "RV001").executeTakeFirstOrThrow();
    const names = await itemScopeNames(getDb(), [
      { kpi: { key: "dso", scope: `owner:${staff.email}`, better: "down", baseline: null, baselineDate: null, target: null, result: null, measuredOn: "2025-09-30", final: true, hidden: false } },
      { kpi: { key: "overdue_total", scope: "customer:RV001", better: "down", baseline: null, baselineDate: null, target: null, result: null, measuredOn: "2025-09-30", final: true, hidden: false } },
      { kpi: null },
    ]);
    expect(names).toEqual({ [`owner:${staff.email}`]: staff.name, "customer:RV001": `RV001 ${customer.name}` });
  });
});

import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { today } from "~/server/clock.server";
import { addDays } from "~/kernel/dates";
import { parseScope } from "~/features/kpi";
import { kpiValues, resolveKpiRequest } from "~/features/kpi/index.server";
import { forecastFor } from "~/features/forecast/index.server";
import { openInvoiceList } from "~/features/forecast/forecast";
import { projectAt, pushGap, weeksToReach } from "~/features/forecast/projection";
import { chaseList, offPath, plannedValue } from "~/features/forecast/push";
import type { PushPlan } from "~/features/forecast/push.server";
import { loader } from "~/routes/_app.forecast_.push";
import { loader as exportLoader } from "~/routes/_app.forecast_.push.export";
import { call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { forecastLedgerOwners, importForecastLedger } from "../../../support/forecast-ledger";
import { makePlan } from "../../../support/plans";
import { rememberWordings } from "~/features/settings/index.server";

const owners = forecastLedgerOwners("push");
let headCookie: string;
let staffCookie: string;
let dueDate: string;
let ownerBName: string;
const items: Record<"overdue" | "dso" | "ownerB" | "other", number> = { overdue: 0, dso: 0, ownerB: 0, other: 0 };

beforeAll(async () => {
  const head = await makeUser("head");
  const leader = await makeUser("leader");
  await makeUser("staff", { email: owners.a });
  ownerBName = (await makeUser("staff", { email: owners.b })).name;
  await importForecastLedger(owners);
  headCookie = await signIn(head.email);
  staffCookie = await signIn(owners.a);
  dueDate = addDays(today(), 24);
  const month = Number(dueDate.slice(5, 7));
  const { itemIds } = await makePlan(
    getDb(),
    { head: head.email, leader: leader.email },
    {
      fiscalYear: Number(dueDate.slice(0, 4)),
      quarter: Math.ceil(month / 3) as 1 | 2 | 3 | 4,
      items: [
        { title: "Clear the overdue", dueDate, kpi: { key: "overdue_total", scope: "company", target: "500.00" } },
        { title: "Bring DSO down", dueDate, kpi: { key: "dso", scope: "company", target: "20" } },
        { title: "Owner B's overdue", dueDate, kpi: { key: "overdue_total", scope: `owner:${owners.b}`, target: "0" } },
        { title: "Receivables", dueDate, kpi: { key: "ar_total", scope: "company", target: "100.00" } },
      ],
    },
    today(),
  );
  [items.overdue, items.dso, items.ownerB, items.other] = itemIds as [number, number, number, number];
});

/** The figures worked out from the forecast with the pure functions, as the page should show them. */
async function expected(kpi: "overdue_total" | "dso", target: number) {
  const db = getDb();
  const asOf = today();
  const scope = parseScope("company");
  if (!scope.ok) throw new Error("company scope");
  const result = await forecastFor(db, { asOf, scope: scope.scope, weeks: weeksToReach(asOf, dueDate) });
  const { values } = await kpiValues(db, resolveKpiRequest({ asOf, scope: "company" }));
  const projection = projectAt({
    asOf,
    date: dueDate,
    arTotal: values.ar_total,
    overdueTotal: values.overdue_total,
    creditSales90d: values.credit_sales_90d,
    invoices: result.inputs.invoices,
    weeks: result.forecast.weeks,
    billed: result.forecast.newSalesBilled,
  });
  const gap = pushGap(kpi, target, projection);
  const codes = new Map(result.inputs.customers.map((c) => [c.id, c.code]));
  const amounts = new Map<number, number>();
  for (const invoice of openInvoiceList(result.inputs.invoices)) {
    if (kpi === "overdue_total" && invoice.dueDate >= dueDate) continue;
    amounts.set(invoice.customerId, (amounts.get(invoice.customerId) ?? 0) + invoice.open);
  }
  const candidates = result.forecast.customers.map((view) => ({ key: codes.get(view.customerId) ?? "", amount: amounts.get(view.customerId) ?? 0, probability: view.probability }));
  return { projection, gap, list: chaseList(candidates.filter((c) => c.amount > 0), gap.required ?? 0) };
}

describe("the year-end push page", () => {
  it("projects overdue to the item's due date from the forecast and ranks the customers that close the gap", async () => {
    const page = payloadOf<PushPlan>(await call(loader, get(`/forecast/push?item=${items.overdue}`, headCookie)));
    const want = await expected("overdue_total", 50000);
    expect(page.item.dueDate).toBe(dueDate);
    expect(page.projection).toEqual(want.projection);
    expect(page.gap).toEqual(want.gap);
    // every invoice of the test ledger is overdue long before the date: the gap is real
    expect(page.gap.required).toBeGreaterThan(0);
    expect(page.rows.map((r) => [r.code, r.amount, r.expected, r.closesGap])).toEqual(
      want.list.map((r) => [r.candidate.key, r.candidate.amount, r.expected, r.closesGap]),
    );
    expect(page.rows.map((r) => r.code).sort()).toEqual(["F1", "F2", "F3"]);
    expect(page.rows.some((r) => r.closesGap)).toBe(true);
    expect(page.rows.find((r) => r.code === "F3")?.ownerName).toBe(ownerBName);
  });

  it("names an owner's scope by the owner's name, not the scope's key", async () => {
    const page = payloadOf<PushPlan>(await call(loader, get(`/forecast/push?item=${items.ownerB}`, headCookie)));
    expect(page.item.scope).toBe(`owner:${owners.b}`);
    expect(page.scopeNames[`owner:${owners.b}`]).toBe(ownerBName);
  });

  it("shows a title written in both languages in the reader's, as the plan does", async () => {
    await rememberWordings(getDb(), [{ entity: "plan_item", entityId: items.overdue, field: "title", wordings: { en: "Clear the overdue", zh: "清理逾期账款" } }]);
    const reader = await makeUser("head");
    await getDb().updateTable("users").set({ locale: "zh-CN" }).where("id", "=", reader.id).execute();
    const inChinese = payloadOf<PushPlan>(await call(loader, get(`/forecast/push?item=${items.overdue}`, await signIn(reader.email))));
    expect(inChinese.item.title).toBe("清理逾期账款");
    const inEnglish = payloadOf<PushPlan>(await call(loader, get(`/forecast/push?item=${items.overdue}`, headCookie)));
    expect(inEnglish.item.title).toBe("Clear the overdue");
  });

  it("judges at risk against a straight path from the item's baseline to its target", async () => {
    const db = getDb();
    await db.updateTable("plan_items").set({ kpi_baseline: 300_001, kpi_baseline_date: addDays(today(), -24) }).where("id", "=", items.overdue).execute();
    const page = payloadOf<PushPlan>(await call(loader, get(`/forecast/push?item=${items.overdue}`, headCookie)));
    const exact = plannedValue({ start: { date: addDays(today(), -24), value: 300_001 }, end: { date: dueDate, value: 50_000 } }, today());
    // halfway from 3,000.01 to 500.00, kept in whole minor units as money is everywhere
    expect(exact).toBe(175_000.5);
    const planned = 175_001;
    const { values } = await kpiValues(db, resolveKpiRequest({ asOf: today(), scope: "company" }));
    expect(page.path).toMatchObject({ choice: "straight", used: "straight", baseline: 300_001, baselineDate: addDays(today(), -24), planned, atRisk: offPath(values.overdue_total, planned, "down") });
    // the ledger's 3,300.00 is all overdue: worse than the path
    expect(page.path?.atRisk).toBe(true);
    await db.updateTable("plan_items").set({ kpi_baseline: null, kpi_baseline_date: null }).where("id", "=", items.overdue).execute();
    expect(payloadOf<PushPlan>(await call(loader, get(`/forecast/push?item=${items.overdue}`, headCookie))).path).toBeNull();
  });

  it("works out the receivables a DSO target allows and the reduction it needs", async () => {
    const page = payloadOf<PushPlan>(await call(loader, get(`/forecast/push?item=${items.dso}`, headCookie)));
    const want = await expected("dso", 20);
    expect(page.projection).toEqual(want.projection);
    expect(page.gap).toEqual(want.gap);
    if (page.projection.creditSales90d > 0) {
      expect(page.gap.allowedReceivables).toBe(Math.round((20 * page.projection.creditSales90d) / 90));
      expect(page.gap.required).toBe(Math.max(0, page.projection.receivables - (page.gap.allowedReceivables ?? 0)));
    } else {
      expect(page.gap.required).toBeNull();
    }
    expect(page.rows.map((r) => r.code)).toEqual(want.list.map((r) => r.candidate.key));
  });

  it("lists staff only their own customers, and refuses them another owner's item", async () => {
    const page = payloadOf<PushPlan>(await call(loader, get(`/forecast/push?item=${items.overdue}`, staffCookie)));
    expect(page.ownOnly).toBe(true);
    expect(page.rows.map((r) => r.code).sort()).toEqual(["F1", "F2"]);
    expect(statusOf(await call(loader, get(`/forecast/push?item=${items.ownerB}`, staffCookie)))).toBe(403);
  });

  it("refuses a bad item number (400), an unknown item and an item of another KPI (404)", async () => {
    expect(statusOf(await call(loader, get("/forecast/push?item=abc", headCookie)))).toBe(400);
    expect(statusOf(await call(loader, get("/forecast/push?item=", headCookie)))).toBe(400);
    expect(statusOf(await call(loader, get("/forecast/push?item=987654", headCookie)))).toBe(404);
    expect(statusOf(await call(loader, get(`/forecast/push?item=${items.other}`, headCookie)))).toBe(404);
  });
});

const major = (minor: number | undefined) => ((minor ?? 0) / 100).toFixed(2);

describe("the chase list export", () => {
  it("writes the page's rows in its order through the safe writer, text formulas neutralised", async () => {
    await getDb().updateTable("customers").set({ name: "=HYPERLINK(1)" }).where("code", "=", "F3").execute();
    const page = payloadOf<PushPlan>(await call(loader, get(`/forecast/push?item=${items.overdue}`, headCookie)));
    const response = (await call(exportLoader, get(`/forecast/push/export?item=${items.overdue}&format=csv`, headCookie))) as Response;
    expect(response.status).toBe(200);
    const lines = (await response.text()).replace(/^\uFEFF/, "").trim().split(/\r?\n/);
    expect(lines[0]).toBe("#,Code,Customer,Owner,Amount,Probability,Expected,Cumulative,Closes the gap");
    expect(lines.slice(1).map((line) => line.split(",")[1])).toEqual(page.rows.map((r) => r.code));
    const f3 = page.rows.findIndex((r) => r.code === "F3");
    const row = page.rows[f3];
    expect(lines[f3 + 1]).toBe(
      [String(f3 + 1), "F3", "'=HYPERLINK(1)", ownerBName, major(row?.amount), row?.probability.toFixed(4), major(row?.expected), major(row?.cumulative), row?.closesGap ? "Yes" : ""].join(","),
    );
    const xlsx = (await call(exportLoader, get(`/forecast/push/export?item=${items.overdue}&format=xlsx`, headCookie))) as Response;
    expect(xlsx.headers.get("Content-Type")).toMatch(/spreadsheetml/);
  });

  it("gives staff their own customers only, and refuses a bad format (400) or item (404)", async () => {
    const response = (await call(exportLoader, get(`/forecast/push/export?item=${items.overdue}&format=csv`, staffCookie))) as Response;
    const codes = (await response.text()).trim().split(/\r?\n/).slice(1).map((line) => line.split(",")[1]);
    expect(codes.sort()).toEqual(["F1", "F2"]);
    expect(statusOf(await call(exportLoader, get(`/forecast/push/export?item=${items.overdue}&format=pdf`, headCookie)))).toBe(400);
    expect(statusOf(await call(exportLoader, get("/forecast/push/export?item=987654&format=csv", headCookie)))).toBe(404);
    expect(statusOf(await call(exportLoader, get(`/forecast/push/export?item=${items.ownerB}&format=csv`, staffCookie)))).toBe(403);
  });
});

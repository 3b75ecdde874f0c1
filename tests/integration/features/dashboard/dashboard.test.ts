import type { AddressInfo } from "node:net";
import type { Server } from "node:http";

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { createHttpApp, loadServerBuild } from "~/server/http.server";
import type { AllKpiValues } from "~/features/credit/kpis";
import { allKpiValues, resolveKpiRequest } from "~/features/kpi/kpi.server";
import { loader } from "~/routes/_app._index";
import { loader as helpLoader } from "~/routes/_app.help.kpis";
import { TEST_PASSWORD, call, get, makeUser, payloadOf, signIn, statusOf } from "../../../support/app";
import { importLedgerFixture } from "../../../support/ledger";
import { defined } from "../../../support/defined";

/** The loader's payload, `data(...)` answers unwrapped. */
type Unwrap<T> = T extends { data: infer D; init: ResponseInit | null } ? D : T;
type Loaded = Unwrap<Awaited<ReturnType<typeof loader>>>;
type DashboardPage = Extract<Loaded, { kind: "dashboard" }>;

const TODAY = "2025-07-31";
const cookies = { head: "", staff: "", otherStaff: "", leader: "", admin: "" };
const emails = { head: "head@demo.quarterdeck", staff: "staff@demo.quarterdeck", otherStaff: "" };

beforeAll(async () => {
  // The fixture's customers are owned by these two (tests/fixtures/ledger/README.md).
  const head = await makeUser("head", { email: emails.head });
  const staff = await makeUser("staff", { email: emails.staff });
  const otherStaff = await makeUser("staff");
  emails.otherStaff = otherStaff.email;
  const leader = await makeUser("leader");
  const admin = await makeUser("admin");
  await importLedgerFixture();
  cookies.head = await signIn(head.email);
  cookies.staff = await signIn(staff.email);
  cookies.otherStaff = await signIn(otherStaff.email);
  cookies.leader = await signIn(leader.email);
  cookies.admin = await signIn(admin.email);
});

// After every fixture document (the latest is dated 2025-07-05).
beforeEach(() => {
  vi.stubEnv("QUARTERDECK_TODAY", TODAY);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

async function open(query: string, cookie: string): Promise<{ status: number; page: Loaded }> {
  const result = await call(loader, get(`/${query}`, cookie));
  return { status: statusOf(result), page: payloadOf<Loaded>(result) };
}

async function dashboard(query: string, cookie: string): Promise<DashboardPage> {
  const { status, page } = await open(query, cookie);
  expect(status).toBe(200);
  if (page.kind !== "dashboard") throw new Error(`expected the dashboard, got ${page.kind}`);
  return page;
}

/** The KPI service's own answer: what the CLI and the API give for the date and scope. */
async function kpisAt(asOf: string, scope = "company"): Promise<AllKpiValues> {
  return (await allKpiValues(getDb(), resolveKpiRequest({ asOf, scope }))).values;
}

async function expectCardsToMatch(page: DashboardPage, asOf: string, scope: string) {
  const figures = page.dashboard;
  if (!figures) throw new Error("no figures");
  expect(figures.headline.asOf).toBe(asOf);
  expect(figures.scope).toBe(scope);
  const [current, quarter, year] = await Promise.all([
    kpisAt(asOf, scope),
    kpisAt(defined(figures.headline.cards[0]?.comparisons[0]?.date, "the first comparison"), scope),
    kpisAt(defined(figures.headline.cards[0]?.comparisons[1]?.date, "the second comparison"), scope),
  ]);
  expect(figures.headline.cards).toHaveLength(17);
  for (const card of figures.headline.cards) {
    expect(card.value, card.key).toBe(current[card.key]);
    if (card.secondary) expect(card.secondary.value, card.secondary.key).toBe(current[card.secondary.key]);
    expect(card.comparisons.map((c) => c.change.previous), card.key).toEqual([quarter[card.key], year[card.key]]);
    expect(card.target).toBeNull();
  }
}

describe("the dashboard loader", () => {
  it("head: today's company figures, each card equal to the KPI service's for the same date and scope", async () => {
    const page = await dashboard("", cookies.head);
    expect(page.form).toEqual({ asOf: TODAY, scope: "company" });
    expect(page.error).toBeNull();
    await expectCardsToMatch(page, TODAY, "company");
    const headline = page.dashboard!.headline;
    expect(headline.period).toEqual({ start: "2025-07-01", end: TODAY });
    expect(headline.cards[0]?.comparisons.map((c) => [c.basis, c.date])).toEqual([
      ["previousQuarterEnd", "2025-06-30"],
      ["sameDateLastYear", "2024-07-31"],
    ]);
    // the fixture's receivables: FX001 6,434.81 + FX002 35,500.00 + FX004 90,000.00 + FX006 3,000.00
    expect(headline.cards.find((c) => c.key === "ar_total")?.value).toBe(13_493_481);
    // the provision's cards, beside the others: a positive provision, its ratio to the same receivables
    const provision = headline.cards.find((c) => c.key === "provision_total");
    expect(provision?.value).toBeGreaterThan(0);
    expect(provision?.secondary).toMatchObject({ key: "provision_ratio", value: (provision?.value ?? 0) / 13_493_481 });
    expect(headline.cards.find((c) => c.key === "expected_loss_rate")?.value).not.toBeUndefined();
    expect(page.choices).toEqual({
      company: true,
      regions: ["East", "North", "South", "West"],
      grades: ["A", "B", "C"],
      owners: expect.arrayContaining([expect.objectContaining({ email: emails.head }), expect.objectContaining({ email: emails.staff })]),
      ownEmail: null,
    });
  });

  it("compares the provision only where it is read from kept figures: not at a mid-month date before later documents", async () => {
    // 2025-03-15: the quarter end before it is a month end (kept month-end positions); the same
    // date last year is mid-month, with the fixture's later documents after it
    const headline = (await dashboard("?asOf=2025-03-15", cookies.head)).dashboard!.headline;
    const card = (key: string) => defined(headline.cards.find((c) => c.key === key));
    const comparison = (key: string, basis: string) => defined(card(key).comparisons.find((c) => c.basis === basis));
    expect(comparison("provision_total", "previousQuarterEnd").date).toBe("2024-12-31");
    expect(comparison("provision_total", "previousQuarterEnd").change.previous).not.toBeNull();
    expect(comparison("provision_total", "sameDateLastYear").date).toBe("2024-03-15");
    expect(comparison("provision_total", "sameDateLastYear").change).toEqual({ previous: null, delta: null, direction: null, tone: "neutral" });
    expect(comparison("expected_loss_rate", "sameDateLastYear").change.previous).toBeNull();
    // the other cards keep both comparisons, and the provision at the as-of date itself is shown
    expect(comparison("ar_total", "sameDateLastYear").change.previous).not.toBeNull();
    expect(card("provision_total").value).not.toBeNull();
  });

  it("builds the trend series from the KPI service at each month end and quarter end", async () => {
    const figures = (await dashboard("?asOf=2025-06-30", cookies.head)).dashboard!;
    expect(figures.monthly).toHaveLength(24);
    expect(figures.monthly.map((p) => p.date).slice(-3)).toEqual(["2025-04-30", "2025-05-31", "2025-06-30"]);
    for (const point of figures.monthly) {
      const expected = await kpisAt(point.date);
      expect([point.arTotal, point.overdueTotal, point.dso, point.aging], point.date).toEqual([
        expected.ar_total,
        expected.overdue_total,
        expected.dso,
        expected.aging,
      ]);
    }
    expect(figures.quarterly.map((q) => `${q.fiscalYear}Q${q.quarter}`)).toEqual([
      "2023Q3",
      "2023Q4",
      "2024Q1",
      "2024Q2",
      "2024Q3",
      "2024Q4",
      "2025Q1",
      "2025Q2",
    ]);
    for (const quarter of figures.quarterly) {
      const expected = await kpisAt(quarter.date);
      expect([quarter.collectionRate, quarter.cei, quarter.billed, quarter.collected], quarter.date).toEqual([
        expected.collection_rate,
        expected.cei,
        expected.billed,
        expected.collected,
      ]);
    }
    // the fixture's second quarter of 2025 had sales and collections
    expect(figures.quarterly[7]?.billed).toBeGreaterThan(0);
  });

  // Today reads the open items the import keeps; an earlier date settles the documents itself.
  it.each([TODAY, "2025-06-30", "2025-05-31"])("lists the top overdue customers as of %s, each with its own overdue", async (asOf) => {
    const figures = (await dashboard(`?asOf=${asOf}`, cookies.head)).dashboard!;
    const codes = ["FX001", "FX002", "FX003", "FX004", "FX005", "FX006"];
    const own = await Promise.all(codes.map(async (code) => ({ code, values: await kpisAt(asOf, `customer:${code}`) })));
    const expected = own
      .filter((c) => c.values.overdue_total > 0)
      .sort((a, b) => b.values.overdue_total - a.values.overdue_total || (a.code < b.code ? -1 : 1))
      .map((c) => ({ code: c.code, overdue: c.values.overdue_total, arTotal: c.values.ar_total }));
    expect(expected.length).toBeGreaterThan(0);
    expect(figures.topOverdue.customers.map(({ code, overdue, arTotal }) => ({ code, overdue, arTotal }))).toEqual(expected);
    expect(figures.topOverdue.ownCustomersOnly).toBe(false);
    for (const customer of figures.topOverdue.customers) expect(customer.oldestDaysPastDue).toBeGreaterThan(0);
  });

  it("names the customers overdue on the fixture's own reckoning", async () => {
    const figures = (await dashboard("", cookies.head)).dashboard!;
    // FX004's invoice is due in 2036; FX003 is paid up; FX005 owes nothing
    expect(figures.topOverdue.customers.map((c) => [c.code, c.overdue])).toEqual([
      ["FX002", 3_550_000],
      ["FX001", 643_481],
      ["FX006", 300_000],
    ]);
  });

  it.each([
    ["region:North", "2025-06-30"],
    ["grade:A", TODAY],
    ["owner:staff@demo.quarterdeck", "2025-06-30"],
  ])("leader: %s as of %s equals the KPI service for that scope", async (scope, asOf) => {
    const page = await dashboard(`?${new URLSearchParams({ asOf, scope })}`, cookies.leader);
    expect(page.form).toEqual({ asOf, scope });
    await expectCardsToMatch(page, asOf, scope);
  });

  it("staff: starts on their own customers, may see the company's totals, lists only their own customers", async () => {
    const own = await dashboard("", cookies.staff);
    expect(own.form.scope).toBe(`owner:${emails.staff}`);
    expect(own.choices).toEqual({ company: true, regions: [], grades: [], owners: [], ownEmail: emails.staff });
    await expectCardsToMatch(own, TODAY, `owner:${emails.staff}`);
    expect(own.dashboard!.topOverdue).toEqual({
      customers: [expect.objectContaining({ code: "FX001", overdue: 643_481 })],
      ownCustomersOnly: true,
    });

    const company = await dashboard("?scope=company", cookies.staff);
    await expectCardsToMatch(company, TODAY, "company");
    // the totals are the company's, the names stay the staff member's own
    expect(company.dashboard!.topOverdue.customers.map((c) => c.code)).toEqual(["FX001"]);
    const earlier = await dashboard("?scope=company&asOf=2025-06-30", cookies.staff);
    expect(earlier.dashboard!.topOverdue.customers.map((c) => c.code)).toEqual(["FX001"]);
  });

  it("staff without customers sees zeros, not an error", async () => {
    const page = await dashboard("", cookies.otherStaff);
    expect(page.form.scope).toBe(`owner:${emails.otherStaff}`);
    expect(page.dashboard!.headline.cards.find((c) => c.key === "ar_total")?.value).toBe(0);
    expect(page.dashboard!.topOverdue.customers).toEqual([]);
  });

  it.each([`owner:${"head@demo.quarterdeck"}`, "region:East", "grade:A"])("staff: %s is refused with 403", async (scope) => {
    const { status } = await open(`?${new URLSearchParams({ scope })}`, cookies.staff);
    expect(status).toBe(403);
  });

  it("admin: keeps the plain home page", async () => {
    const { status, page } = await open("", cookies.admin);
    expect(status).toBe(200);
    expect(page.kind).toBe("home");
  });

  it.each([
    ["?asOf=2025-02-30", 400, "dashboard.errors.badDate", { value: "2025-02-30" }],
    ["?asOf=yesterday", 400, "dashboard.errors.badDate", { value: "yesterday" }],
    ["?asOf=1800-01-01", 400, "dashboard.errors.tooEarly", { value: "1800-01-01", earliest: "1900-01-01" }],
    ["?asOf=2999-01-01", 400, "dashboard.errors.future", { value: "2999-01-01", today: TODAY }],
    ["?scope=customer:FX001", 400, "dashboard.errors.badScope", { value: "customer:FX001" }],
    ["?scope=region:Atlantis", 404, "dashboard.errors.unknownScope", { value: "region:Atlantis" }],
    ["?scope=owner:nobody@example.test", 404, "dashboard.errors.unknownScope", { value: "owner:nobody@example.test" }],
  ])("answers %s with %i and a message for the page, not a 500", async (query, status, key, values) => {
    const result = await open(query, cookies.head);
    expect(result.status).toBe(status);
    const page = result.page as DashboardPage;
    expect(page.kind).toBe("dashboard");
    expect(page.dashboard).toBeNull();
    expect(page.error).toEqual({ key, values });
    // the form keeps what was asked, to be corrected
    expect(Object.values(page.form)).toContain(values.value);
  });

  it("sends someone signed out to the sign-in page", async () => {
    const result = await call(loader, get("/"));
    expect(statusOf(result)).toBe(302);
  });
});

describe("the KPI help page loader", () => {
  it("serves every signed-in role the worked example", async () => {
    for (const cookie of [cookies.head, cookies.staff, cookies.leader, cookies.admin]) {
      const result = await call(helpLoader, get("/help/kpis", cookie));
      expect(statusOf(result)).toBe(200);
      expect(payloadOf<Awaited<ReturnType<typeof helpLoader>>>(result).example.values.dso).toBeCloseTo(66.5, 10);
    }
    expect(statusOf(await call(helpLoader, get("/help/kpis")))).toBe(302);
  });
});

// Through the real HTTP stack over the built app (npm test builds first): what the browser gets.
describe("the dashboard over HTTP", () => {
  let server: Server;
  let base = "";
  let cookie = "";

  beforeAll(async () => {
    const app = createHttpApp(await loadServerBuild());
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, "127.0.0.1", () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const login = await fetch(`${base}/login`, {
      method: "POST",
      body: new URLSearchParams({ email: emails.head, password: TEST_PASSWORD }),
      redirect: "manual",
    });
    cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("shows a bad as-of date's reason on the page with a 400", async () => {
    const response = await fetch(`${base}/?asOf=2025-02-30`, { headers: { Cookie: cookie } });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("is not a date. Write the as-of date as YYYY-MM-DD");
    expect(html).toContain('role="alert"');
    expect(html).not.toContain("Something went wrong");
  });

  it("renders the cards, and each chart's table only when asked for, without JavaScript", async () => {
    const response = await fetch(`${base}/?asOf=2025-06-30`, { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Key figures");
    expect((html.match(/class="kpi-card"/g) ?? []).length).toBe(17);
    expect(html).toContain('href="/help/kpis#kpi-provision_total"');
    expect(html).toContain('href="/help/kpis#kpi-dso"');
    // Each chart's <details> holds a link that asks the server for the tables, not the tables.
    expect((html.match(/<details class="panel__table">/g) ?? []).length).toBe(4);
    expect(html).not.toContain('class="ledger-table chart-table"');
    expect(html).not.toContain('href="/customers/FX002"');
    for (const id of ["chart-dso-overdue", "chart-aging", "chart-collection", "chart-top-overdue"]) {
      expect(html).toContain(`href="/?asOf=2025-06-30&amp;tables=1#${id}"`);
    }

    const asked = await fetch(`${base}/?asOf=2025-06-30&tables=1`, { headers: { Cookie: cookie } });
    expect(asked.status).toBe(200);
    const withTables = await asked.text();
    expect((withTables.match(/<details class="panel__table" open="">/g) ?? []).length).toBe(4);
    expect((withTables.match(/class="ledger-table chart-table"/g) ?? []).length).toBe(4);
    expect(withTables).toContain('href="/customers/FX002"');
    expect(withTables).not.toContain("tables=1#");
  });
});

import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { createApiToken } from "~/features/users/index.server";
import { catchUpForecastInputs, forecastFor, forecastJson, resolveForecastRequest } from "~/features/forecast/index.server";
import { action, loader } from "~/routes/api.forecast";
import { BASE, call, makeUser, signIn, signedInAs } from "../../../support/app";
import { FORECAST_AS_OF, forecastLedgerOwners, importForecastLedger } from "../../../support/forecast-ledger";

const owners = forecastLedgerOwners("api");
let headCookie: string;
let adminCookie: string;
let staffACookie: string;
let leaderToken: string;

beforeAll(async () => {
  await makeUser("staff", { email: owners.a });
  await makeUser("staff", { email: owners.b });
  await importForecastLedger(owners);
  headCookie = (await signedInAs("head")).cookie;
  adminCookie = (await signedInAs("admin")).cookie;
  staffACookie = await signIn(owners.a);
  const leader = await makeUser("leader");
  leaderToken = (await createApiToken(getDb(), { userId: leader.id, name: "leader script", expiresInDays: null })).token;
});

async function ask(query: Record<string, string> | string, auth: { cookie?: string; token?: string } = {}) {
  const search = typeof query === "string" ? query : new URLSearchParams(query).toString();
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.Cookie = auth.cookie;
  if (auth.token) headers.Authorization = `Bearer ${auth.token}`;
  const response = (await call(loader, new Request(`${BASE}/api/forecast?${search}`, { headers }))) as Response;
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

type Week = { start: string; end: string; open: number; new_sales: number; expected: number; low: number; high: number };

/** Everything the forecast reads that a request could write. */
async function derivedState() {
  const db = getDb();
  return {
    status: await db.selectFrom("forecast_inputs_status").selectAll().execute(),
    months: await db.selectFrom("forecast_payment_months").selectAll().orderBy("customer_id").orderBy("month").execute(),
  };
}

describe("GET /api/forecast", () => {
  it("answers the hand-worked forecast, before the job has built its inputs and after, and writes nothing", async () => {
    const before = await derivedState();
    expect(before.status).toEqual([]);
    const live = await ask({ asOf: FORECAST_AS_OF }, { cookie: headCookie });
    expect(live.status).toBe(200);
    expect(await derivedState()).toEqual(before);

    expect(await catchUpForecastInputs(getDb())).toBeGreaterThan(0);
    expect(await catchUpForecastInputs(getDb())).toBeNull();
    const { status, body } = await ask({ asOf: FORECAST_AS_OF }, { cookie: headCookie });
    expect(status).toBe(200);
    expect(body).toEqual(live.body);
    expect(body).toEqual(JSON.parse(JSON.stringify(forecastJson(await forecastFor(getDb(), resolveForecastRequest({ asOf: FORECAST_AS_OF }))))));

    const weeks = body.weeks as Week[];
    expect(weeks).toHaveLength(13);
    // Days late 30 on 3,000 (the only payment after the ledger's run-in), all on one day. I-3 on
    // 04-19 (×0.96875: 775.00), I-1 on 04-30, I-2 on 05-09:
    expect(weeks.slice(0, 6).map((w) => w.open)).toEqual([0, 0, 775, 0, 2000, 500]);
    expect(weeks[0]).toEqual({ start: "2026-04-01", end: "2026-04-07", open: 0, new_sales: 0, expected: 0, low: 0, high: 0 });
    expect(weeks[2]).toEqual({ start: "2026-04-15", end: "2026-04-21", open: 775, new_sales: 0, expected: 775, low: 620, high: 930 });
    expect(weeks[4]).toMatchObject({ start: "2026-04-29", end: "2026-05-05" });
    // new sales (1,100.00 a month from 1 April) are paid 55 days after issue on average, ±8.7 days (σ² = 75)
    expect(weeks.slice(0, 5).every((w) => w.new_sales < 1)).toBe(true);
    // by week 13 the payments run at the sales rate: 1,100.00 a month is about 250.00 a week
    expect(weeks[12]?.new_sales).toBeGreaterThan(240);
    expect(weeks[12]?.new_sales).toBeLessThan(260);
    expect(body).toMatchObject({ asOf: FORECAST_AS_OF, scope: "company", expected_write_off: 25 });
    const months = body.months as { month: string; expected: number }[];
    expect(months.map((m) => m.month)).toEqual(["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01", "2027-02", "2027-03"]);
    // April: I-3 and I-1; May: I-2
    expect(months[0]?.expected ?? 0).toBeCloseTo(2775, 0);
    // the ledger begins in October 2025: the months it ran in are left out and 3 remain (behaviourMonths)
    expect(body.notes).toEqual([
      "days late are measured on payments from 2025-12 to 2026-02, 3 months rather than 12: the ledger's sales begin in 2025-10, and in its first months only the quick payers could have paid",
      "500.00 open uses its credit grade's average days late: those customers paid nothing from 2025-12 to 2026-02",
      "800.00 open uses the company's average days late: neither the customers nor their grades paid from 2025-12 to 2026-02",
    ]);
  });

  it("takes a scope and a number of weeks, for a token too", async () => {
    const { status, body } = await ask({ asOf: FORECAST_AS_OF, scope: `owner:${owners.a}`, weeks: "5" }, { token: leaderToken });
    expect(status).toBe(200);
    expect(body.scope).toBe(`owner:${owners.a}`);
    const weeks = body.weeks as Week[];
    // owner A: I-1 on 04-30; I-2 on 05-09, after the five weeks
    expect(weeks.map((w) => w.open)).toEqual([0, 0, 0, 0, 2000]);
    expect(body.expected_write_off).toBe(0);
  });

  it("lets staff ask for the company, their own book and their own customers only", async () => {
    expect((await ask({ asOf: FORECAST_AS_OF, scope: `owner:${owners.a}` }, { cookie: staffACookie })).status).toBe(200);
    expect((await ask({ asOf: FORECAST_AS_OF, scope: "customer:F1" }, { cookie: staffACookie })).status).toBe(200);
    const other = await ask({ asOf: FORECAST_AS_OF, scope: `owner:${owners.b}` }, { cookie: staffACookie });
    expect(other).toEqual({ status: 403, body: { error: `you may ask for your own customers (owner:${owners.a}), not another owner's` } });
    expect((await ask({ asOf: FORECAST_AS_OF, scope: "customer:F3" }, { cookie: staffACookie })).status).toBe(403);
    expect((await ask({ asOf: FORECAST_AS_OF, scope: "region:East" }, { cookie: staffACookie })).status).toBe(403);
  });

  it("refuses bad input as /api/kpis does: 400, 401, 403, 404 and 405, in JSON", async () => {
    expect(await ask({ asOf: FORECAST_AS_OF })).toEqual({ status: 401, body: { error: "sign in, or send an API token as Authorization: Bearer <token>" } });
    expect(await ask({ asOf: FORECAST_AS_OF }, { cookie: adminCookie })).toEqual({ status: 403, body: { error: "your role does not see ledger figures" } });
    expect(await ask({}, { cookie: headCookie })).toEqual({ status: 400, body: { error: "asOf is required (YYYY-MM-DD)" } });
    expect(await ask({ asOf: "2026-02-30" }, { cookie: headCookie })).toEqual({ status: 400, body: { error: 'asOf must be a real date written YYYY-MM-DD, got "2026-02-30"' } });
    expect(await ask({ asOf: FORECAST_AS_OF, weeks: "0" }, { cookie: headCookie })).toEqual({ status: 400, body: { error: 'weeks must be a whole number from 1 to 52, got "0"' } });
    expect(await ask({ asOf: FORECAST_AS_OF, weeks: "2.5" }, { cookie: headCookie })).toMatchObject({ status: 400 });
    expect(await ask({ asOf: FORECAST_AS_OF, scope: "planet:Mars" }, { cookie: headCookie })).toMatchObject({ status: 400 });
    expect(await ask(`asOf=${FORECAST_AS_OF}&asof=2026-01-01`, { cookie: headCookie })).toEqual({ status: 400, body: { error: 'unknown parameter "asof"; the parameters are asOf, scope, weeks' } });
    expect(await ask(`asOf=${FORECAST_AS_OF}&weeks=4&weeks=5`, { cookie: headCookie })).toEqual({ status: 400, body: { error: 'parameter "weeks" is given more than once' } });
    expect(await ask({ asOf: FORECAST_AS_OF, scope: "customer:NOPE" }, { cookie: headCookie })).toEqual({ status: 404, body: { error: "scope customer:NOPE names no known customer" } });
    expect(await ask({ asOf: FORECAST_AS_OF, scope: "owner:nobody@example.test" }, { cookie: headCookie })).toMatchObject({ status: 404 });
    expect(await ask({ asOf: FORECAST_AS_OF, scope: "region:Mars" }, { cookie: headCookie })).toMatchObject({ status: 404 });
    const posted = (await call(action, new Request(`${BASE}/api/forecast`, { method: "POST", headers: { Cookie: headCookie } }))) as Response;
    expect(posted.status).toBe(405);
    expect(await posted.json()).toEqual({ error: "use GET" });
  });
});

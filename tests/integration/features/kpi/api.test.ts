import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { kpiAnswer } from "~/features/kpi/kpi.server";
import { computeProvision } from "~/features/provisions/index.server";
import { createApiToken, revokeApiToken } from "~/features/users/index.server";
import { updateUser } from "~/features/users/index.server";
import { action, loader } from "~/routes/api.kpis";
import { AppError } from "~/kernel/app-error";
import { requireApiUser } from "~/server/api.server";
import { BASE, call, makeUser, signIn, signedInAs } from "../../../support/app";
import { instantOnBusinessDate } from "../../../support/business-date";
import { KPI_AS_OF, importKpiLedger, kpiLedgerOwners } from "../../../support/kpi-ledger";

const owners = kpiLedgerOwners("api");
let headCookie: string;
let adminCookie: string;
let staffA: { id: number; email: string };
let staffACookie: string;
let leaderToken: string;
let staffAToken: string;

beforeAll(async () => {
  // the owners exist (and can sign in) before the import assigns them their customers
  staffA = await makeUser("staff", { email: owners.a });
  await makeUser("staff", { email: owners.b });
  await importKpiLedger(owners);
  headCookie = (await signedInAs("head")).cookie;
  adminCookie = (await signedInAs("admin")).cookie;
  staffACookie = await signIn(owners.a);
  const leader = await makeUser("leader");
  leaderToken = (await createApiToken(getDb(), { userId: leader.id, name: "leader script", expiresInDays: null })).token;
  staffAToken = (await createApiToken(getDb(), { userId: staffA.id, name: "staff script", expiresInDays: 30 })).token;
});

function apiRequest(query: Record<string, string> | string, auth: { cookie?: string; token?: string; authorization?: string } = {}) {
  const search = typeof query === "string" ? query : new URLSearchParams(query).toString();
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.Cookie = auth.cookie;
  if (auth.token) headers.Authorization = `Bearer ${auth.token}`;
  if (auth.authorization) headers.Authorization = auth.authorization;
  return new Request(`${BASE}/api/kpis?${search}`, { headers });
}

async function ask(query: Record<string, string> | string, auth: Parameters<typeof apiRequest>[1] = {}) {
  const response = (await call(loader, apiRequest(query, auth))) as Response;
  expect(response).toBeInstanceOf(Response);
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

async function expected(request: { asOf: string; scope?: string; periodStart?: string; baseline?: string }) {
  return JSON.parse(JSON.stringify(await kpiAnswer(getDb(), request))) as Record<string, unknown>;
}

/**
 * What a refused API request must leave as it was: tokens, sessions, users. A credential's last
 * use is left out: a valid token or session refused at 403 was still used.
 */
async function apiState() {
  const db = getDb();
  const tokens = await db.selectFrom("api_tokens").selectAll().orderBy("id").execute();
  const sessions = await db.selectFrom("sessions").selectAll().orderBy("id").execute();
  return {
    tokens: tokens.map(({ last_used_at: _used, ...token }) => token),
    sessions: sessions.map(({ last_seen_at: _seen, ...session }) => session),
    users: await db.selectFrom("users").selectAll().orderBy("id").execute(),
    auditEntries: (await db.selectFrom("audit_log").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n,
  };
}

describe("GET /api/kpis with a session cookie", () => {
  it("answers the KPI object of kpiObject, with hand-checked figures to the cent", async () => {
    const { status, body } = await ask({ asOf: KPI_AS_OF }, { cookie: headCookie });
    expect(status).toBe(200);
    expect(body).toEqual(await expected({ asOf: KPI_AS_OF }));
    expect(body).toMatchObject({
      as_of: "2026-03-31",
      scope: "company",
      currency: "CNY",
      period: { start: "2026-01-01", end: "2026-03-31" },
      baseline_date: "2025-12-31",
      ar_total: 3500.5,
      current: 2000,
      overdue_total: 1500.5,
      aging: { current: 2000, "1_30": 500.5, "31_60": 0, "61_90": 600, "91_180": 400, "181_365": 0, over_365: 0 },
      credit_sales_90d: 2500.5,
      billed: 2500.5,
      collected: 700,
      written_off: 100,
      overdue_at_baseline: 800,
      customers_overdue: 2,
      customers_over_limit: 1,
    });
    expect(body.overdue_ratio).toBeCloseTo(1500.5 / 3500.5, 12);
    expect(body.collection_rate).toBeCloseTo(700 / (1800 + 2500.5), 12);
    expect(body.cei).toBeCloseTo(((1800 + 2500.5 - 3500.5) / (1800 + 2500.5 - 2000)) * 100, 10);
  });

  it("answers the provision KPIs: the ladder's provision, its ratio to gross receivables, the matrix's loss rate", async () => {
    const { status, body } = await ask({ asOf: KPI_AS_OF }, { cookie: headCookie });
    expect(status).toBe(200);
    // every open invoice is under a year old: 5 % of 3,500.50 = 175.025, rounded half up to the fen
    expect(body.provision_total).toBe(175.03);
    expect(body.provision_ratio).toBeCloseTo(175.03 / 3500.5, 12);
    const matrix = await computeProvision(getDb(), { asOf: KPI_AS_OF, method: "matrix", basis: null, table: null, scope: { type: "company" } });
    expect(matrix.grossReceivables).toBe(350050);
    expect(body.expected_loss_rate).toBeCloseTo(matrix.total / 350050, 12);
    const own = await ask({ asOf: KPI_AS_OF, scope: `owner:${owners.a}` }, { cookie: headCookie });
    // C1 and C2: 3,100.50 open, all under a year
    expect(own.body.provision_total).toBe(155.03);
    const refused = await ask({ asOf: KPI_AS_OF, scope: `owner:${owners.b}` }, { cookie: staffACookie });
    expect(refused.status).toBe(403);
    expect(refused.body).not.toHaveProperty("provision_total");
  });

  it("passes periodStart, baseline and a scope through", async () => {
    const query = { asOf: KPI_AS_OF, scope: `owner:${owners.a}`, periodStart: "2026-02-01", baseline: "2026-01-31" };
    const { status, body } = await ask(query, { cookie: headCookie });
    expect(status).toBe(200);
    expect(body).toEqual(await expected(query));
    expect(body).toMatchObject({
      scope: `owner:${owners.a}`,
      period: { start: "2026-02-01", end: "2026-03-31" },
      baseline_date: "2026-01-31",
      ar_total: 3100.5,
      overdue_total: 1100.5,
      billed: 2500.5,
      collected: 0,
      // 2026-01-31: I-1 has 600.00 left, 31 days past due
      overdue_at_baseline: 600,
    });
  });

  it("answers 401 in JSON, not a redirect to the sign-in page, without credentials", async () => {
    const { status, body, headers } = await ask({ asOf: KPI_AS_OF });
    expect(status).toBe(401);
    expect(body.error).toMatch(/sign in, or send an API token/);
    expect(headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    expect((await ask({ asOf: KPI_AS_OF }, { cookie: "qd_session=not-a-real-session-token-at-all" })).status).toBe(401);
  });

  it("refuses administrators (no business data) with 403", async () => {
    const { status, body } = await ask({ asOf: KPI_AS_OF }, { cookie: adminCookie });
    expect(status).toBe(403);
    expect(body.error).toMatch(/does not see ledger figures/);
  });

  it("refuses other methods with 405 in JSON, naming the allowed ones, and changes nothing", async () => {
    const before = await apiState();
    const response = (await call(action, new Request(`${BASE}/api/kpis`, { method: "POST", headers: { Cookie: headCookie } }))) as Response;
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("GET, HEAD");
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await response.json()).toEqual({ error: "use GET" });
    expect(await apiState()).toEqual(before);
  });
});

describe("GET /api/kpis with a Bearer token", () => {
  it("answers as the token's user", async () => {
    const query = { asOf: KPI_AS_OF, scope: "region:East" };
    const { status, body } = await ask(query, { token: leaderToken });
    expect(status).toBe(200);
    expect(body).toEqual(await expected(query));
    expect(body.ar_total).toBe(3100.5);
  });

  it.each([
    ["a token of the wrong shape", { authorization: "Bearer not-a-token" }, /not valid/],
    ["an unknown token", { authorization: `Bearer qd_${"A".repeat(43)}` }, /not valid/],
    ["another scheme", { authorization: "Basic dXNlcjpwYXNz" }, /must be "Bearer <token>"/],
    ["an empty Bearer", { authorization: "Bearer " }, /must be "Bearer <token>"/],
  ])("refuses %s with 401", async (_label, auth, message) => {
    const { status, body } = await ask({ asOf: KPI_AS_OF }, auth);
    expect(status).toBe(401);
    expect(body.error).toMatch(message);
  });

  it("refuses a bad token even beside a valid session cookie", async () => {
    const { status } = await ask({ asOf: KPI_AS_OF }, { cookie: headCookie, authorization: `Bearer qd_${"B".repeat(43)}` });
    expect(status).toBe(401);
  });

  it("refuses a revoked token at once", async () => {
    const user = await makeUser("head");
    const { token, summary } = await createApiToken(getDb(), { userId: user.id, name: "soon revoked", expiresInDays: null });
    expect((await ask({ asOf: KPI_AS_OF }, { token })).status).toBe(200);
    await revokeApiToken(getDb(), { tokenId: summary.id, userId: user.id });
    const { status, body } = await ask({ asOf: KPI_AS_OF }, { token });
    expect(status).toBe(401);
    expect(body.error).toMatch(/revoked/);
  });

  it("refuses an expired token", async () => {
    const user = await makeUser("head");
    // Created two days before a fixed instant of the business date, checked at that instant.
    const now = instantOnBusinessDate();
    const twoDaysAgo = new Date(now.getTime() - 2 * 86_400_000);
    const { token } = await createApiToken(getDb(), { userId: user.id, name: "one day", expiresInDays: 1 }, twoDaysAgo);
    const refused = await requireApiUser(apiRequest({ asOf: KPI_AS_OF }, { token }), now).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "unauthorized", status: 401, message: expect.stringMatching(/expired/) });
    expect(await requireApiUser(apiRequest({ asOf: KPI_AS_OF }, { token }), twoDaysAgo)).toMatchObject({ id: user.id, via: "token" });
  });

  it("refuses the token of a deactivated user", async () => {
    const user = await makeUser("head");
    const { token } = await createApiToken(getDb(), { userId: user.id, name: "leaver", expiresInDays: null });
    expect((await ask({ asOf: KPI_AS_OF }, { token })).status).toBe(200);
    await updateUser(getDb(), user.id, { active: false }, null);
    const { status, body } = await ask({ asOf: KPI_AS_OF }, { token });
    expect(status).toBe(401);
    expect(body.error).toMatch(/deactivated/);
  });

  it("refuses an administrator's token with 403", async () => {
    const admin = await makeUser("admin");
    const { token } = await createApiToken(getDb(), { userId: admin.id, name: "admin", expiresInDays: null });
    expect((await ask({ asOf: KPI_AS_OF }, { token })).status).toBe(403);
  });
});

describe("what staff may ask for", () => {
  it.each([
    ["company", "company"],
    ["their own book", `owner:${owners.a}`],
    ["their own book, email in capitals", `owner:${owners.a.toUpperCase()}`],
    ["a customer they own", "customer:C1"],
  ])("answers %s", async (_label, scope) => {
    const query = { asOf: KPI_AS_OF, scope };
    const { status, body } = await ask(query, { token: staffAToken });
    expect(status).toBe(200);
    expect(body).toEqual(await expected(query));
  });

  it("answers with a session cookie too", async () => {
    const { status, body } = await ask({ asOf: KPI_AS_OF, scope: "customer:C2" }, { cookie: staffACookie });
    expect(status).toBe(200);
    expect(body.ar_total).toBe(2000);
  });

  it.each([
    ["another owner's book", `owner:${owners.b}`, /not another owner's/],
    ["an owner who does not exist", "owner:nobody@example.test", /not another owner's/],
    ["another owner's customer", "customer:C3", /not one of your customers/],
    ["a region", "region:East", /not region figures/],
    ["a grade", "grade:A", /not grade figures/],
  ])("refuses %s with 403", async (_label, scope, message) => {
    const { status, body } = await ask({ asOf: KPI_AS_OF, scope }, { token: staffAToken });
    expect(status).toBe(403);
    expect(body.error).toMatch(message);
  });

  it("answers 404 for a customer that does not exist", async () => {
    const { status, body } = await ask({ asOf: KPI_AS_OF, scope: "customer:NOPE" }, { token: staffAToken });
    expect(status).toBe(404);
    expect(body).toEqual({ error: "scope customer:NOPE names no known customer" });
  });
});

describe("bad parameters", () => {
  it.each([
    ["asOf not a date", "asOf=2026-02-30", 400, 'asOf must be a real date written YYYY-MM-DD, got "2026-02-30"'],
    ["asOf in another format", "asOf=31%2F03%2F2026", 400, /asOf must be a real date/],
    ["no asOf", "scope=company", 400, "asOf is required (YYYY-MM-DD)"],
    ["periodStart after asOf", "asOf=2026-03-31&periodStart=2026-04-01", 400, "periodStart 2026-04-01 is after asOf 2026-03-31"],
    ["baseline not a date", "asOf=2026-03-31&baseline=yesterday", 400, /baseline must be a real date/],
    ["a scope of no known kind", "asOf=2026-03-31&scope=planet:mars", 400, /is not one of company, customer:CODE/],
    ["an unknown parameter", "asOf=2026-03-31&periodstart=2026-01-01", 400, /unknown parameter "periodstart"/],
    ["a repeated parameter", "asOf=2026-03-31&asOf=2026-03-30", 400, /given more than once/],
    ["an unknown customer", "asOf=2026-03-31&scope=customer:NOPE", 404, "scope customer:NOPE names no known customer"],
    ["an unknown owner", "asOf=2026-03-31&scope=owner:nobody@example.test", 404, "scope owner:nobody@example.test names no known owner"],
    ["an unknown region", "asOf=2026-03-31&scope=region:Mars", 404, "scope region:Mars names no known region"],
    ["an unknown grade", "asOf=2026-03-31&scope=grade:Z", 404, "scope grade:Z names no known grade"],
  ])("%s → %i with a JSON error", async (_label, query, status, message) => {
    const result = await ask(query, { cookie: headCookie });
    expect(result.status).toBe(status);
    expect(Object.keys(result.body)).toEqual(["error"]);
    if (typeof message === "string") expect(result.body.error).toBe(message);
    else expect(result.body.error).toMatch(message);
  });
});

describe("every refusal in the API's one wire shape", () => {
  it.each([
    ["no credentials", {}, "asOf=2026-03-31", 401, { "WWW-Authenticate": 'Bearer realm="quarterdeck"' }],
    ["an unknown token", { authorization: `Bearer qd_${"C".repeat(43)}` }, "asOf=2026-03-31", 401, { "WWW-Authenticate": 'Bearer realm="quarterdeck"' }],
    ["a role without ledger figures", "admin", "asOf=2026-03-31", 403, {}],
    ["another owner's customer", "staff", "asOf=2026-03-31&scope=customer:C3", 403, {}],
    ["a bad date", "head", "asOf=2026-02-30", 400, {}],
    ["an unknown region", "head", "asOf=2026-03-31&scope=region:Mars", 404, {}],
  ] as const)("%s: only { error } with its status and headers, and nothing written", async (_label, who, query, status, headers) => {
    const auth = who === "admin" ? { cookie: adminCookie } : who === "head" ? { cookie: headCookie } : who === "staff" ? { token: staffAToken } : who;
    const before = await apiState();
    const result = await ask(query, auth);
    expect(result.status).toBe(status);
    expect(Object.keys(result.body)).toEqual(["error"]);
    expect(typeof result.body.error).toBe("string");
    for (const [name, value] of Object.entries(headers)) expect(result.headers.get(name)).toBe(value);
    if (status !== 401) expect(result.headers.get("WWW-Authenticate")).toBeNull();
    expect(result.headers.get("Allow")).toBeNull();
    expect(await apiState()).toEqual(before);
  });
});

import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { computeProvision, provisionJson } from "~/features/provisions/index.server";
import { resolveProvisionRequest } from "~/features/provisions";
import { lossRates, migrationRates } from "~/features/provisions/matrix";
import { matrixDates } from "~/features/provisions/provision.server";
import { bandBalances } from "~/features/provisions/queries/balances.server";
import { action, loader } from "~/routes/api.provisions";
import { provisionCommand } from "../../../../db/cli/provision-command";
import { BASE, call, makeUser, signIn, signedInAs } from "../../../support/app";
import { NEEQ_AS_OF, importProvisionLedger, naiveBandBalances } from "../../../support/provision-ledger";

const owners = { a: "prov.owner.a@example.test", b: "prov.owner.b@example.test" };
let headCookie: string;
let staffACookie: string;

beforeAll(async () => {
  await makeUser("staff", { email: owners.a });
  await makeUser("staff", { email: owners.b });
  await importProvisionLedger(owners);
  headCookie = (await signedInAs("head")).cookie;
  staffACookie = await signIn(owners.a);
});

async function ask(query: Record<string, string> | string, cookie: string | null = headCookie) {
  const search = typeof query === "string" ? query : new URLSearchParams(query).toString();
  const request = new Request(`${BASE}/api/provisions?${search}`, { headers: cookie ? { Cookie: cookie } : {} });
  const response = (await call(loader, request)) as Response;
  expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const db = () => getDb();
const compute = async (words: Parameters<typeof resolveProvisionRequest>[0]) => computeProvision(db(), resolveProvisionRequest(words));

describe("GET /api/provisions", () => {
  it("reproduces the NEEQ company's published table: 1,818,100.42 on 14,698,067.80 (12.37 %), in the issue's shape", async () => {
    const { status, body } = await ask({ asOf: NEEQ_AS_OF, method: "ladder", scope: "customer:NEEQ" });
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(["asOf", "method", "basis", "bands", "specific", "total", "ratio"]);
    expect(body).toMatchObject({ asOf: NEEQ_AS_OF, method: "ladder", basis: "issue", specific: [], total: 1818100.42 });
    expect(body.bands).toEqual([
      { from_days: 0, to_days: 365, balance: 6922127.24, rate: 0.05, provision: 346106.36 },
      { from_days: 366, to_days: 730, balance: 2471940.56, rate: 0.1, provision: 247194.06 },
      { from_days: 731, to_days: 1095, balance: 5099000, rate: 0.2, provision: 1019800 },
      { from_days: 1096, to_days: 1460, balance: 0, rate: 0.5, provision: 0 },
      { from_days: 1461, to_days: 1825, balance: 0, rate: 0.8, provision: 0 },
      { from_days: 1826, to_days: null, balance: 205000, rate: 1, provision: 205000 },
    ]);
    expect(((body.ratio as number) * 100).toFixed(2)).toBe("12.37");
  });

  it("puts an invoice aged exactly 365 days in the first band, and one day older in the second", async () => {
    const exact = await ask({ asOf: NEEQ_AS_OF, method: "ladder", scope: "customer:EXACT" });
    expect((exact.body.bands as { balance: number }[]).map((band) => band.balance)).toEqual([1000, 0, 0, 0, 0, 0]);
    const later = await ask({ asOf: "2026-01-01", method: "ladder", scope: "customer:EXACT" });
    expect((later.body.bands as { balance: number }[]).map((band) => band.balance)).toEqual([0, 1000, 0, 0, 0, 0]);
  });

  it("takes custom bands and rates: the upper ages of all bands but the last and percentages, one more", async () => {
    const { status, body } = await ask({ asOf: NEEQ_AS_OF, method: "ladder", scope: "customer:NEEQ", bands: "365,1095", rates: "5,8.7,100" });
    expect(status).toBe(200);
    expect(body.bands).toEqual([
      { from_days: 0, to_days: 365, balance: 6922127.24, rate: 0.05, provision: 346106.36 },
      { from_days: 366, to_days: 1095, balance: 7570940.56, rate: 0.087, provision: 658671.83 },
      { from_days: 1096, to_days: null, balance: 205000, rate: 1, provision: 205000 },
    ]);
  });

  it("answers every date, basis and band table as the engine settling the documents does, kept or not", async () => {
    const dates = ["2021-06-30", "2024-02-29", NEEQ_AS_OF, "2025-12-07", "2026-07-15", "2026-11-30", "2027-03-31"];
    const tables = [
      { bands: "", rates: "" },
      { bands: "30,60,90,180,365", rates: "1,2,5,10,30,100" },
      { bands: "400,800", rates: "10,50,100" },
    ];
    for (const asOf of dates) {
      for (const basis of ["issue", "due"] as const) {
        for (const table of tables) {
          const result = await compute({ asOf, method: "ladder", basis, ...table });
          const upperDays = table.bands ? table.bands.split(",").map(Number) : [365, 730, 1095, 1460, 1825];
          expect(result.bands.map((band) => band.balance), `${asOf} ${basis} ${table.bands}`).toEqual(await naiveBandBalances(null, asOf, basis, upperDays));
          expect(result.total).toBe(result.bands.reduce((sum, band) => sum + band.provision, 0));
        }
      }
    }
  });

  it("reads a month end from the kept positions and a date inside a month from the open runs, settling nothing; gross inside a month settles only the customers with later documents", async () => {
    const kept = await db().selectFrom("provision_positions").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(kept.n)).toBeGreaterThan(100);
    const gross = await db().selectFrom("provision_customers").select("customer_id").where("write_offs", "=", 1).execute();
    expect(gross.length).toBeGreaterThan(0);
    const query = { basis: "issue" as const, upperDays: [365, 730], kind: "open" as const, customerIds: null, excludeIds: [] };
    expect((await bandBalances(db(), { ...query, asOf: "2024-02-29" })).settledLive).toBe(0);
    for (const basis of ["issue", "due"] as const) {
      const inside = await bandBalances(db(), { ...query, basis, asOf: "2026-11-15" });
      expect(inside.settledLive).toBe(0);
      expect(inside.balances).toEqual(await naiveBandBalances(null, "2026-11-15", basis, [365, 730]));
    }
    const grossInside = await bandBalances(db(), { ...query, kind: "gross", asOf: "2026-11-15" });
    expect(grossInside.settledLive).toBeGreaterThan(0);
    expect(grossInside.settledLive).toBeLessThan(9);
    expect(grossInside.balances).toEqual(await naiveBandBalances(null, "2026-11-15", "issue", [365, 730], true));
  });

  it("settles the customers with later documents while their open runs are behind a change, with the same answer", async () => {
    const query = { basis: "issue" as const, upperDays: [365, 730], kind: "open" as const, customerIds: null, excludeIds: [], asOf: "2026-11-15" };
    const fromRuns = await bandBalances(db(), query);
    const neeq = await db().selectFrom("customers").select("id").where("code", "=", "NEEQ").executeTakeFirstOrThrow();
    // As the triggers mark a customer whose documents changed outside the import.
    await sql`INSERT INTO status_stale_customers (customer_id) VALUES (${neeq.id})`.execute(db());
    try {
      const settled = await bandBalances(db(), query);
      expect(settled.settledLive).toBeGreaterThan(0);
      expect(settled.balances).toEqual(fromRuns.balances);
    } finally {
      await sql`DELETE FROM status_stale_customers`.execute(db());
    }
  });

  it("builds the matrix's loss rates from the history as if nothing had been written off", async () => {
    for (const asOf of [NEEQ_AS_OF, "2026-11-30"]) {
      const result = await compute({ asOf, method: "matrix" });
      const upperDays = [365, 730, 1095, 1460, 1825];
      const dates = matrixDates(asOf, 12, 3);
      expect(result.matrix?.dates).toEqual(dates);
      const history: number[][] = [];
      for (const date of dates) history.push(await naiveBandBalances(null, date, "issue", upperDays, true));
      const periods = history.slice(1).map((end, p) => ({
        start: history[p]!,
        migrated: history[p]!.map((_, k) => (k + 1 < 5 ? end[k + 1]! : Math.max(0, end[5]! - history[p]![5]!))),
      }));
      const losses = lossRates(migrationRates(6, periods).rates);
      const balances = await naiveBandBalances(null, asOf, "issue", upperDays);
      expect(result.bands.map((band) => band.balance)).toEqual(balances);
      expect(result.bands.map((band) => band.rate)).toEqual(losses.map((rate) => Math.min(1, rate)));
      expect(result.total).toBe(balances.reduce((sum, balance, i) => sum + Math.round(balance * Math.min(1, losses[i]!)), 0));
      expect(result.bands[5]?.rate).toBe(1);
    }
  });

  it("refuses bad words with 400 and a sentence, unknown scopes with 404, POST with 405, no credential with 401", async () => {
    const bad: [Record<string, string> | string, RegExp][] = [
      [{ method: "ladder" }, /asOf is required/],
      [{ asOf: "2025-02-30", method: "ladder" }, /real date/],
      [{ asOf: NEEQ_AS_OF }, /method is required/],
      [{ asOf: NEEQ_AS_OF, method: "chain" }, /ladder or matrix/],
      [{ asOf: NEEQ_AS_OF, method: "ladder", basis: "invoice" }, /issue or due/],
      [{ asOf: NEEQ_AS_OF, method: "ladder", bands: "365,730" }, /go together/],
      [{ asOf: NEEQ_AS_OF, method: "ladder", bands: "365,730", rates: "5,10" }, /one rate more/],
      [{ asOf: NEEQ_AS_OF, method: "ladder", bands: "730,365", rates: "5,10,20" }, /must rise/],
      [{ asOf: NEEQ_AS_OF, method: "ladder", bands: "0,365", rates: "5,10,20" }, /whole numbers of days/],
      [{ asOf: NEEQ_AS_OF, method: "ladder", bands: "365", rates: "5,120" }, /percentages from 0 to 100/],
      [{ asOf: NEEQ_AS_OF, method: "ladder", bands: "365", rates: "5,1.23456" }, /percentages/],
      [{ asOf: NEEQ_AS_OF, method: "matrix", rates: "5,10" }, /apply to the ladder/],
      [{ asOf: NEEQ_AS_OF, method: "ladder", scope: "planet:X" }, /scope/],
      [`asOf=${NEEQ_AS_OF}&method=ladder&asof=x`, /unknown parameter "asof"/],
      [`asOf=${NEEQ_AS_OF}&method=ladder&method=matrix`, /more than once/],
    ];
    for (const [query, message] of bad) {
      const { status, body } = await ask(query);
      expect(status, JSON.stringify(query)).toBe(400);
      expect(body.error).toMatch(message);
    }
    const unknown = await ask({ asOf: NEEQ_AS_OF, method: "ladder", scope: "customer:NOPE" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatch(/names no known customer/);
    expect((await ask({ asOf: NEEQ_AS_OF, method: "ladder" }, null)).status).toBe(401);
    const posted = (await call(action, new Request(`${BASE}/api/provisions`, { method: "POST", headers: { Cookie: headCookie } }))) as Response;
    expect(posted.status).toBe(405);
  });

  it("lets staff read only their own customers' provisions", async () => {
    expect((await ask({ asOf: NEEQ_AS_OF, method: "ladder", scope: "customer:NEEQ" }, staffACookie)).status).toBe(200);
    const own = await ask({ asOf: NEEQ_AS_OF, method: "ladder", scope: `owner:${owners.a}` }, staffACookie);
    expect(own.status).toBe(200);
    for (const scope of ["company", "customer:DOUBT", `owner:${owners.b}`, "region:East"]) {
      const refused = await ask({ asOf: NEEQ_AS_OF, method: "ladder", scope }, staffACookie);
      expect(refused.status, scope).toBe(403);
    }
  });
});

describe("npm run provision", () => {
  it("prints the API's object, and refuses bad input with exit 1 and the flag's name", async () => {
    const ok = await provisionCommand(["--as-of", NEEQ_AS_OF, "--method", "ladder", "--scope", "customer:NEEQ", "--json"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual(JSON.parse(JSON.stringify(provisionJson(await compute({ asOf: NEEQ_AS_OF, method: "ladder", scope: "customer:NEEQ" })))));
    expect(JSON.parse(ok.stdout).total).toBe(1818100.42);
    const custom = await provisionCommand(["--as-of", NEEQ_AS_OF, "--method", "ladder", "--bands", "365,730,1095,1460,1825", "--rates", "5,10,20,50,80,100", "--scope", "customer:NEEQ", "--json"]);
    expect(JSON.parse(custom.stdout).total).toBe(1818100.42);
    const bad = await provisionCommand(["--as-of", NEEQ_AS_OF, "--method", "ladder", "--bands", "365", "--json"]);
    expect(bad).toMatchObject({ code: 1, stdout: "" });
    expect(bad.stderr).toMatch(/--bands and --rates go together/);
    expect((await provisionCommand(["--as-of", NEEQ_AS_OF, "--method", "ladder"])).stderr).toMatch(/--json is required/);
    expect((await provisionCommand(["--as-of", NEEQ_AS_OF, "--method", "ladder", "--scope", "customer:NOPE", "--json"])).stderr).toMatch(/names no known customer/);
  });
});

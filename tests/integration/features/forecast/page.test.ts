import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { loader } from "~/routes/_app.forecast";
import { BASE, call, get, makeUser, payloadOf, signIn, signedInAs, statusOf } from "../../../support/app";
import { FORECAST_AS_OF, forecastLedgerOwners, importForecastLedger } from "../../../support/forecast-ledger";

const owners = forecastLedgerOwners("page");
let headCookie: string;
let staffCookie: string;

beforeAll(async () => {
  await makeUser("staff", { email: owners.a });
  await makeUser("staff", { email: owners.b });
  await importForecastLedger(owners);
  headCookie = (await signedInAs("head")).cookie;
  staffCookie = await signIn(owners.a);
});

afterEach(() => {
  vi.unstubAllEnvs();
});

type Page = {
  scope: string;
  weeks: number;
  choices: { value: string }[];
  forecast: { weeks: unknown[]; months: unknown[]; behaviourWindow: { fromMonth: string; toMonth: string; firstSalesMonth: string | null; months: number; shortened: boolean } };
  apart: unknown[];
};

describe("the forecast page", () => {
  it("shows the head the company, with every owner, region and grade to pick, and writes nothing", async () => {
    const before = await getDb().selectFrom("forecast_inputs_status").selectAll().execute();
    const page = payloadOf<Page>(await call(loader, get("/forecast", headCookie)));
    expect(page.scope).toBe("company");
    expect(page.forecast.weeks).toHaveLength(13);
    expect(page.forecast.months).toHaveLength(12);
    expect(page.choices.map((c) => c.value)).toEqual(expect.arrayContaining(["company", `owner:${owners.a}`, "region:East", "grade:B"]));
    expect(await getDb().selectFrom("forecast_inputs_status").selectAll().execute()).toEqual(before);
  });

  it("says which months of payments the days late come from when a young ledger's run-in shortens them", async () => {
    // the ledger's sales begin in October 2025: on 31 March 2026 only December to February count
    vi.stubEnv("QUARTERDECK_TODAY", FORECAST_AS_OF);
    const young = payloadOf<Page>(await call(loader, get("/forecast", headCookie)));
    expect(young.forecast.behaviourWindow).toEqual({ fromMonth: "2025-12", toMonth: "2026-02", firstSalesMonth: "2025-10", months: 3, shortened: true });
    // a year and more later the whole 12 months count
    vi.stubEnv("QUARTERDECK_TODAY", "2027-06-15");
    const grown = payloadOf<Page>(await call(loader, get("/forecast", headCookie)));
    expect(grown.forecast.behaviourWindow).toEqual({ fromMonth: "2026-06", toMonth: "2027-05", firstSalesMonth: "2025-10", months: 12, shortened: false });
  });

  it("starts staff on their own customers, and refuses them another owner's", async () => {
    const page = payloadOf<Page>(await call(loader, get("/forecast?weeks=4", staffCookie)));
    expect(page.scope).toBe(`owner:${owners.a}`);
    expect(page.forecast.weeks).toHaveLength(4);
    expect(page.choices.map((c) => c.value)).toEqual(["company", `owner:${owners.a}`]);
    const refused = await call(loader, new Request(`${BASE}/forecast?scope=${encodeURIComponent(`owner:${owners.b}`)}`, { headers: { Cookie: staffCookie } }));
    expect(statusOf(refused)).toBe(403);
  });

  it("refuses a bad number of weeks", async () => {
    expect(statusOf(await call(loader, get("/forecast?weeks=99", headCookie)))).toBe(400);
  });
});

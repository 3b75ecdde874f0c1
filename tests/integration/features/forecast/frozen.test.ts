import { beforeAll, describe, expect, it } from "vitest";

import { getDb, openLedgerConnection } from "~/server/db.server";
import { today } from "~/server/clock.server";
import { addDays } from "~/kernel/dates";
import { sourceFromBuffer } from "~/features/import/source";
import { importLedger } from "~/features/import/import-ledger.server";
import { catchUpForecastInputs, forecastFor, freezeWeeklyForecasts } from "~/features/forecast/index.server";
import { ACCURACY_WEEKS, type Accuracy, mondayOnOrBefore } from "~/features/forecast/frozen";
import { loader } from "~/routes/_app.forecast";
import { call, get, makeUser, payloadOf, signedInAs } from "../../../support/app";

/*
 * Forecast against actual, on a ledger laid out around the business date T: its Monday M0 and the
 * two full weeks before it, W1 (M0 − 7 .. M0 − 1) and W2 (M0 − 14 .. M0 − 8). F1 pays 1,000.00 on
 * M0 − 5 (in W1) and F2 pays 2,000.00 on M0 − 12 (in W2); one invoice of each owner stays open.
 */
const T = today();
const M0 = mondayOnOrBefore(T);
const W1 = addDays(M0, -7);
const owners = { a: "frozen.a@example.test", b: "frozen.b@example.test" };
let headCookie: string;

const csv = (name: string, lines: string[]) => sourceFromBuffer(name, Buffer.from(`${lines.join("\n")}\n`, "utf8"));
const frozenCount = async () => Number((await getDb().selectFrom("forecast_frozen_weeks").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst())?.n ?? 0);

beforeAll(async () => {
  await makeUser("staff", { email: owners.a });
  await makeUser("staff", { email: owners.b });
  headCookie = (await signedInAs("head")).cookie;
  const sqlite = openLedgerConnection();
  try {
    const outcome = await importLedger(
      sqlite,
      [
        {
          layout: { kind: "customers" },
          source: csv("customers.csv", [
            "code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days",
            `F1,Frozen One,East,${owners.a},A,0,30`,
            `F2,Frozen Two,West,${owners.b},B,0,30`,
          ]),
        },
        {
          layout: { kind: "invoices" },
          source: csv("invoices.csv", [
            "invoice_no,customer_code,issue_date,due_date,amount",
            `H-1,F1,${addDays(M0, -200)},${addDays(M0, -170)},500.00`,
            `I-1,F1,${addDays(M0, -60)},${addDays(M0, -30)},1000.00`,
            `I-2,F2,${addDays(M0, -50)},${addDays(M0, -20)},2000.00`,
            `I-3,F1,${addDays(M0, -20)},${addDays(M0, 10)},700.00`,
            `I-4,F2,${addDays(M0, -20)},${addDays(M0, 10)},300.00`,
          ]),
        },
        {
          layout: { kind: "payments" },
          source: csv("payments.csv", [
            "payment_no,customer_code,date,amount,invoice_no",
            `P-H,F1,${addDays(M0, -160)},500.00,H-1`,
            `P-1,F1,${addDays(M0, -5)},1000.00,I-1`,
            `P-2,F2,${addDays(M0, -12)},2000.00,I-2`,
          ]),
        },
      ],
      { baseCurrency: "CNY", userId: null },
    );
    if (!outcome.ok) throw new Error(`ledger did not import:\n${outcome.report}`);
  } finally {
    sqlite.close();
  }
});

type Page = { accuracy: Accuracy | null };

describe("forecast against actual", () => {
  it("keeps nothing while the payment behaviour waits to be built, and the page then says none is kept", async () => {
    expect(await freezeWeeklyForecasts(getDb(), T)).toBe(0);
    const page = payloadOf<Page>(await call(loader, get("/forecast", headCookie)));
    expect(page.accuracy?.weeksScored).toBe(0);
    expect(page.accuracy?.rows).toHaveLength(ACCURACY_WEEKS);
    expect(await frozenCount()).toBe(0);
  });

  it("freezes each Monday's 13 weeks for every summary scope, a run at a time, and never twice", async () => {
    await catchUpForecastInputs(getDb());
    const scopes = Number((await getDb().selectFrom("kpi_scopes").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirst())?.n);
    // company, two owners, two regions, two grades
    expect(scopes).toBe(7);
    const wanted = scopes * (ACCURACY_WEEKS + 1);
    let frozen = 0;
    for (let run = 0; run < 10; run++) {
      const count = await freezeWeeklyForecasts(getDb(), T, { budget: 40 });
      expect(count).toBeLessThanOrEqual(40);
      frozen += count;
      if (count === 0) break;
    }
    expect(frozen).toBe(wanted);
    expect(await frozenCount()).toBe(wanted * 13);
    expect(await freezeWeeklyForecasts(getDb(), T)).toBe(0);
    const company = await getDb().selectFrom("forecast_frozen_weeks").selectAll().where("scope_kind", "=", "company").where("frozen_on", "=", W1).orderBy("week").execute();
    expect(company.map((r) => r.week_start)).toEqual(Array.from({ length: 13 }, (_, k) => addDays(W1, 7 * k)));
    // frozen after its Monday: worked out later, and marked so; this week's is live when T is its Monday
    expect(company[0]?.reconstructed).toBe(1);
    const thisWeek = await getDb().selectFrom("forecast_frozen_weeks").select("reconstructed").where("scope_kind", "=", "company").where("frozen_on", "=", M0).where("week", "=", 1).executeTakeFirst();
    expect(thisWeek?.reconstructed).toBe(T > M0 ? 1 : 0);
    // the forecast kept is the one made as of the Sunday before the Monday
    const asOfSunday = await forecastFor(getDb(), { asOf: addDays(W1, -1), scope: { type: "company" }, weeks: 13 });
    expect(company.map((r) => r.expected)).toEqual(asOfSunday.forecast.weeks.map((w) => w.expected));
  });

  it("shows past weeks' kept forecasts beside what came in, with the error and WAPE, and the GET writes nothing", async () => {
    const before = await frozenCount();
    const page = payloadOf<Page>(await call(loader, get("/forecast", headCookie)));
    expect(await frozenCount()).toBe(before);
    const accuracy = page.accuracy;
    if (!accuracy) throw new Error("no accuracy on the company's page");
    expect(accuracy.rows.map((r) => r.start)).toEqual(Array.from({ length: ACCURACY_WEEKS }, (_, k) => addDays(W1, -7 * k)));
    const [w1, w2] = accuracy.rows;
    expect(w1?.actual).toBe(100_000);
    expect(w2?.actual).toBe(200_000);
    expect(accuracy.rows.slice(2).every((r) => r.actual === 0)).toBe(true);
    const kept = await getDb().selectFrom("forecast_frozen_weeks").select(["week_start", "expected"]).where("scope_kind", "=", "company").where("week", "=", 1).execute();
    const keptBy = new Map(kept.map((r) => [r.week_start, r.expected]));
    for (const row of accuracy.rows) {
      expect(row.forecast).toBe(keptBy.get(row.start));
      expect(row.error).toBe(row.actual - (row.forecast ?? 0));
    }
    const errors = accuracy.rows.reduce((sum, r) => sum + Math.abs(r.error ?? 0), 0);
    expect(accuracy.wape).toBeCloseTo(errors / 300_000, 10);
    expect(accuracy.weeksScored).toBe(ACCURACY_WEEKS);
    expect(accuracy.anyReconstructed).toBe(true);
    // four weeks ahead: week 4 of the freeze three Mondays before
    const ahead = await getDb().selectFrom("forecast_frozen_weeks").select("expected").where("scope_kind", "=", "company").where("frozen_on", "=", addDays(W1, -21)).where("week", "=", 4).executeTakeFirst();
    expect(w1?.ahead).toBe(ahead?.expected);
  });

  it("compares an owner's kept forecasts with that owner's collections, and keeps none for one customer", async () => {
    const ownerB = payloadOf<Page>(await call(loader, get(`/forecast?scope=${encodeURIComponent(`owner:${owners.b}`)}`, headCookie)));
    expect(ownerB.accuracy?.rows[0]?.actual).toBe(0);
    expect(ownerB.accuracy?.rows[1]?.actual).toBe(200_000);
    const one = payloadOf<Page>(await call(loader, get("/forecast?scope=customer:F1", headCookie)));
    expect(one.accuracy).toBeNull();
  });
});

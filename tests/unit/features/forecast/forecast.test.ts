import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  APART_FACTOR,
  type ForecastInputs,
  type MonthPosition,
  type PaymentBehaviour,
  BEHAVIOUR_MIN_MONTHS,
  bandOf,
  behaviourMonths,
  cohortCurve,
  firstMonthWithSales,
  collectionSpread,
  computeForecast,
  curveShares,
  expectedSales,
  forecastPeriods,
  latenessOf,
  openInvoiceList,
  measureRollRates,
  monthsIn,
  spreadShares,
  windowShortened,
} from "~/features/forecast/forecast";
import { absorption } from "~/features/forecast/roll-rates";
import { addDays, fromEpochDay, toEpochDay } from "~/kernel/dates";

/** Behaviour with every payment at the average (no spread) unless the squares are given. */
const behaviour = (paidAmount: number, lateAmountDays: number, payAmountDays = paidAmount * 45, lateAmountDaysSq?: number): PaymentBehaviour => ({
  paidAmount,
  lateAmountDays,
  payAmountDays,
  lateAmountDaysSq: lateAmountDaysSq ?? (paidAmount > 0 ? lateAmountDays ** 2 / paidAmount : 0),
  payAmountDaysSq: paidAmount > 0 ? payAmountDays ** 2 / paidAmount : 0,
});

function inputs(over: Partial<ForecastInputs> = {}): ForecastInputs {
  return {
    asOf: "2026-12-07",
    weeks: 13,
    customers: [],
    invoices: [],
    promises: [],
    behaviour: new Map(),
    gradeBehaviour: new Map(),
    companyBehaviour: behaviour(0, 0, 0),
    positions: [],
    sales: new Map(),
    ...over,
  };
}

describe("expected payment dates", () => {
  it("adds the customer's amount-weighted days late to the due date", () => {
    // 1,000.00 paid 10 days late and 3,000.00 paid 30 days late: (10 × 1,000 + 30 × 3,000) ÷ 4,000 = 25 days.
    const forecast = computeForecast(
      inputs({
        customers: [{ id: 1, code: "A", name: "A", grade: "B", apart: null }],
        behaviour: new Map([[1, behaviour(400_000, 10 * 100_000 + 30 * 300_000)]]),
        invoices: [{ customerId: 1, dueDate: "2026-12-10", open: 500_000 }],
      }),
    );
    // 2026-12-10 + 25 = 2027-01-04 = asOf + 28: the last day of week 4.
    expect(forecast.weeks[3]).toEqual({ start: "2026-12-29", end: "2027-01-04", open: 500_000, newSales: 0, expected: 500_000, low: 400_000, high: 600_000 });
    expect(forecast.weeks.filter((w) => w.open > 0)).toHaveLength(1);
    expect(forecast.months[1]).toMatchObject({ month: "2027-01", open: 500_000 });
    expect(forecast.lateness).toEqual({ customer: 500_000, grade: 0, company: 0, none: 0 });
    expect(forecast.customers[0]).toMatchObject({ customerId: 1, open: 500_000, expected: 500_000, firstExpected: "2027-01-04", averageDaysLate: 25 });
  });

  it("falls back to the grade's, then the company's days late, and says which", () => {
    const grades = new Map([["B", behaviour(100, 700)]]);
    const company = behaviour(100, 300);
    const base = { behaviour: new Map<number, PaymentBehaviour>(), gradeBehaviour: grades, companyBehaviour: company };
    expect(latenessOf({ id: 2, code: "B", name: "B", grade: "B", apart: null }, base)).toEqual({ days: 7, halfWidth: 0, source: "grade" });
    expect(latenessOf({ id: 3, code: "C", name: "C", grade: "C", apart: null }, base)).toEqual({ days: 3, halfWidth: 0, source: "company" });
    expect(latenessOf({ id: 4, code: "D", name: "D", grade: null, apart: null }, { ...base, companyBehaviour: behaviour(0, 0) })).toEqual({ days: 0, halfWidth: 0, source: "none" });
  });

  it("spreads an invoice evenly over the customer's spread of days late, moving the part already past onto the days left", () => {
    // paid 10 days late on 1,000 and 30 days late on 3,000: average 25, variance (100 × 1,000 + 900 × 3,000) ÷ 4,000 − 625 = 75,
    // so ±√(3 × 75) = ±15 days: from due + 10 to due + 40
    const paid = behaviour(4_000, 25 * 4_000, 0, 100 * 1_000 + 900 * 3_000);
    const customers = [{ id: 1, code: "A", name: "A", grade: null, apart: null }];
    expect(latenessOf(customers[0], { behaviour: new Map([[1, paid]]), gradeBehaviour: new Map(), companyBehaviour: behaviour(0, 0) })).toEqual({ days: 25, halfWidth: 15, source: "customer" });
    const forecast = computeForecast(
      inputs({
        customers,
        behaviour: new Map([[1, paid]]),
        // due 2026-11-27: expected 2026-12-07 .. 2027-01-06; asOf 2026-12-07 has passed one of those 31 days
        invoices: [{ customerId: 1, dueDate: "2026-11-27", open: 300_000 }],
      }),
    );
    expect(forecast.weeks.slice(0, 6).map((w) => w.open)).toEqual([70_000, 70_000, 70_000, 70_000, 20_000, 0]);
    expect(forecast.customers[0]?.firstExpected).toBe("2026-12-08");
  });

  it("lets an open promise replace the date for the amount it covers, oldest invoices first", () => {
    const forecast = computeForecast(
      inputs({
        customers: [{ id: 1, code: "A", name: "A", grade: null, apart: null }],
        invoices: [
          { customerId: 1, dueDate: "2026-12-20", open: 300_000 },
          { customerId: 1, dueDate: "2026-12-01", open: 100_000 },
        ],
        // 2,500.00 promised for 2026-12-09: the 1,000.00 due 1 December and 1,500.00 of the other
        promises: [{ customerId: 1, dueOn: "2026-12-09", amount: 250_000 }],
      }),
    );
    expect(forecast.weeks[0]?.open).toBe(250_000);
    // the remaining 1,500.00 on its due date (no days late known)
    expect(forecast.weeks[1]).toMatchObject({ start: "2026-12-15", end: "2026-12-21", open: 150_000 });
  });

  it("shows customers on stop shipment or with a lawyer's letter apart at a lower probability", () => {
    const forecast = computeForecast(
      inputs({
        customers: [{ id: 1, code: "A", name: "A", grade: null, apart: "lawyer_letter" }],
        invoices: [{ customerId: 1, dueDate: "2026-12-10", open: 100_000 }],
      }),
    );
    expect(forecast.weeks[0]).toMatchObject({ open: 100_000 * APART_FACTOR, low: 0, high: 100_000 });
    expect(forecast.customers[0]).toMatchObject({ apart: "lawyer_letter", probability: APART_FACTOR });
  });

  it("spreads an invoice already past its expected day over the months at its band's rate", () => {
    const forecast = computeForecast(
      inputs({
        customers: [{ id: 1, code: "A", name: "A", grade: null, apart: null }],
        invoices: [{ customerId: 1, dueDate: "2026-10-01", open: 3_000_000 }],
      }),
    );
    // no roll rates: 35 % a month, the first 30 days 1,050,000 evenly: 35,000 a day
    expect(forecast.weeks[0]?.open).toBe(245_000);
    expect(forecast.months.reduce((sum, m) => sum + m.open, 0)).toBeLessThan(3_000_000);
  });
});

describe("the portfolio check", () => {
  const month = (monthEnd: string, bands: number[], writtenOff = 0, collected = 0): MonthPosition => ({ monthEnd, bands, writtenOff, collected });

  it("measures roll rates from month ends and gives each band's eventual write-off", () => {
    const positions = [
      month("2026-09-30", [1000, 400, 200, 100, 500]),
      month("2026-10-31", [1000, 500, 200, 100, 550], 25),
    ];
    const rates = measureRollRates(positions);
    expect(rates).not.toBeNull();
    // current → 1–30: 500 of 1,000; 1–30 → 31–60: 200 of 400; 31–60 → 61–90: 100 of 200
    expect(rates?.[0]).toEqual({ paid: 0.5, bad: 0, next: [0, 0.5, 0, 0, 0] });
    expect(rates?.[1]?.next[2]).toBeCloseTo(0.5);
    // over 90: 550 − 50 (61–90 rolled at 31–60's rate) = 500 stays of 500? capped below 1 − bad
    expect(rates?.[4]?.bad).toBeCloseTo(25 / 500);
    const { bad } = absorption(rates ?? []);
    expect(bad[4]).toBeGreaterThan(bad[0] ?? 1);
  });

  it("measures the write-off rate over the longer history it is given: a year's batch of write-offs is not missed", () => {
    // the last 12 months: 500 over 90 days every month end, nothing written off
    const end = (k: number) => fromEpochDay(toEpochDay("2024-12-28") + 30 * k);
    const recent = Array.from({ length: 13 }, (_, k) => month(end(12 + k), [1000, 400, 200, 100, 500]));
    expect(measureRollRates(recent)?.[4]?.bad).toBe(0);
    // 24 months, the year before with one batch of 120 written off after a month end with 500 over 90
    const longer = [
      ...Array.from({ length: 12 }, (_, k) => month(end(k), [1000, 400, 200, 100, 500], k === 7 ? 120 : 0)),
      ...recent,
    ];
    const rates = measureRollRates(recent, longer);
    expect(rates?.[4]?.bad).toBeCloseTo(120 / (24 * 500), 12);
    // the other rates are still the last 12 months'
    expect(rates?.slice(0, 4)).toEqual(measureRollRates(recent)?.slice(0, 4));
    expect(absorption(rates ?? []).bad[4]).toBeGreaterThan(0);
  });

  it("has no roll rates without positions, and a default range", () => {
    expect(measureRollRates([])).toBeNull();
    expect(collectionSpread([])).toBe(0.2);
  });

  it("sizes the range by the month-to-month spread of the collection rate", () => {
    const steady = ["2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31"].map((d) => month(d, [1000, 0, 0, 0, 0], 0, 500));
    expect(collectionSpread(steady)).toBe(0.05);
    const jumpy = steady.map((p, i) => ({ ...p, collected: i % 2 ? 200 : 800 }));
    expect(collectionSpread(jumpy)).toBeGreaterThan(0.5);
  });

  it("bands days past due as the aging does", () => {
    expect([0, 1, 30, 31, 60, 61, 90, 91].map(bandOf)).toEqual([0, 1, 1, 2, 2, 3, 3, 4]);
  });
});

describe("new sales", () => {
  it("takes the three months' run-rate times last year's seasonality", () => {
    const sales = new Map([
      ["2026-09", 90],
      ["2026-10", 100],
      ["2026-11", 110],
      // last year: the same three months averaged 50 and January was 100: season 2× (the ledger ran before them)
      ["2025-08", 30],
      ["2025-09", 40],
      ["2025-10", 50],
      ["2025-11", 60],
      ["2026-01", 100],
    ]);
    expect(expectedSales(sales, "2026-12-07", "2027-01")).toBe(200);
    // no sales last year in February: the run-rate alone
    expect(expectedSales(sales, "2026-12-07", "2027-02")).toBe(100);
  });

  it("leaves last year out while its months include the ledger's first, usually partial, month", () => {
    // the ledger began late in September 2025: 10 that month, then 50 and 60; January 100 against a base of 40 would say 2.5×
    const sales = new Map([
      ["2025-09", 10],
      ["2025-10", 50],
      ["2025-11", 60],
      ["2026-01", 100],
      ["2026-09", 90],
      ["2026-10", 100],
      ["2026-11", 110],
    ]);
    expect(expectedSales(sales, "2026-12-07", "2027-01")).toBe(100);
  });

  it("keeps last year's seasonality through a month without sales once the ledger began before last year's months", () => {
    // 100 a month since December 2024, nothing in October 2025 (a dead month inside last year's base):
    // January 2026's 100 against a base of 200 ÷ 3 is 1.5× the run-rate
    const sales = new Map<string, number>();
    for (let k = 0; k < 24; k++) {
      const month = fromEpochDay(toEpochDay("2024-12-15") + Math.round(k * 30.44)).slice(0, 7);
      sales.set(month, month === "2025-10" ? 0 : 100);
    }
    expect(sales.get("2026-11")).toBe(100);
    expect(expectedSales(sales, "2026-12-07", "2027-01")).toBeCloseTo(150, 9);
  });

  it("measures the collection curve on the months of issue that have all reached each day", () => {
    const rows = [
      { month: "2026-01", days: -1, amount: 1000 },
      { month: "2026-01", days: 10, amount: 300 },
      { month: "2026-01", days: 40, amount: 600 },
      { month: "2026-02", days: -1, amount: 2000 },
      { month: "2026-02", days: 10, amount: 1000 },
      // paid after asOf: not known yet on 2026-03-20, and February has not reached 40 days anyway
      { month: "2026-02", days: 40, amount: 700 },
    ];
    const curve = cohortCurve(rows, "2026-03-20", 60);
    // day 10: both months (31 Jan + 10 and 28 Feb + 10 are past); day 40: January alone (28 Feb + 40 is not)
    expect(curve?.[10]).toBeCloseTo(1300 / 3000, 12);
    expect(curve?.[40]).toBeCloseTo(0.6, 12);
    expect(curve?.[30]).toBe(0);
    expect(cohortCurve([], "2026-03-20", 60)).toBeNull();
    // a month that issued nothing measures nothing
    expect(cohortCurve([{ month: "2026-01", days: 10, amount: 5 }], "2026-03-20", 60)).toBeNull();
  });

  it("stretches the curve to a scope's pace, keeping its total", () => {
    const curve = new Array<number>(20).fill(0);
    curve[3] = 0.5;
    curve[4] = 0.4;
    const same = curveShares(curve, 1, 20);
    expect(same?.[3]).toBe(0.5);
    expect(same?.[4]).toBe(0.4);
    // ×1.5: day 3 → 4.5 (half on 4, half on 5), day 4 → 6
    const slower = curveShares(curve, 1.5, 20);
    expect(slower?.[4]).toBeCloseTo(0.25, 12);
    expect(slower?.[5]).toBeCloseTo(0.25, 12);
    expect(slower?.[6]).toBeCloseTo(0.4, 12);
    expect([...(slower ?? [])].reduce((a, b) => a + b, 0)).toBeCloseTo(0.9, 12);
    expect(curveShares(new Array<number>(20).fill(0), 1, 20)).toBeNull();
  });

  it("pays the sales not issued yet as the collection curve says, what is never paid left out", () => {
    const sales = new Map([
      ["2026-09", 3000],
      ["2026-10", 3000],
      ["2026-11", 3000],
    ]);
    // every month of issue for a year: 90 % paid 14 days after issue, the rest never
    const lagCohorts = Array.from({ length: 12 }, (_, k) => `2025-${String(k + 1).padStart(2, "0")}`).flatMap((month) => [
      { month, days: -1, amount: 1000 },
      { month, days: 14, amount: 900 },
    ]);
    const { weeks } = computeForecast(inputs({ sales, lagCohorts }));
    const perDay = 3000 / 31;
    // issued from 8 December, first paid on 22 December (week 3)
    expect(weeks[0]?.newSales).toBe(0);
    expect(weeks[1]?.newSales).toBe(0);
    expect(weeks[2]?.newSales).toBe(Math.round(7 * perDay * 0.9));
    // without the curve the log-normal of the days to pay (here: none known, 30 days) is used
    expect(computeForecast(inputs({ sales })).weeks[2]?.newSales).not.toBe(weeks[2]?.newSales);
  });
});

describe("periods", () => {
  it("covers asOf + 7(k−1) + 1 to asOf + 7k for week k, and 12 months from the day after", () => {
    const { weeks, months } = forecastPeriods("2026-12-31", 2);
    expect(weeks).toEqual([
      { start: "2027-01-01", end: "2027-01-07" },
      { start: "2027-01-08", end: "2027-01-14" },
    ]);
    expect(months[0]).toBe("2027-01");
    expect(months).toHaveLength(12);
  });
});

/**
 * The naive forecast: every amount's daily flows listed one by one, and each period summed by
 * scanning every flow. Only the open part (new sales are the same loop on a rate).
 */
function naiveOpenByWeek(input: ForecastInputs): number[] {
  const forecast = computeForecast({ ...input, sales: new Map() });
  const rates = forecast.rollRates;
  const outcome = rates ? absorption(rates) : null;
  const asOfDay = toEpochDay(input.asOf);
  const flows: { day: number; amount: number }[] = [];
  for (const invoice of openInvoiceList(input.invoices)) {
    const customer = input.customers.find((c) => c.id === invoice.customerId);
    const band = bandOf(asOfDay - toEpochDay(invoice.dueDate));
    const probability = (outcome?.paid[band] ?? 1) * (customer?.apart ? APART_FACTOR : 1);
    const late = latenessOf(customer, input);
    const expected = toEpochDay(invoice.dueDate) + Math.round(late.days);
    if (expected + late.halfWidth > asOfDay) {
      const from = Math.max(asOfDay + 1, expected - late.halfWidth);
      const to = expected + late.halfWidth;
      for (let day = from; day <= to; day++) flows.push({ day, amount: (invoice.open * probability) / (to - from + 1) });
    } else {
      const months = outcome?.months[band]?.reduce((a, b) => a + b, 0);
      const rate = months && months >= 1 ? 1 / months : 0.35;
      spreadShares(rate, 400).forEach((share, d) => flows.push({ day: asOfDay + 1 + d, amount: invoice.open * probability * share }));
    }
  }
  return forecast.weeks.map((week) =>
    Math.round(flows.filter((f) => fromEpochDay(f.day) >= week.start && fromEpochDay(f.day) <= week.end).reduce((s, f) => s + f.amount, 0)),
  );
}

describe("property: the forecast against a naive implementation", () => {
  it("gives the same open collections every week, and never more than is open", () => {
    const arbitrary = fc.record({
      asOf: fc.integer({ min: toEpochDay("2025-01-01"), max: toEpochDay("2027-12-31") }).map(fromEpochDay),
      invoices: fc.array(fc.record({ customerId: fc.integer({ min: 1, max: 4 }), dueOffset: fc.integer({ min: -200, max: 90 }), open: fc.integer({ min: 1, max: 10_000_000 }) }), { maxLength: 25 }),
      late: fc.array(fc.option(fc.integer({ min: -20, max: 120 })), { minLength: 4, maxLength: 4 }),
      apart: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      bands: fc.array(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 5, maxLength: 5 }), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(arbitrary, (data) => {
        const customers = [1, 2, 3, 4].map((id) => ({ id, code: `C${id}`, name: "", grade: id % 2 ? "A" : null, apart: data.apart[id - 1] ? ("stop_shipment" as const) : null }));
        const behaviourMap = new Map<number, PaymentBehaviour>();
        data.late.forEach((late, i) => {
          if (late !== null) behaviourMap.set(i + 1, behaviour(1000, late * 1000, 45_000, late * late * 1000 + 1000 * (i * 40)));
        });
        const input = inputs({
          asOf: data.asOf,
          customers,
          behaviour: behaviourMap,
          gradeBehaviour: new Map([["A", behaviour(100, 1500)]]),
          invoices: data.invoices.map((i) => ({ customerId: i.customerId, dueDate: addDays(data.asOf, i.dueOffset), open: i.open })),
          positions: data.bands.map((bands, i) => ({ monthEnd: `2025-${String(i + 1).padStart(2, "0")}-28`, bands, writtenOff: bands[4] ? 1000 : 0, collected: 5000 })),
        });
        const forecast = computeForecast({ ...input, sales: new Map() });
        const naive = naiveOpenByWeek(input);
        forecast.weeks.forEach((week, k) => expect(Math.abs(week.open - (naive[k] ?? 0))).toBeLessThanOrEqual(1));
        const total = data.invoices.reduce((s, i) => s + i.open, 0);
        expect(forecast.months.reduce((s, m) => s + m.open, 0)).toBeLessThanOrEqual(total + 12);
        forecast.weeks.forEach((week) => {
          expect(week.low).toBeLessThanOrEqual(week.expected + 1);
          expect(week.high).toBeGreaterThanOrEqual(week.expected - 1);
        });
      }),
      { numRuns: 60 },
    );
  });
});

describe("property: the order the invoices come in", () => {
  it("gives the same forecast, promises included, in any order (promises still cover the oldest first)", () => {
    const arbitrary = fc.record({
      invoices: fc.array(fc.record({ customerId: fc.integer({ min: 1, max: 3 }), dueOffset: fc.integer({ min: -120, max: 90 }), open: fc.integer({ min: 1, max: 1_000_000 }) }), { minLength: 1, maxLength: 20 }),
      promises: fc.array(fc.record({ customerId: fc.integer({ min: 1, max: 3 }), dueOffset: fc.integer({ min: 1, max: 60 }), amount: fc.integer({ min: 1, max: 1_000_000 }) }), { maxLength: 4 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(arbitrary, (data) => {
        const asOf = "2026-06-30";
        const customers = [1, 2, 3].map((id) => ({ id, code: `C${id}`, name: "", grade: null, apart: null }));
        const invoices = data.invoices.map((i) => ({ customerId: i.customerId, dueDate: addDays(asOf, i.dueOffset), open: i.open }));
        const base = inputs({
          asOf,
          customers,
          behaviour: new Map([[1, behaviour(1000, 12_000, 45_000, 400_000)], [2, behaviour(1000, -3000)]]),
          promises: data.promises.map((p) => ({ customerId: p.customerId, dueOn: addDays(asOf, p.dueOffset), amount: p.amount })),
          invoices,
        });
        // a deterministic shuffle from the seed
        const shuffled = [...invoices];
        let state = data.seed >>> 0;
        for (let i = shuffled.length - 1; i > 0; i--) {
          state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
          const j = state % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        const ordered = [...invoices].sort((a, b) => a.customerId - b.customerId || (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
        const one = computeForecast({ ...base, invoices: ordered });
        const two = computeForecast({ ...base, invoices: shuffled });
        two.weeks.forEach((week, k) => expect(Math.abs(week.expected - (one.weeks[k]?.expected ?? 0))).toBeLessThanOrEqual(1));
        const byId = new Map(one.customers.map((c) => [c.customerId, c]));
        expect(two.customers.length).toBe(one.customers.length);
        for (const view of two.customers) {
          expect(view.firstExpected).toBe(byId.get(view.customerId)?.firstExpected);
          expect(Math.abs(view.expected - (byId.get(view.customerId)?.expected ?? NaN))).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe("the months the customers' days late are measured on", () => {
  /** A curve paying 1 % of sales on each of the days 20–109 after issue: 90 % of its total (0.9) is reached on day 100. */
  const curve = Array.from({ length: 401 }, (_, d) => (d >= 20 && d < 110 ? 0.01 : 0));

  it("are the 12 full months before asOf's month on a ledger that ran in long ago", () => {
    expect(behaviourMonths("2026-12-07", "2023-01", curve)).toEqual({ fromMonth: "2025-12", toMonth: "2026-11" });
    expect(behaviourMonths("2027-01-02", "2023-01", curve)).toEqual({ fromMonth: "2026-01", toMonth: "2026-12" });
    // on a quarter's last day its month is still asOf's own, not a full one before it
    expect(behaviourMonths("2026-12-31", "2023-01", curve)).toEqual({ fromMonth: "2025-12", toMonth: "2026-11" });
  });

  it("leave out a young ledger's run-in, while only the fast payers could have paid", () => {
    // first sales in March 2026; 90 % of the curve by day 100: four months (101 days) of run-in
    expect(behaviourMonths("2026-12-07", "2026-03", curve)).toEqual({ fromMonth: "2026-07", toMonth: "2026-11" });
    // a faster curve (all of it by day 25) needs one month
    const fast = Array.from({ length: 401 }, (_, d) => (d >= 20 && d < 26 ? 0.15 : 0));
    expect(behaviourMonths("2026-12-07", "2026-03", fast)).toEqual({ fromMonth: "2026-04", toMonth: "2026-11" });
  });

  it("take a curve measured only as far as a young ledger's oldest months reach as a run-in at least that long", () => {
    // most sales paid by day 40 and a thin tail still paying on day 180, the last day the oldest
    // month (May 2026) has reached by 7 December: 90 % of what is measured comes by day 39 (2
    // months, from July), but the tail has not ended, so the run-in is at least 181 days and only
    // the last 3 months count
    const cut = Array.from({ length: 401 }, (_, d) => (d >= 20 && d < 40 ? 0.04 : d >= 40 && d <= 180 ? 0.0005 : 0));
    expect(behaviourMonths("2026-12-07", "2026-05", cut)).toEqual({ fromMonth: "2026-09", toMonth: "2026-11" });
    // the same curve on an older ledger was measured in full: 90 % by day 39, 2 months of run-in
    expect(behaviourMonths("2026-12-07", "2025-09", cut)).toEqual({ fromMonth: "2025-12", toMonth: "2026-11" });
    expect(behaviourMonths("2026-12-07", "2025-11", cut)).toEqual({ fromMonth: "2026-01", toMonth: "2026-11" });
  });

  it(`keep at least ${BEHAVIOUR_MIN_MONTHS} months however young the ledger`, () => {
    expect(behaviourMonths("2026-12-07", "2026-08", curve)).toEqual({ fromMonth: "2026-09", toMonth: "2026-11" });
  });

  it("are the 12 months as they are without a curve or without a first sale", () => {
    expect(behaviourMonths("2026-12-07", "2026-08", null)).toEqual({ fromMonth: "2025-12", toMonth: "2026-11" });
    expect(behaviourMonths("2026-12-07", null, curve)).toEqual({ fromMonth: "2025-12", toMonth: "2026-11" });
    expect(behaviourMonths("2026-12-07", "2026-03", new Array<number>(401).fill(0))).toEqual({ fromMonth: "2025-12", toMonth: "2026-11" });
  });

  it("always end with the month before asOf's and span 3 to 12 months", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 400 }), (asOfOffset, ledgerMonths, lastDay) => {
        const asOf = addDays("2024-01-01", asOfOffset);
        const start = addDays(`${asOf.slice(0, 7)}-15`, -Math.round(30.44 * ledgerMonths)).slice(0, 7);
        const steep = Array.from({ length: 401 }, (_, d) => (d === lastDay ? 1 : 0));
        const { fromMonth, toMonth } = behaviourMonths(asOf, start, steep);
        const months = (a: string, b: string) => (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7)) + 1;
        expect(months(toMonth, asOf.slice(0, 7))).toBe(2);
        const span = months(fromMonth, toMonth);
        expect(span).toBeGreaterThanOrEqual(BEHAVIOUR_MIN_MONTHS);
        expect(span).toBeLessThanOrEqual(12);
      }),
    );
  });

  it("start from the first month with sales, a month without any before it not counting", () => {
    expect(firstMonthWithSales(new Map([["2026-01", 0], ["2026-03", 10], ["2026-02", 0], ["2026-04", 5]]))).toBe("2026-03");
    expect(firstMonthWithSales(new Map([["2026-01", 0]]))).toBeNull();
  });
});

describe("the behaviour window's length", () => {
  it("counts both ends and says when a run-in cut it below 12 months", () => {
    expect(monthsIn({ fromMonth: "2025-12", toMonth: "2026-11" })).toBe(12);
    expect(monthsIn({ fromMonth: "2026-09", toMonth: "2026-11" })).toBe(3);
    expect(monthsIn({ fromMonth: "2025-11", toMonth: "2026-01" })).toBe(3);
    expect(windowShortened({ fromMonth: "2025-12", toMonth: "2026-11" })).toBe(false);
    expect(windowShortened({ fromMonth: "2026-07", toMonth: "2026-11" })).toBe(true);
  });

  it("is the 12 full months before asOf's when the forecast is not told otherwise", () => {
    const forecast = computeForecast(inputs());
    expect(forecast.behaviourWindow).toEqual({ fromMonth: "2025-12", toMonth: "2026-11", firstSalesMonth: null });
    expect(monthsIn(forecast.behaviourWindow)).toBe(12);
  });
});

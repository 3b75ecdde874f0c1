import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { addDays, addMonths, days, daysInMonth, datePartsOf, monthEnd } from "~/kernel/dates";
import type { PaymentBehaviour } from "~/features/forecast";
import { collectionCycle, projectNextYear, projectionSentence, seasonality, splitByShares } from "~/features/year-review/next-year";
import { readScenario } from "~/features/year-review/next-year.schema";

const behaviour = (paid: number, payDays: number, lateDays: number): PaymentBehaviour => ({
  paidAmount: paid,
  payAmountDays: paid * payDays,
  lateAmountDays: paid * lateDays,
  payAmountDaysSq: 0,
  lateAmountDaysSq: 0,
});

/** A calendar year's months with 1,000 a day of sales: 31,000, 28,000, 31,000, … (365,000). */
const thousandADay = (year: number) => Array.from({ length: 12 }, (_, m) => daysInMonth(year, m + 1) * 1000);

describe("seasonality and the split of the year", () => {
  it("averages each month's share of its year over the years with sales", () => {
    // year 1: 100 a month (1/12 each); year 2: everything in the first month; year 3: no sales, left out
    const shares = seasonality([Array(12).fill(100), [1200, ...Array(11).fill(0)], Array(12).fill(0)]);
    expect(shares[0]).toBeCloseTo((1 / 12 + 1) / 2, 12); // 13/24
    expect(shares[1]).toBeCloseTo(1 / 24, 12);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(seasonality([Array(12).fill(0)])).toEqual(Array(12).fill(1 / 12));
  });

  it("rounds on the running total, so the months add up to the year", () => {
    expect(splitByShares(100, [1 / 3, 1 / 3, 1 / 3])).toEqual([33, 34, 33]);
    expect(splitByShares(365_000, thousandADay(2026).map((m) => m / 365_000))).toEqual(thousandADay(2026));
  });
});

describe("the collection cycle", () => {
  it("weights each customer's terms and days late by its sales, falling back to the grade's and the company's", () => {
    const inputs = {
      behaviour: new Map([[1, behaviour(1000, 40, 10)]]), // A: terms 30, 10 days late
      gradeBehaviour: new Map([["B", behaviour(500, 70, 20)]]), // grade B: terms 50, 20 late
      companyBehaviour: behaviour(2000, 20, 0), // company: terms 20, on time
    };
    // A 300 of sales, B (grade B, never paid) 100, C (no grade, never paid) 0: C does not count
    const two = collectionCycle({ ...inputs, customers: [{ id: 1, grade: "A", sales: 300 }, { id: 2, grade: "B", sales: 100 }, { id: 3, grade: null, sales: 0 }] });
    // terms (300×30 + 100×50) ÷ 400 = 35; late (300×10 + 100×20) ÷ 400 = 12.5; 47.5 → 48 days
    expect(two.termsDays).toBeCloseTo(35, 12);
    expect(two.lateDays).toBeCloseTo(12.5, 12);
    expect(two.days).toBe(48);
    // with C selling 100 on the company's behaviour: terms 16,000 ÷ 500 = 32, late 5,000 ÷ 500 = 10
    const three = collectionCycle({ ...inputs, customers: [{ id: 1, grade: "A", sales: 300 }, { id: 2, grade: "B", sales: 100 }, { id: 3, grade: null, sales: 100 }] });
    expect([three.termsDays, three.lateDays, three.days]).toEqual([32, 10, 42]);
  });

  it("takes the company's behaviour when no customer sold, and says when nothing was ever paid", () => {
    expect(collectionCycle({ customers: [], behaviour: new Map(), gradeBehaviour: new Map(), companyBehaviour: behaviour(10, 45, 15) })).toEqual({ termsDays: 30, lateDays: 15, days: 45, measured: true });
    expect(collectionCycle({ customers: [{ id: 1, grade: null, sales: 5 }], behaviour: new Map(), gradeBehaviour: new Map(), companyBehaviour: behaviour(0, 0, 0) }).measured).toBe(false);
  });
});

describe("projectNextYear, worked by hand", () => {
  // 2026 sold 1,000 a day; invoices are paid 30 days after issue; 45,000 open on 31 December 2026.
  const inputs = { start: "2027-01-01", years: [thousandADay(2026)], opening: 45_000, cycleDays: 30 };

  it("at 0 % growth: the opening balance comes in within 30 days, then the last 30 days' sales stay open", () => {
    const p = projectNextYear(inputs, { growthPct: 0, dsoTarget: 20 });
    expect(p.totalSales).toBe(365_000);
    const [jan, feb] = p.months;
    // January sells 31,000; the opening 45,000 runs off as 2026's last 30 days' sales would (1,500 a
    // day on 1–30 January); 1 January's 1,000 comes in on 31 January. Open at the end: 2–31 January.
    expect(jan).toMatchObject({ month: "2027-01", monthEnd: "2027-01-31", sales: 31_000, receivables: 30_000, collections: 46_000 });
    // DSO: 30,000 ÷ (90 days × 1,000) × 90 = 30; the target of 20 days allows 20 × 90,000 ÷ 90 = 20,000
    expect(jan?.sales90).toBe(90_000);
    expect(jan?.dso).toBeCloseTo(30, 12);
    expect(jan?.targetReceivables).toBe(20_000);
    expect(jan?.gap).toBe(10_000);
    expect(feb).toMatchObject({ sales: 28_000, receivables: 30_000, collections: 28_000 });
    expect(p.closing).toBe(30_000);
  });

  it("at 10 % growth: 1,100 a day from January", () => {
    const p = projectNextYear(inputs, { growthPct: 10, dsoTarget: null });
    expect(p.totalSales).toBe(401_500);
    const jan = p.months[0];
    // sales 31 × 1,100 = 34,100; open at the end: 30 days × 1,100 = 33,000;
    // collected 34,100 + 45,000 − 33,000 = 46,100; 90 days' sales 34,100 + 59 × 1,000 = 93,100
    expect(jan).toMatchObject({ sales: 34_100, receivables: 33_000, collections: 46_100, sales90: 93_100, targetReceivables: null, gap: null });
    expect(jan?.dso).toBeCloseTo((33_000 / 93_100) * 90, 12);
    expect(p.months[11]).toMatchObject({ sales: 34_100, receivables: 33_000 });
  });

  it("spreads the opening evenly over the cycle when the year's last days sold nothing, and without sales has no DSO", () => {
    const p = projectNextYear({ start: "2027-01-01", years: [Array(12).fill(0)], opening: 3_000, cycleDays: 30 }, { growthPct: 50, dsoTarget: 40 });
    // 100 a day on 1–30 January
    expect(p.months[0]).toMatchObject({ sales: 0, collections: 3_000, receivables: 0, dso: null, targetReceivables: null, gap: null });
  });

  it("collects everything the same day with a cycle of 0 days", () => {
    const p = projectNextYear({ ...inputs, cycleDays: 0 }, { growthPct: 0, dsoTarget: 10 });
    expect(p.months[0]).toMatchObject({ receivables: 0, collections: 76_000, gap: 0, targetReceivables: 10_000 });
  });
});

describe("projectNextYear against a day-by-day simulation", () => {
  /**
   * The method played out as a ledger: one invoice a day (the month's sales ÷ its days), each paid
   * D days after issue; the opening balance as invoices on the reviewed year's last D days in
   * proportion to their sales (evenly when they sold nothing). Receivables counted at each month end.
   */
  function simulate(start: string, reviewed: readonly number[], next: readonly number[], opening: number, D: number) {
    const invoices: { issued: string; paid: string; amount: number; opening: boolean }[] = [];
    const issueMonths = (first: string, months: readonly number[], asOpening: boolean) => {
      for (let m = 0; m < 12; m++) {
        const monthStart = addMonths(first, m);
        const { year, month } = datePartsOf(monthStart);
        const length = daysInMonth(year, month);
        for (let d = 0; d < length; d++) {
          const issued = addDays(monthStart, d);
          invoices.push({ issued, paid: addDays(issued, D), amount: (months[m] ?? 0) / length, opening: asOpening });
        }
      }
    };
    issueMonths(addMonths(start, -12), reviewed, true);
    issueMonths(start, next, false);
    const cycleStart = addDays(start, -D);
    const old = invoices.filter((i) => i.opening && i.issued >= cycleStart);
    const pipeline = old.reduce((a, i) => a + i.amount, 0);
    const openingParts =
      D === 0
        ? [{ paid: start, amount: opening }]
        : old.map((i) => ({ paid: i.paid, amount: pipeline > 0 ? (opening * i.amount) / pipeline : opening / D }));
    return next.map((_, m) => {
      const end = monthEnd(addMonths(start, m));
      let receivables = opening;
      let sales90 = 0;
      for (const i of invoices) {
        if (!i.opening && i.issued <= end) receivables += i.amount;
        if (!i.opening && i.paid <= end) receivables -= i.amount;
        if (i.issued <= end && days(i.issued, end) < 90) sales90 += i.amount;
      }
      for (const part of openingParts) if (part.paid <= end) receivables -= part.amount;
      return { end, receivables, sales90 };
    });
  }

  const months = fc.array(fc.integer({ min: 0, max: 5_000_000 }), { minLength: 12, maxLength: 12 });

  it("gives the same month-end receivables, 90-day sales and DSO, and every month adds up", () => {
    fc.assert(
      fc.property(
        fc.array(months, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.integer({ min: 0, max: 150 }),
        fc.integer({ min: -100, max: 200 }),
        fc.constantFrom("2027-01-01", "2027-04-01", "2028-02-01", "2024-03-01", "2023-10-01"),
        fc.option(fc.integer({ min: 1, max: 120 })),
        (years, opening, D, growthPct, start, dsoTarget) => {
          const p = projectNextYear({ start, years, opening, cycleDays: D }, { growthPct, dsoTarget });
          const reviewed = years[years.length - 1] ?? [];
          const expectedTotal = Math.round(reviewed.reduce((a, b) => a + b, 0) * (1 + growthPct / 100));
          expect(p.months.reduce((a, m) => a + m.sales, 0)).toBe(expectedTotal);
          const sim = simulate(start, reviewed, p.months.map((m) => m.sales), opening, D);
          let before = opening;
          p.months.forEach((month, i) => {
            const s = sim[i]!;
            expect(month.monthEnd).toBe(s.end);
            expect(Math.abs(month.receivables - s.receivables)).toBeLessThanOrEqual(1 + 1e-9 * Math.abs(s.receivables));
            expect(Math.abs(month.sales90 - s.sales90)).toBeLessThanOrEqual(1 + 1e-9 * s.sales90);
            expect(month.collections).toBe(month.sales + before - month.receivables);
            if (month.sales90 > 0) expect(month.dso).toBeCloseTo((month.receivables / month.sales90) * 90, 9);
            else expect(month.dso).toBeNull();
            if (dsoTarget !== null && month.sales90 > 0) {
              expect(month.targetReceivables).toBe(Math.round((dsoTarget * month.sales90) / 90));
              expect(month.gap).toBe(Math.max(0, month.receivables - (month.targetReceivables ?? 0)));
            }
            before = month.receivables;
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("the scenario read from the URL", () => {
  it("takes defaults for empty fields and refuses bad ones field by field", () => {
    expect(readScenario(new URLSearchParams(""))).toMatchObject({ growthPct: null, dsoTarget: null, errors: {} });
    expect(readScenario(new URLSearchParams("growth=12.5&dsoTarget=45"))).toMatchObject({ growthPct: 12.5, dsoTarget: 45, errors: {} });
    expect(readScenario(new URLSearchParams("growth=abc&dsoTarget=45"))).toMatchObject({ growthPct: null, dsoTarget: 45, errors: { growth: "review.nextYear.error.growthNumber" } });
    expect(readScenario(new URLSearchParams("growth=-150&dsoTarget=0"))).toMatchObject({
      errors: { growth: "review.nextYear.error.growthRange", dsoTarget: "review.nextYear.error.dsoRange" },
    });
    expect(readScenario(new URLSearchParams("dsoTarget=-5")).errors.dsoTarget).toBe("review.nextYear.error.dsoNumber");
  });
});

describe("the report draft's sentence", () => {
  it("states next year's closing receivables and DSO in 万元 or in the currency", () => {
    // 10,000.00 a day, paid after 30 days: 300,000.00 open at the year's end, DSO 30
    const p = projectNextYear({ start: "2027-01-01", years: [thousandADay(2026).map((m) => m * 1000)], opening: 45_000_000, cycleDays: 30 }, { growthPct: 0, dsoTarget: null });
    expect(p.closing).toBe(30_000_000);
    expect(projectionSentence(p, 2027, "CNY", "zh")).toBe("按2026年销售额、近三年各月销售分布、付款条件和客户回款行为测算，预计2027年末应收账款余额约30.00万元，DSO约30.0天。");
    expect(projectionSentence(p, 2027, "CNY", "en")).toMatch(/^At 2026's sales, .* the receivables at the end of 2027 are projected at CN¥300,000\.00, a DSO of about 30\.0 days\.$/);
  });
});

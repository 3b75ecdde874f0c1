import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { APART_FACTOR, type ForecastInputs, type PaymentBehaviour, computeForecast } from "~/features/forecast/forecast";
import { addDays } from "~/kernel/dates";
import { forecastNotes } from "~/features/forecast/forecast.server";
import { CURVE_MIN_INVOICES, invoicedByDay, newSalesHold, paceReading, settledFromInvoiced, weighInPace } from "~/features/forecast/pace";

const none: PaymentBehaviour = { paidAmount: 0, lateAmountDays: 0, payAmountDays: 0, lateAmountDaysSq: 0, payAmountDaysSq: 0 };

describe("the curve's reading of the invoiced sales", () => {
  it("spreads each month's sales over its days, asOf's month over its days through asOf", () => {
    const sales = new Map([
      ["2026-10", 3_100], // 100 a day, 31 days
      ["2026-11", 3_000], // 100 a day
      ["2026-12", 1_400], // 1–7 December: 200 a day
      ["2027-01", 9_999], // after asOf: not invoiced yet
    ]);
    const invoiced = invoicedByDay(sales, "2026-12-07", 40);
    expect(Array.from(invoiced.subarray(0, 7))).toEqual([200, 200, 200, 200, 200, 200, 200]);
    // 30 November back to 1 November, then 31 October to 29 October
    expect(Array.from(invoiced.subarray(7, 40))).toEqual(new Array<number>(33).fill(100));
  });

  it("settles each day's sales by the curve's shares, ahead of asOf and over the days before it", () => {
    // 10 invoiced on asOf, 20 the day before; half of an invoice settles a day after issue, half two days after
    const invoiced = Float64Array.from([10, 20]);
    const { ahead, before } = settledFromInvoiced(invoiced, [0, 0.5, 0.5], 2, 3);
    // asOf + 1: half of asOf's 10 (1 day old) and half of the 20 (2 days old) = 5 + 10; asOf + 2: the other half of the 10
    expect(Array.from(ahead)).toEqual([15, 5, 0]);
    // asOf: half of the day before's 20 came in; the day before: nothing (issued that day)
    expect(before).toBe(10);
  });

  it("is the per-day sum of every day's sales × its share, whatever the sales and curve", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 15 }),
        fc.integer({ min: 1, max: 15 }),
        (sales, weights, trailing, horizon) => {
          const lags = weights.map((w) => w / 1_000);
          const invoiced = Float64Array.from(sales);
          const got = settledFromInvoiced(invoiced, lags, trailing, horizon);
          // day k relative to asOf (k ≤ 0 before it, k ≥ 1 after): every issue day i (asOf − i) at lag k + i
          const on = (k: number) => sales.reduce((sum, amount, i) => sum + (k + i >= 0 && k + i < lags.length ? amount * (lags[k + i] ?? 0) : 0), 0);
          for (let d = 0; d < horizon; d++) expect(got.ahead[d]).toBeCloseTo(on(d + 1), 9);
          let before = 0;
          for (let j = 0; j < trailing; j++) before += on(-j);
          expect(got.before).toBeCloseTo(before, 9);
        },
      ),
    );
  });

  it("holds the curve's reading to what came in and gives it the open book's first weeks while the hold is plausible", () => {
    const many = CURVE_MIN_INVOICES;
    const fromInvoiced = { ahead: Float64Array.from([15, 5, 0]), before: 10 };
    // 8 came in where the curve said 10: held at 0.8, it reads 0.8 × 20 = 16 ahead
    const far = paceReading({ collected: 8, fromInvoiced, bookAhead: 25, days: 3, invoices: many });
    expect(far).toMatchObject({ collected: 8, curveSaid: 10, held: 0.8, bookAhead: 25, weight: 1 });
    expect(far?.curveAhead).toBeCloseTo(16, 12);
    // whether the invoices one by one expect more than the curve or less
    expect(paceReading({ collected: 8, fromInvoiced, bookAhead: 12, days: 3, invoices: many })?.weight).toBe(1);
    expect(paceReading({ collected: 8, fromInvoiced, bookAhead: 0, days: 3, invoices: many })?.weight).toBe(1);
    // a book of fewer open invoices than the reading needs is read one by one
    expect(paceReading({ collected: 8, fromInvoiced, bookAhead: 25, days: 3, invoices: CURVE_MIN_INVOICES - 1 })?.weight).toBe(0);
    // the edges of the plausible hold count
    expect(paceReading({ collected: 3, fromInvoiced, bookAhead: 25, days: 3, invoices: many })).toMatchObject({ held: 0.3, weight: 1 });
    expect(paceReading({ collected: 15, fromInvoiced, bookAhead: 25, days: 3, invoices: many })).toMatchObject({ held: 1.5, weight: 1 });
    // collections far from what the curve says (an old backlog coming in, a payer who stopped): left out
    expect(paceReading({ collected: 100, fromInvoiced, bookAhead: 2_000, days: 3, invoices: many })).toMatchObject({ held: 10, weight: 0 });
    expect(paceReading({ collected: 2, fromInvoiced, bookAhead: 25, days: 3, invoices: many })).toMatchObject({ held: 0.2, weight: 0 });
    // nothing to hold the curve to
    expect(paceReading({ collected: 0, fromInvoiced, bookAhead: 25, days: 3, invoices: many })).toBeNull();
    expect(paceReading({ collected: 8, fromInvoiced: { ahead: new Float64Array(3), before: 0 }, bookAhead: 25, days: 3, invoices: many })).toBeNull();
  });
});

describe("weighing in the curve's reading", () => {
  const reading = (held: number, bookAhead = 0, curveAhead = 0) => ({ collected: 0, curveSaid: 0, bookAhead, curveAhead, held, weight: 1 });

  it("puts the curve's reading, held, in the open book's place and holds the new sales", () => {
    const days = { safe: Float64Array.from([10, 2]), apart: Float64Array.from([4, 0]), newSales: Float64Array.from([0, 10]) };
    weighInPace(days, reading(0.8), Float64Array.from([5, 5]), 100, 0.8);
    expect(Array.from(days.safe)).toEqual([4, 4]);
    // the invoices' reading of the open book was not compared (0 ahead): the customers shown apart as they were
    expect(Array.from(days.apart)).toEqual([4, 0]);
    expect(days.newSales[1]).toBeCloseTo(8, 12);
  });

  it("takes the curve's reading over the 13 weeks it was measured on, then less to none 13 weeks later; the new sales' hold throughout", () => {
    const days = { safe: new Float64Array(200).fill(10), apart: new Float64Array(200), newSales: new Float64Array(200).fill(10) };
    weighInPace(days, reading(0.8), new Float64Array(200).fill(5), 10_000, 0.8);
    // the curve's 0.8 × 5 = 4 a day over days 0–90; none of it from day 181 on
    expect(days.safe[0]).toBeCloseTo(4, 12);
    expect(days.safe[90]).toBeCloseTo(4, 12);
    const w = 1 - 46 / 91;
    expect(days.safe[136]).toBeCloseTo((1 - w) * 10 + w * 4, 12);
    expect(days.safe[181]).toBe(10);
    expect(days.safe[199]).toBe(10);
    // the hold corrects the curve's count of what is settled, which does not fade
    expect(days.newSales[0]).toBeCloseTo(8, 12);
    expect(days.newSales[199]).toBeCloseTo(8, 12);
  });

  it("reads the curve also where it says more than the invoices one by one, but never more in all than is open", () => {
    const days = { safe: Float64Array.from([10, 0]), apart: new Float64Array(2), newSales: new Float64Array(2) };
    weighInPace(days, reading(1), Float64Array.from([8, 8]), 100, 1);
    expect(Array.from(days.safe)).toEqual([8, 8]);
    // 12 open: the curve's 16 cut to 12, in its shape
    const capped = { safe: Float64Array.from([10, 0]), apart: new Float64Array(2), newSales: new Float64Array(2) };
    weighInPace(capped, reading(1), Float64Array.from([8, 8]), 12, 1);
    expect(Array.from(capped.safe)).toEqual([6, 6]);
  });

  it("scales the customers shown apart down as far as the curve's reading falls short of the invoices', with the same fade, never up", () => {
    // over the first 13 weeks the invoices say 20, the curve 15: their invoices run ahead too, × 0.75
    const days = { safe: new Float64Array(200).fill(1), apart: new Float64Array(200).fill(4), newSales: new Float64Array(200) };
    weighInPace(days, reading(1, 20, 15), new Float64Array(200).fill(1), 10_000, 1);
    expect(days.apart[0]).toBeCloseTo(3, 12);
    expect(days.apart[90]).toBeCloseTo(3, 12);
    const w = 1 - 46 / 91;
    expect(days.apart[136]).toBeCloseTo(4 * (1 - w * 0.25), 12);
    expect(days.apart[181]).toBe(4);
    // the curve reading more than the invoices does not make the customers shown apart likelier to pay
    const more = { safe: Float64Array.from([1]), apart: Float64Array.from([4]), newSales: new Float64Array(1) };
    weighInPace(more, reading(1, 15, 20), Float64Array.from([1]), 100, 1);
    expect(Array.from(more.apart)).toEqual([4]);
  });

  it("holds the new sales up to what is billed: the curve's total share of an invoice × the hold is at most one", () => {
    // a curve settling all of each invoice: never above billed
    expect(newSalesHold(1.4, [0, 0.5, 0.5])).toBe(1);
    expect(newSalesHold(0.8, [0, 0.5, 0.5])).toBe(0.8);
    // a curve that counts 80 % as settled (part-payments never settle an invoice): up to 1 ÷ 0.8
    expect(newSalesHold(1.1, [0, 0.4, 0.4])).toBe(1.1);
    expect(newSalesHold(1.4, [0, 0.4, 0.4])).toBeCloseTo(1.25, 12);
    // an empty curve: the hold, never above one
    expect(newSalesHold(1.2, [0, 0])).toBe(1);
    fc.assert(
      fc.property(fc.double({ min: 0.3, max: 1.5, noNaN: true }), fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 30 }), (held, weights) => {
        const lags = weights.map((w) => w / 1_000);
        const total = lags.reduce((a, b) => a + b, 0);
        const hold = newSalesHold(held, lags);
        expect(hold).toBeLessThanOrEqual(held);
        expect(hold * (total > 0 ? total : 1)).toBeLessThanOrEqual(1 + 1e-12);
      }),
    );
  });
});

describe("the forecast with the curve's reading", () => {
  /** `open` over CURVE_MIN_INVOICES (or `count`) invoices of one customer, due on 10 December */
  const book = (customerId: number, open: number, count = CURVE_MIN_INVOICES) =>
    Array.from({ length: count }, () => ({ customerId, dueDate: "2026-12-10", open: open / count }));
  // Every invoice is settled 10 days after issue (the curve); November invoiced 300,000.00 evenly
  // (10,000.00 a day), December nothing by asOf. The curve says the 91 days through 2026-12-07
  // brought what was invoiced 1–27 November (settled 11 November – 7 December): 270,000.00; what
  // was invoiced 28–30 November comes on 8–10 December, 10,000.00 a day.
  const base = (collected: number, open: number): ForecastInputs => ({
    asOf: "2026-12-07",
    weeks: 13,
    customers: [{ id: 1, code: "A", name: "A", grade: null, apart: null }],
    // the customer's open invoices, as few as the curve's reading needs, all due (and, without any
    // history, expected) on 10 December
    invoices: book(1, open),
    promises: [],
    behaviour: new Map(),
    gradeBehaviour: new Map(),
    companyBehaviour: none,
    positions: [],
    sales: new Map([["2026-11", 300_000_00]]),
    lagCohorts: [
      { month: "2026-01", days: -1, amount: 1_000 },
      { month: "2026-01", days: 10, amount: 1_000 },
    ],
    trailingCollected: collected,
  });

  it("takes the curve's reading, held to what came in, in the open invoices' place", () => {
    // 216,000.00 came in: held at 0.8, the curve reads 0.8 × 30,000.00 = 24,000.00 of the open book
    // in the next 13 weeks, where the invoices say 100,000.00
    const forecast = computeForecast(base(216_000_00, 100_000_00));
    expect(forecast.pace).toMatchObject({ collected: 216_000_00, curveSaid: 270_000_00, weight: 1 });
    expect(forecast.pace?.held).toBeCloseTo(0.8, 12);
    expect(forecast.weeks.map((w) => w.open)).toEqual([24_000_00, ...new Array<number>(12).fill(0)]);
    // the new sales (the last three months' run-rate, 300,000.00 ÷ 3 a month, from 8 December, paid 10
    // days after issue) held the same: 15–21 December brings 8–11 December's, 4 × 100,000.00 ÷ 31 × 0.8
    expect(forecast.weeks[1]?.newSales).toBe(Math.round((4 * 100_000_00 * 0.8) / 31));
  });

  it("says where the figures come from: both readings and what came in; nothing when the curve is left out", () => {
    const notes = forecastNotes(computeForecast(base(216_000_00, 100_000_00)));
    expect(notes).toContain(
      "for the customers not shown apart, the open invoices one by one say 100000.00 comes in over the next 13 weeks (promises to pay aside), the collection curve read on what was invoiced and held to the 216000.00 collected in the last 13 weeks says 24000.00: those weeks take the curve's reading, fading over the 13 after and never more than is open; the customers shown apart are scaled down as far as it falls short, promises to pay keep their dates",
    );
    // an implausible hold, or too few invoices, leaves the curve out, and the notes say nothing of it
    expect(forecastNotes(computeForecast(base(2_700_000_00, 1_000_000_00))).some((note) => note.includes("curve"))).toBe(false);
    const few = { ...base(216_000_00, 100_000_00), invoices: book(1, 100_000_00, CURVE_MIN_INVOICES - 1) };
    expect(forecastNotes(computeForecast(few)).some((note) => note.includes("curve"))).toBe(false);
  });

  it("leaves the curve out when the last 13 weeks brought far more than it says (an old backlog)", () => {
    // 2,700,000.00 came in where the curve says 270,000.00: held at 10; the new sales must not come in
    // at ten times what is billed, nor the open book at ten times the curve's pace
    const forecast = computeForecast(base(2_700_000_00, 1_000_000_00));
    expect(forecast.pace?.held).toBeCloseTo(10, 9);
    expect(forecast.pace?.weight).toBe(0);
    expect(forecast.weeks[0]?.open).toBe(1_000_000_00);
    expect(forecast.weeks[1]?.newSales).toBe(Math.round((4 * 100_000_00) / 31));
  });

  it("keeps a promise to pay out of the curve's reading: what a customer said it pays on a day stays on that day", () => {
    // half of the 100,000.00 open (50 of its 100 invoices) is promised for 15 December; the curve's
    // reading (24,000.00 of the whole book) stands for the other half only: 12,000.00
    const inputs = {
      ...base(216_000_00, 100_000_00),
      invoices: book(1, 100_000_00, 2 * CURVE_MIN_INVOICES),
      promises: [{ customerId: 1, dueOn: "2026-12-15", amount: 50_000_00 }],
    };
    const forecast = computeForecast(inputs);
    expect(forecast.pace?.weight).toBe(1);
    expect(forecast.pace?.bookAhead).toBeCloseTo(50_000_00, 6);
    expect(forecast.weeks[0]?.open).toBe(12_000_00);
    expect(forecast.weeks[1]?.open).toBe(50_000_00);
    expect(forecast.customers[0]?.expected).toBe(62_000_00);
  });

  it("gives each customer its share of the curve's figures, so that a chase list adds up to the weeks", () => {
    const forecast = computeForecast(base(216_000_00, 100_000_00));
    // the curve's 24,000.00: the one customer is expected to bring that, not 100,000.00
    expect(forecast.customers[0]?.expected).toBe(24_000_00);
    expect(forecast.customers[0]?.probability).toBeCloseTo(0.24, 12);
  });

  it("never expects more than is open, of the book or of a customer, however much the curve reads", () => {
    // the invoices are 20,000.00; the curve, held at 0.8, reads 24,000.00: cut to the 20,000.00 open
    const forecast = computeForecast(base(216_000_00, 20_000_00));
    expect(forecast.pace?.weight).toBe(1);
    expect(forecast.weeks[0]?.open).toBe(20_000_00);
    expect(forecast.customers[0]?.expected).toBe(20_000_00);
    expect(forecast.customers[0]?.probability).toBe(1);
  });

  it("reads a book of only customers shown apart from their invoices: at half probability, in full at the high end", () => {
    // the curve stands for the customers not shown apart, and there are none: it is left out
    const inputs = { ...base(216_000_00, 100_000_00), customers: [{ id: 1, code: "A", name: "A", grade: null, apart: "stop_shipment" as const }] };
    const forecast = computeForecast(inputs);
    expect(forecast.pace?.weight).toBe(0);
    expect(forecast.weeks[0]?.open).toBe(50_000_00);
    expect(forecast.weeks[0]?.high).toBe(100_000_00);
    expect(forecast.customers[0]?.expected).toBe(50_000_00);
  });

  it("gives the curve's reading to the customers not shown apart by their share of the book, and scales the others' as far down", () => {
    // customer 1 (not apart) 100,000.00 over 50 invoices and customer 2 (stop shipment) 100,000.00, all
    // due 10 December: the open book expects 100,000.00 + 50,000.00 in the horizon; the curve's
    // 24,000.00 stands for customer 1's two thirds of it: 16,000.00, 16 % of what the invoices say;
    // customer 2's invoices run ahead as far: 50,000.00 × 0.16 = 8,000.00, still half customer 1's chance
    const inputs: ForecastInputs = {
      ...base(216_000_00, 100_000_00),
      customers: [
        { id: 1, code: "A", name: "A", grade: null, apart: null },
        { id: 2, code: "B", name: "B", grade: null, apart: "stop_shipment" },
      ],
      invoices: [...book(1, 100_000_00), ...book(2, 100_000_00, 10)],
    };
    const forecast = computeForecast(inputs);
    expect(forecast.weeks[0]?.open).toBe(16_000_00 + 8_000_00);
    const by = new Map(forecast.customers.map((c) => [c.customerId, c]));
    expect(by.get(1)?.expected).toBe(16_000_00);
    expect(by.get(2)?.expected).toBe(8_000_00);
    expect(by.get(2)?.probability).toBeCloseTo((by.get(1)?.probability ?? 0) * APART_FACTOR, 12);
    // the high end: customer 1's 16,000.00 × (1 + 20 %) and all of customer 2's 100,000.00
    expect(forecast.weeks[0]?.high).toBe(16_000_00 * 1.2 + 100_000_00);
  });

  it("keeps the open invoices' reading for a book of fewer than CURVE_MIN_INVOICES open invoices", () => {
    const few = computeForecast({ ...base(216_000_00, 100_000_00), invoices: book(1, 100_000_00, CURVE_MIN_INVOICES - 1) });
    expect(few.pace?.weight).toBe(0);
    expect(few.weeks[0]?.open).toBe(100_000_00);
    expect(few.customers[0]?.expected).toBe(100_000_00);
  });

  it("keeps the open invoices' reading without collections to hold the curve to", () => {
    const { trailingCollected: _, ...withoutCollections } = base(216_000_00, 100_000_00);
    const alone = computeForecast(withoutCollections);
    expect(alone.pace).toBeNull();
    expect(alone.weeks[0]?.open).toBe(100_000_00);
  });

  it("never expects more than is open, nor any customer more than its own, whatever the book, the sales and what came in", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            customer: fc.integer({ min: 1, max: 6 }),
            due: fc.integer({ min: -200, max: 120 }),
            open: fc.integer({ min: 1, max: 5_000_000 }),
          }),
          { minLength: CURVE_MIN_INVOICES, maxLength: 120 },
        ),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 50_000_00, max: 600_000_00 }),
        fc.integer({ min: 1, max: 60 }),
        (rows, apartFlags, collected, lag) => {
          const inputs: ForecastInputs = {
            ...base(collected, 0),
            customers: apartFlags.map((apart, i) => ({ id: i + 1, code: `C${i + 1}`, name: `C${i + 1}`, grade: null, apart: apart ? ("lawyer_letter" as const) : null })),
            invoices: rows.map((r) => ({ customerId: r.customer, dueDate: addDays("2026-12-07", r.due), open: r.open })),
            lagCohorts: [
              { month: "2026-01", days: -1, amount: 1_000 },
              { month: "2026-01", days: lag, amount: 900 },
            ],
          };
          const forecast = computeForecast(inputs);
          const open = rows.reduce((sum, r) => sum + r.open, 0);
          const expectedOpen = forecast.months.reduce((sum, m) => sum + m.open, 0);
          expect(expectedOpen).toBeLessThanOrEqual(open + forecast.months.length);
          for (const view of forecast.customers) {
            expect(view.expected).toBeLessThanOrEqual(Math.round(view.open));
            expect(view.probability).toBeLessThanOrEqual(1 + 1e-9);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { type CreditPolicy, type CreditRule, STANDARD_CREDIT_POLICY } from "~/features/credit/grades/grades";
import {
  type CreditMetrics,
  type Fraction,
  compareExact,
  measureCustomer,
  metricDisplay,
  settleWithPaidDates,
  suggestGrade,
  trailingYearStart,
} from "~/features/credit/rules";
import { addDays } from "~/kernel/dates";
import type { AdjustmentRecord, InvoiceRecord, PaymentRecord } from "~/kernel/ledger/types";
import { customerOpenItems } from "~/kernel/ledger/open-items";
import { adjustment, invoice, payment } from "../../support/ledger-builders";

const frac = (num: number, den = 1): Fraction => ({ num: BigInt(num), den: BigInt(den) });

const clean: CreditMetrics = {
  avgDaysLate: frac(2),
  overdueRatio: frac(5, 100),
  brokenPromises: 0,
  writeOffs: 0,
  utilisation: frac(1, 2),
};

describe("compareExact", () => {
  it.each([
    // 10% of 3 cents exactly vs the float trap 0.1 * 3 = 0.30000000000000004
    [frac(3, 30), "lte", 0.1, true],
    [frac(3, 30), "lt", 0.1, false],
    [frac(7, 100), "gte", 0.07, true],
    [frac(1, 3), "gt", 0.33, true],
    [frac(1, 3), "lt", 0.34, true],
    [frac(10), "gt", 10, false],
    [frac(10), "gte", 10, true],
    [frac(1_000_000_000_000_001, 100_000_000_000_000), "gt", 10, true],
  ] as const)("%o %s %d is %s", (value, comparator, threshold, holds) => {
    expect(compareExact(value, comparator, threshold)).toBe(holds);
  });
});

describe("metricDisplay", () => {
  it("shows ratios in percent and rounds half up to 2 decimals", () => {
    expect(metricDisplay({ ...clean, overdueRatio: frac(1, 3) }, "overdue_ratio")).toBe(33.33);
    expect(metricDisplay({ ...clean, avgDaysLate: frac(2, 3) }, "avg_days_late")).toBe(0.67);
    expect(metricDisplay({ ...clean, avgDaysLate: frac(1, 800) }, "avg_days_late")).toBe(0);
    expect(metricDisplay({ ...clean, utilisation: null }, "utilisation")).toBeNull();
    expect(metricDisplay(clean, "broken_promises")).toBe(0);
  });
});

describe("suggestGrade with the standard policy", () => {
  const policy = STANDARD_CREDIT_POLICY;
  it.each<[string, string | null, Partial<CreditMetrics>, string | null, string, string[]]>([
    ["a clean record promotes B to A", "B", {}, "A", "promote", ["credit.reason.promote", "credit.reason.promote", "credit.reason.promote"]],
    ["a clean record keeps A at A", "A", {}, "A", "keep", ["credit.reason.promote", "credit.reason.promote", "credit.reason.promote", "credit.reason.alreadyBest"]],
    ["exactly 5 days late still promotes (<= 5)", "C", { avgDaysLate: frac(5) }, "B", "promote", ["credit.reason.promote", "credit.reason.promote", "credit.reason.promote"]],
    ["5.01 days late misses the promotion", "C", { avgDaysLate: frac(501, 100) }, "C", "keep", ["credit.reason.promotionMissed"]],
    ["exactly 30 days late is not a demotion (> 30)", "B", { avgDaysLate: frac(30) }, "B", "keep", ["credit.reason.promotionMissed"]],
    ["30.5 days late demotes one grade", "B", { avgDaysLate: frac(61, 2) }, "C", "demote", ["credit.reason.demote"]],
    ["two demotion rules still move one grade", "A", { avgDaysLate: frac(45), overdueRatio: frac(1, 2) }, "B", "demote", ["credit.reason.demote", "credit.reason.demote"]],
    ["D cannot go lower", "D", { brokenPromises: 3 }, "D", "keep", ["credit.reason.demote", "credit.reason.alreadyLowest"]],
    ["a write-off caps A at D at once", "A", { writeOffs: 1 }, "D", "cap", ["credit.reason.cap"]],
    ["a write-off leaves D at D (cap is not a promotion)", "D", { writeOffs: 1, avgDaysLate: frac(0) }, "D", "keep", ["credit.reason.cap"]],
    ["over 120% of the limit demotes", "B", { utilisation: frac(121, 100) }, "C", "demote", ["credit.reason.demote"]],
    ["no limit: utilisation neither demotes nor blocks", "C", { utilisation: null }, "B", "promote", ["credit.reason.promote", "credit.reason.promote", "credit.reason.promote"]],
    ["nothing fell due: no evidence to promote", "C", { avgDaysLate: null }, "C", "keep", ["credit.reason.noData"]],
    ["nothing open: no overdue ratio, no promotion", "C", { overdueRatio: null, avgDaysLate: frac(1) }, "C", "keep", ["credit.reason.noData"]],
    ["ungraded customers get no suggestion", null, {}, null, "ungraded", ["credit.reason.ungraded"]],
    ["an unknown grade gets no suggestion", "Z", {}, null, "ungraded", ["credit.reason.ungraded"]],
  ])("%s", (_label, current, change, suggested, kind, reasonKeys) => {
    const result = suggestGrade(policy, current, { ...clean, ...change });
    expect(result.suggestedGrade).toBe(suggested);
    expect(result.change).toBe(kind);
    if (reasonKeys.length > 0) expect(result.reasons.map((r) => r.key)).toEqual(reasonKeys);
  });

  it("words a reason with the metric, comparator, threshold and measured value", () => {
    const result = suggestGrade(policy, "B", { ...clean, overdueRatio: frac(1, 2) });
    expect(result.reasons).toEqual([
      {
        key: "credit.reason.demote",
        params: {
          metricKey: "credit.metric.overdue_ratio",
          comparatorKey: "credit.comparator.gt",
          threshold: 40,
          unit: "percent",
          value: 50,
        },
      },
    ]);
  });

  it("a policy without promotion rules never promotes", () => {
    const noPromotion: CreditPolicy = { ...policy, rules: policy.rules.filter((r) => r.action !== "promote") };
    expect(suggestGrade(noPromotion, "B", clean)).toMatchObject({ suggestedGrade: "B", change: "keep" });
  });

  it("a cap at C keeps a clean C where it is, with the cap as the reason", () => {
    const capAtC: CreditPolicy = {
      ...policy,
      rules: policy.rules.map((r) => (r.action === "to-grade" ? { ...r, toGrade: "C" } : r)),
    };
    expect(suggestGrade(capAtC, "C", { ...clean, writeOffs: 1 })).toMatchObject({ suggestedGrade: "C", change: "keep", reasons: [{ key: "credit.reason.cap" }] });
    expect(suggestGrade(capAtC, "D", { ...clean, writeOffs: 1 })).toMatchObject({ suggestedGrade: "C", change: "promote" });
  });

  it("the harshest cap wins", () => {
    const caps: CreditRule[] = [
      { metric: "write_offs", comparator: "gte", threshold: 1, action: "to-grade", toGrade: "C" },
      { metric: "broken_promises", comparator: "gte", threshold: 1, action: "to-grade", toGrade: "D" },
    ];
    const result = suggestGrade({ ...policy, rules: caps }, "A", { ...clean, writeOffs: 2, brokenPromises: 1 });
    expect(result).toMatchObject({ suggestedGrade: "D", change: "cap" });
    expect(result.reasons).toHaveLength(2);
  });
});

describe("trailingYearStart", () => {
  it.each([
    ["2026-03-31", "2025-04-01"],
    ["2024-02-29", "2023-03-01"],
    ["2026-01-01", "2025-01-02"],
  ])("the 12 months ending %s start %s", (asOf, start) => {
    expect(trailingYearStart(asOf)).toBe(start);
  });
});

describe("settleWithPaidDates", () => {
  const paid = (invoices: InvoiceRecord[], payments: PaymentRecord[], adjustments: AdjustmentRecord[], asOf: string) =>
    Object.fromEntries(settleWithPaidDates({ invoices, payments, adjustments }, asOf).map((s) => [s.invoice.invoiceNo, [s.openAmount, s.paidDate]]));

  it.each<[string, InvoiceRecord[], PaymentRecord[], AdjustmentRecord[], string, Record<string, [number, string | null]>]>([
    ["unpaid", [invoice("I1", "2026-01-01", "2026-01-31", 1000)], [], [], "2026-03-31", { I1: [1000, null] }],
    [
      "paid in two parts: the day of the last part",
      [invoice("I1", "2026-01-01", "2026-01-31", 1000)],
      [payment("2026-01-20", 400, "I1"), payment("2026-02-10", 600, "I1")],
      [],
      "2026-03-31",
      { I1: [0, "2026-02-10"] },
    ],
    [
      "unnamed money settles oldest first by due date",
      [invoice("I1", "2026-01-01", "2026-02-28", 500), invoice("I2", "2026-01-05", "2026-01-31", 500)],
      [payment("2026-02-01", 500), payment("2026-03-01", 500)],
      [],
      "2026-03-31",
      { I2: [0, "2026-02-01"], I1: [0, "2026-03-01"] },
    ],
    [
      "a later invoice with an earlier due date takes the pool and re-opens the older one",
      [invoice("I1", "2026-01-01", "2026-03-31", 500), invoice("I2", "2026-01-10", "2026-01-20", 500)],
      [payment("2026-01-05", 500), payment("2026-02-15", 500)],
      [],
      "2026-03-31",
      // I1 was covered on 01-05, opened again on 01-10 (I2 takes the pool), covered for good on 02-15
      { I2: [0, "2026-01-10"], I1: [0, "2026-02-15"] },
    ],
    [
      "a credit note settles like a payment",
      [invoice("I1", "2026-01-01", "2026-01-31", 1000)],
      [],
      [adjustment("credit_note", "2026-01-15", 1000, "I1")],
      "2026-03-31",
      { I1: [0, "2026-01-15"] },
    ],
    [
      "a prepayment: paid on the day the invoice is issued",
      [invoice("I1", "2026-02-01", "2026-03-01", 1000)],
      [payment("2026-01-10", 1000)],
      [],
      "2026-03-31",
      { I1: [0, "2026-02-01"] },
    ],
    [
      "a payment naming an invoice not yet issued waits in the pool",
      [invoice("I1", "2026-01-01", "2026-01-31", 1000), invoice("I2", "2026-02-01", "2026-02-28", 1000)],
      [payment("2026-01-15", 1000, "I2")],
      [],
      "2026-03-31",
      // pooled on 01-15 it covers I1; once I2 is issued it moves to I2 and I1 re-opens
      { I1: [1000, null], I2: [0, "2026-02-01"] },
    ],
    [
      "documents after the as-of date do not count",
      [invoice("I1", "2026-01-01", "2026-01-31", 1000)],
      [payment("2026-04-01", 1000, "I1")],
      [],
      "2026-03-31",
      { I1: [1000, null] },
    ],
  ])("%s", (_label, invoices, payments, adjustments, asOf, expected) => {
    expect(paid(invoices, payments, adjustments, asOf)).toEqual(expected);
  });

  // The paid date against the contract itself: settle as of every day and read off when the
  // invoice last turned zero.
  it("agrees with KPIS.md section 3 settled day by day (property)", () => {
    const start = "2026-01-01";
    const day = fc.integer({ min: 0, max: 40 });
    const amount = fc.constantFrom(100, 250, 400, 1000);
    const arb = fc.record({
      invoices: fc.array(fc.record({ issue: day, terms: fc.constantFrom(0, 5, 10, 30), amount }), { minLength: 1, maxLength: 6 }),
      settlements: fc.array(
        fc.record({ day, amount, invoice: fc.option(fc.nat({ max: 7 })), adjustment: fc.boolean() }),
        { maxLength: 8 },
      ),
    });
    fc.assert(
      fc.property(arb, ({ invoices: facts, settlements }) => {
        const invoices = facts.map((f, i) => invoice(`I${i}`, addDays(start, f.issue), addDays(start, f.issue + f.terms), f.amount));
        const named = (n: number | null) => (n === null ? null : `I${n}`); // I6, I7 do not exist
        const payments = settlements.filter((s) => !s.adjustment).map((s) => payment(addDays(start, s.day), s.amount, named(s.invoice)));
        const adjustments = settlements
          .filter((s) => s.adjustment)
          .map((s) => adjustment("offset", addDays(start, s.day), s.amount, named(s.invoice)));
        const asOf = addDays(start, 45);
        const fast = settleWithPaidDates({ invoices, payments, adjustments }, asOf);
        const ledger = { invoices, payments, adjustments };
        for (const { invoice: inv, openAmount, paidDate } of fast) {
          let expected: string | null = null;
          for (let d = inv.issueDate; d <= asOf; d = addDays(d, 1)) {
            const open = customerOpenItems("C1", ledger, d).invoices.find((i) => i.invoiceNo === inv.invoiceNo)!.openAmount;
            if (open > 0) expected = null;
            else expected ??= d;
          }
          const openAtEnd = customerOpenItems("C1", ledger, asOf).invoices.find((i) => i.invoiceNo === inv.invoiceNo)!.openAmount;
          expect(openAmount).toBe(openAtEnd);
          expect(paidDate).toBe(expected);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe("measureCustomer", () => {
  const asOf = "2026-06-30";

  it("weights days late by amount over invoices due in the trailing 12 months", () => {
    const metrics = measureCustomer({
      documents: {
        invoices: [
          invoice("OLD", "2025-05-01", "2025-06-30", 9_999_00), // due before the window: ignored
          invoice("I1", "2026-01-01", "2026-01-31", 1000_00), // paid 10 days late
          invoice("I2", "2026-02-01", "2026-02-28", 3000_00), // paid early: 0 days
          invoice("I3", "2026-05-01", "2026-05-31", 1000_00), // open: 30 days late so far
          invoice("I4", "2026-06-15", "2026-07-15", 500_00), // not yet due: ignored for lateness
        ],
        payments: [payment("2025-07-30", 9_999_00, "OLD"), payment("2026-02-10", 1000_00, "I1"), payment("2026-02-20", 3000_00, "I2")],
        adjustments: [adjustment("write_off", "2025-06-30", 1), adjustment("write_off", "2025-07-01", 1)],
      },
      asOf,
      creditLimit: 1000_00,
      brokenPromises: 2,
    });
    // (1000*10 + 3000*0 + 1000*30) / 5000 = 8 days
    expect(metrics.avgDaysLate).toEqual({ num: 1000_00n * 10n + 1000_00n * 30n, den: 5000_00n });
    expect(metricDisplay(metrics, "avg_days_late")).toBe(8);
    // open: I3 1000 (overdue), I4 500 (current) minus 2 cents of unnamed write-offs taken oldest first
    expect(metrics.overdueRatio).toEqual({ num: 1000_00n - 2n, den: 1500_00n - 2n });
    expect(metrics.utilisation).toEqual({ num: 1500_00n - 2n, den: 1000_00n });
    // 2025-07-01 is inside (2025-06-30, 2026-06-30]; 2025-06-30 is not
    expect(metrics.writeOffs).toBe(1);
    expect(metrics.brokenPromises).toBe(2);
  });

  it("an empty ledger has no lateness, no ratio, no utilisation", () => {
    expect(measureCustomer({ documents: { invoices: [], payments: [], adjustments: [] }, asOf, creditLimit: 0, brokenPromises: 0 })).toEqual({
      avgDaysLate: null,
      overdueRatio: null,
      brokenPromises: 0,
      writeOffs: 0,
      utilisation: null,
    });
  });

  it("due today is not late", () => {
    const metrics = measureCustomer({
      documents: { invoices: [invoice("I1", "2026-06-01", asOf, 100)], payments: [], adjustments: [] },
      asOf,
      creditLimit: null,
      brokenPromises: 0,
    });
    expect(metrics.avgDaysLate).toEqual({ num: 0n, den: 100n });
    expect(metrics.overdueRatio).toEqual({ num: 0n, den: 100n });
  });
});

import { describe, expect, it } from "vitest";
import { addDays } from "~/kernel/dates";
import type { AdjustmentType, LedgerSnapshot } from "~/kernel/ledger/types";
import {
  AGING_BUCKETS,
  agingBucket,
  ceiOf,
  collectionRateOf,
  computeKpis,
  countbackDso,
  emptyAging,
  emptyAgingByIssue,
  issueAgeBucket,
  KPI_KEYS,
  kpiJson,
  resolveKpiPeriod,
  type AgingBucket,
  type IssueAgeBucket,
  type KpiOptions,
  type KpiValues,
} from "~/features/kpi/kpis";
import { adjustment, customer, invoice, ledger, payment } from "../../support/ledger-builders";
import { defined } from "../../../support/defined";

function kpisAt(
  snapshot: LedgerSnapshot,
  asOf: string,
  options: Partial<KpiOptions> = {}
): KpiValues {
  return computeKpis(snapshot, { asOf, fiscalStartMonth: 1, ...options });
}

const D = "2024-06-30";

describe("overdue means past the due date", () => {
  it("counts an invoice due today as current, due yesterday as overdue", () => {
    const values = kpisAt(
      ledger({
        invoices: [
          invoice("DUE-TODAY", "2024-06-01", D, 10_000),
          invoice("DUE-YESTERDAY", "2024-06-01", "2024-06-29", 5_000),
        ],
      }),
      D
    );
    expect(values).toMatchObject({
      ar_total: 15_000,
      current: 10_000,
      overdue_total: 5_000,
      overdue_ratio: 5_000 / 15_000,
    });
    expect(values.aging).toEqual({ ...emptyAging(), current: 10_000, "1_30": 5_000 });
  });
});

describe("aging by days past due", () => {
  const edges: [number, AgingBucket][] = [
    [-30, "current"],
    [-1, "current"],
    [0, "current"],
    [1, "1_30"],
    [30, "1_30"],
    [31, "31_60"],
    [60, "31_60"],
    [61, "61_90"],
    [90, "61_90"],
    [91, "91_180"],
    [180, "91_180"],
    [181, "181_365"],
    [365, "181_365"],
    [366, "over_365"],
    [1000, "over_365"],
  ];

  it.each(edges)("dpd %i is %s", (dpd, bucket) => {
    expect(agingBucket(dpd)).toBe(bucket);
    const dueDate = addDays(D, -dpd);
    const issueDate = dpd >= 0 ? addDays(dueDate, -30) : D;
    const values = kpisAt(ledger({ invoices: [invoice("I1", issueDate, dueDate, 12_345)] }), D);
    expect(values.aging).toEqual({ ...emptyAging(), [bucket]: 12_345 });
    expect(values.overdue_total).toBe(dpd > 0 ? 12_345 : 0);
    expect(values.current).toBe(dpd > 0 ? 0 : 12_345);
  });

  it("has exactly the contract's bucket keys", () => {
    expect(AGING_BUCKETS).toEqual([
      "current",
      "1_30",
      "31_60",
      "61_90",
      "91_180",
      "181_365",
      "over_365",
    ]);
    expect(Object.keys(emptyAgingByIssue())).toEqual(["0_365", "366_730", "731_1095", "over_1095"]);
  });
});

describe("aging by issue date", () => {
  const edges: [number, IssueAgeBucket][] = [
    [0, "0_365"],
    [365, "0_365"],
    [366, "366_730"],
    [730, "366_730"],
    [731, "731_1095"],
    [1095, "731_1095"],
    [1096, "over_1095"],
    [2000, "over_1095"],
  ];

  it.each(edges)("issued %i days before D is %s", (age, bucket) => {
    expect(issueAgeBucket(age)).toBe(bucket);
    const values = kpisAt(ledger({ invoices: [invoice("I1", addDays(D, -age), D, 777)] }), D);
    expect(values.aging_by_issue).toEqual({ ...emptyAgingByIssue(), [bucket]: 777 });
  });
});

describe("DSO, BPDSO and ADD", () => {
  it("uses the 90 days ending on D: D - 89 counts, D - 90 and later than D do not", () => {
    const values = kpisAt(
      ledger({
        invoices: [
          invoice("D-90", addDays(D, -90), addDays(D, -60), 1_000),
          invoice("D-89", addDays(D, -89), addDays(D, -59), 2_000),
          invoice("D", D, addDays(D, 30), 4_000),
          invoice("D+1", addDays(D, 1), addDays(D, 31), 8_000),
        ],
      }),
      D
    );
    expect(values.credit_sales_90d).toBe(6_000);
    expect(values.ar_total).toBe(7_000);
    expect(values.dso).toBe((7_000 / 6_000) * 90);
    expect(values.bpdso).toBe((4_000 / 6_000) * 90);
    expect(values.add).toBe(values.dso! - values.bpdso!);
  });

  it("is null without sales in the window, even with receivables", () => {
    const values = kpisAt(
      ledger({ invoices: [invoice("OLD", "2024-04-01", "2024-05-01", 50_000)] }),
      D
    );
    expect(values).toMatchObject({
      ar_total: 50_000,
      credit_sales_90d: 0,
      dso: null,
      bpdso: null,
      add: null,
    });
    // The countback still answers: June (30) and May (31) had no sales, April's sales cover the rest.
    expect(values.dso_countback).toBe(91);
  });
});

describe("an empty ledger", () => {
  it("gives zeros, and null for every ratio with a zero denominator", () => {
    const expected: KpiValues = {
      ar_total: 0,
      unapplied_credit: 0,
      current: 0,
      overdue_total: 0,
      overdue_ratio: null,
      aging: emptyAging(),
      aging_by_issue: emptyAgingByIssue(),
      credit_sales_90d: 0,
      dso: null,
      dso_countback: 0,
      bpdso: null,
      add: null,
      billed: 0,
      collected: 0,
      collection_rate: null,
      cei: null,
      written_off: 0,
      bad_debt_ratio: null,
      overdue_at_baseline: 0,
      overdue_reduction: null,
      customers_overdue: 0,
      customers_over_limit: 0,
    };
    expect(kpisAt(ledger(), D)).toEqual(expected);
    expect(kpisAt(ledger({ customers: [] }), D)).toEqual(expected);
  });
});

describe("countback DSO", () => {
  it("counts D's month from its 1st to D, then whole earlier months, then a share of the last", () => {
    // 2024-03-10: March counts 10 days, February 29 (leap year), January 31.
    const snapshot = ledger({
      invoices: [
        invoice("MAR", "2024-03-05", "2024-04-04", 1_000),
        invoice("FEB", "2024-02-10", "2024-03-11", 2_900),
        invoice("JAN", "2024-01-20", "2024-02-19", 3_100),
      ],
      payments: [payment("2024-02-01", 1_550, "JAN")],
    });
    // AR 5,450 = 1,000 (Mar) + 2,900 (Feb) + 1,550 of January's 3,100: 10 + 29 + 31 * 1,550 / 3,100.
    expect(kpisAt(snapshot, "2024-03-10").dso_countback).toBe(54.5);
  });

  it("counts months without sales in full while receivables remain", () => {
    const snapshot = ledger({ invoices: [invoice("JAN", "2024-01-20", "2024-02-19", 5_000)] });
    // April 1-15, March and February have no sales; January's sales are exactly the AR.
    expect(kpisAt(snapshot, "2024-04-15").dso_countback).toBe(15 + 31 + 29 + 31);
  });

  it("stops as soon as the receivables are used up, even before months without sales", () => {
    expect(
      countbackDso(100, [
        { days: 10, sales: 100 },
        { days: 29, sales: 0 },
        { days: 31, sales: 50 },
      ])
    ).toBe(10);
  });

  it("is 0 without receivables", () => {
    expect(countbackDso(0, [{ days: 30, sales: 0 }])).toBe(0);
    expect(countbackDso(0, [{ days: 30, sales: 100 }])).toBe(0);
    expect(countbackDso(0, [])).toBe(0);
  });

  it("stops after 36 months, D's own month included", () => {
    const snapshot = ledger({ invoices: [invoice("ANCIENT", "2019-01-15", "2019-02-14", 10_000)] });
    // 2021-04-01 .. 2024-03-10 is 1,075 days: March 2024 (partial) plus 35 whole months.
    expect(kpisAt(snapshot, "2024-03-10").dso_countback).toBe(1_075);
    expect(
      countbackDso(
        1,
        Array.from({ length: 40 }, () => ({ days: 30, sales: 0 }))
      )
    ).toBe(36 * 30);
  });

  it("counts all the walked months when sales never cover the receivables", () => {
    expect(
      countbackDso(1_000, [
        { days: 10, sales: 100 },
        { days: 31, sales: 200 },
      ])
    ).toBe(41);
  });
});

describe("billed, collected, collection rate and CEI", () => {
  // Q1 2024, period start defaults to 2024-01-01.
  const asOf = "2024-03-31";
  const periodInvoices = [
    invoice("I1", "2024-01-10", "2024-02-09", 10_000),
    invoice("I2", "2024-03-15", "2024-04-14", 5_000),
  ];
  const periodPayment = payment("2024-01-31", 6_000, "I1");

  it("without an opening balance", () => {
    const values = kpisAt(ledger({ invoices: periodInvoices, payments: [periodPayment] }), asOf);
    expect(values).toMatchObject({
      billed: 15_000,
      collected: 6_000,
      ar_total: 9_000,
      current: 5_000,
    });
    expect(values.collection_rate).toBe(6_000 / 15_000);
    // (0 + 15,000 - 9,000) / (0 + 15,000 - 5,000) * 100
    expect(values.cei).toBe(60);
  });

  it("with an opening balance taken at the end of the day before the period", () => {
    const snapshot = ledger({
      invoices: [invoice("I0", "2023-11-01", "2023-12-01", 8_000), ...periodInvoices],
      payments: [
        payment("2023-12-15", 2_000, "I0"),
        payment("2024-02-10", 3_000, "I0"),
        periodPayment,
      ],
    });
    const values = kpisAt(snapshot, asOf);
    expect(values).toMatchObject({
      billed: 15_000,
      collected: 9_000,
      ar_total: 12_000,
      current: 5_000,
    });
    expect(values.collection_rate).toBe(9_000 / (6_000 + 15_000));
    expect(values.cei).toBe((9_000 / 16_000) * 100);

    // Period from 2024-02-01: opening AR at 01-31 is I0 6,000 + I1 4,000.
    const fromFebruary = kpisAt(snapshot, asOf, { periodStart: "2024-02-01" });
    expect(fromFebruary).toMatchObject({ billed: 5_000, collected: 3_000 });
    expect(fromFebruary.collection_rate).toBe(3_000 / 15_000);
    expect(fromFebruary.cei).toBe((3_000 / 10_000) * 100);
  });

  it("is null when there was nothing to collect", () => {
    const nothingDue = kpisAt(
      ledger({ invoices: [invoice("I2", "2024-03-15", "2024-04-14", 5_000)] }),
      asOf
    );
    // Everything billed is still current: CEI's denominator is 0, but the collection rate is 0 of 5,000.
    expect(nothingDue.cei).toBeNull();
    expect(nothingDue.collection_rate).toBe(0);
    expect(collectionRateOf({ openingArTotal: 0, billed: 0, collected: 0 })).toBeNull();
    expect(ceiOf({ openingArTotal: 0, billed: 0, arTotal: 0, current: 0 })).toBeNull();
  });

  it.each([
    ["payment", 2_500],
    ["offset", 2_500],
    ["credit_note", 0],
    ["write_off", 0],
  ] as const)(
    "a %s counts %i as collected, and every type reduces the receivable",
    (kind, expectedCollected) => {
      const settlement =
        kind === "payment"
          ? { payments: [payment("2024-02-01", 2_500, "I1")] }
          : { adjustments: [adjustment(kind as AdjustmentType, "2024-02-01", 2_500, "I1")] };
      const values = kpisAt(ledger({ invoices: [defined(periodInvoices[0], "the period's invoice")], ...settlement }), asOf);
      expect(values.collected).toBe(expectedCollected);
      expect(values.ar_total).toBe(7_500);
    }
  );

  it("counts only documents dated inside the period", () => {
    const values = kpisAt(
      ledger({
        invoices: [
          invoice("I0", "2023-12-31", "2024-01-30", 1_000),
          ...periodInvoices,
          invoice("I9", "2024-04-01", "2024-05-01", 9_000),
        ],
        payments: [
          payment("2023-12-31", 100),
          payment("2024-01-01", 200),
          payment(asOf, 400),
          payment("2024-04-01", 800),
        ],
      }),
      asOf
    );
    expect(values.billed).toBe(15_000);
    expect(values.collected).toBe(600);
  });
});

describe("written off and bad-debt ratio", () => {
  it("counts write-offs dated in the period against what was billed in it", () => {
    const values = kpisAt(
      ledger({
        invoices: [
          invoice("I0", "2023-10-01", "2023-10-31", 2_000),
          invoice("I1", "2024-01-10", "2024-02-09", 10_000),
        ],
        adjustments: [
          adjustment("write_off", "2023-12-20", 2_000, "I0"),
          adjustment("write_off", "2024-03-01", 1_500, "I1"),
          adjustment("credit_note", "2024-03-02", 500, "I1"),
        ],
      }),
      "2024-03-31"
    );
    expect(values).toMatchObject({
      billed: 10_000,
      written_off: 1_500,
      bad_debt_ratio: 0.15,
      ar_total: 8_000,
      collected: 0,
    });
  });

  it("has no ratio when nothing was billed", () => {
    const values = kpisAt(
      ledger({
        invoices: [invoice("I0", "2023-10-01", "2023-10-31", 2_000)],
        adjustments: [adjustment("write_off", "2024-03-01", 2_000)],
      }),
      "2024-03-31"
    );
    expect(values).toMatchObject({
      billed: 0,
      written_off: 2_000,
      bad_debt_ratio: null,
      ar_total: 0,
    });
  });
});

describe("overdue at baseline and overdue reduction", () => {
  const snapshot = ledger({
    invoices: [
      invoice("I0", "2023-10-01", "2023-10-31", 8_000),
      invoice("I1", "2024-03-01", "2024-03-31", 5_000),
    ],
    payments: [payment("2024-02-15", 6_000, "I0")],
  });

  it("defaults the baseline to the last day of the previous fiscal year", () => {
    const values = kpisAt(snapshot, "2024-03-31");
    expect(values).toMatchObject({ overdue_at_baseline: 8_000, overdue_total: 2_000 });
    expect(values.overdue_reduction).toBe(0.75);
  });

  it("uses a given baseline, and is null when nothing was overdue then", () => {
    // On 2023-10-31 I0 is due that day, so not overdue yet.
    expect(kpisAt(snapshot, "2024-03-31", { baseline: "2023-10-31" })).toMatchObject({
      overdue_at_baseline: 0,
      overdue_reduction: null,
    });
    expect(kpisAt(snapshot, "2024-03-31", { baseline: "2023-11-01" })).toMatchObject({
      overdue_at_baseline: 8_000,
      overdue_reduction: 0.75,
    });
  });

  it("is negative when overdue has grown", () => {
    const grown = ledger({
      invoices: [
        invoice("I0", "2023-10-01", "2023-10-31", 2_000),
        invoice("I1", "2024-01-01", "2024-01-31", 1_000),
      ],
    });
    expect(kpisAt(grown, "2024-03-31").overdue_reduction).toBe(-0.5);
  });

  it("follows the fiscal year: with an April start, the baseline of 2024-06-30 is 2024-03-31", () => {
    const values = kpisAt(snapshot, "2024-06-30", { fiscalStartMonth: 4 });
    // At 2024-03-31 I0 has 2,000 overdue and I1 is due that day.
    expect(values).toMatchObject({ overdue_at_baseline: 2_000, overdue_total: 7_000 });
    expect(values.overdue_reduction).toBe(-2.5);
  });
});

describe("customer counts", () => {
  it("counts customers with an overdue amount above zero", () => {
    const values = kpisAt(
      ledger({
        customers: ["C1", "C2", "C3", "C4"].map((code) => customer(code)),
        invoices: [
          invoice("OVERDUE", "2024-05-01", "2024-05-31", 1_000, "C1"),
          invoice("CURRENT", "2024-06-15", "2024-07-15", 1_000, "C2"),
          invoice("PAID", "2024-05-01", "2024-05-31", 1_000, "C3"),
          invoice("PREPAID", "2024-05-01", "2024-05-31", 1_000, "C4"),
        ],
        payments: [
          payment("2024-06-01", 1_000, "PAID", "C3"),
          payment("2024-04-01", 1_500, null, "C4"),
        ],
      }),
      D
    );
    expect(values).toMatchObject({
      customers_overdue: 1,
      overdue_total: 1_000,
      unapplied_credit: 500,
    });
  });

  it("counts customers over a credit limit above zero only", () => {
    const snapshot = ledger({
      customers: [
        customer("NO-LIMIT"),
        customer("ZERO", 0),
        customer("AT-LIMIT", 5_000),
        customer("OVER", 4_999),
        customer("CREDIT", 100),
      ],
      invoices: ["NO-LIMIT", "ZERO", "AT-LIMIT", "OVER", "CREDIT"].map((code) =>
        invoice(`I-${code}`, "2024-06-01", "2024-07-01", 5_000, code)
      ),
      payments: [payment("2024-06-10", 6_000, null, "CREDIT")],
    });
    expect(kpisAt(snapshot, D)).toMatchObject({
      customers_over_limit: 1,
      ar_total: 20_000,
      unapplied_credit: 1_000,
    });
  });
});

describe("unapplied credit", () => {
  it("is reported separately and not deducted from the receivables total", () => {
    const values = kpisAt(
      ledger({
        customers: [customer("C1"), customer("C2")],
        invoices: [invoice("I1", "2024-06-01", "2024-07-01", 3_000, "C1")],
        payments: [payment("2024-06-01", 4_000, null, "C2")],
      }),
      D
    );
    expect(values).toMatchObject({ ar_total: 3_000, unapplied_credit: 4_000, collected: 4_000 });
  });
});

describe("the KPI period", () => {
  it("defaults to D's fiscal quarter and the previous fiscal year's last day", () => {
    expect(resolveKpiPeriod({ asOf: "2024-05-15", fiscalStartMonth: 1 })).toEqual({
      asOf: "2024-05-15",
      periodStart: "2024-04-01",
      periodEnd: "2024-05-15",
      openingDate: "2024-03-31",
      baselineDate: "2023-12-31",
      salesWindowStart: "2024-02-16",
    });
    expect(resolveKpiPeriod({ asOf: "2024-05-15", fiscalStartMonth: 4 })).toMatchObject({
      periodStart: "2024-04-01",
      baselineDate: "2024-03-31",
    });
    expect(resolveKpiPeriod({ asOf: "2024-05-15", fiscalStartMonth: 10 })).toMatchObject({
      periodStart: "2024-04-01",
      baselineDate: "2023-09-30",
    });
  });

  it("accepts a period start equal to D and rejects one after it", () => {
    expect(resolveKpiPeriod({ asOf: D, periodStart: D, fiscalStartMonth: 1 }).openingDate).toBe(
      "2024-06-29"
    );
    expect(() =>
      resolveKpiPeriod({ asOf: D, periodStart: "2024-07-01", fiscalStartMonth: 1 })
    ).toThrow(RangeError);
  });

  it("rejects dates that are not real and a bad fiscal start month", () => {
    expect(() => computeKpis(ledger(), { asOf: "2024-02-30", fiscalStartMonth: 1 })).toThrow(
      RangeError
    );
    expect(() =>
      computeKpis(ledger(), { asOf: D, baseline: "2023-13-01", fiscalStartMonth: 1 })
    ).toThrow(RangeError);
    expect(() => computeKpis(ledger(), { asOf: D, fiscalStartMonth: 13 })).toThrow(RangeError);
  });
});

describe("kpiJson", () => {
  const snapshot = ledger({
    customers: [customer("C1", 100_000)],
    invoices: [
      invoice("I1", "2024-04-10", "2024-05-10", 1_234_567),
      invoice("I2", "2024-06-20", "2024-07-20", 1_001),
    ],
    payments: [payment("2024-05-01", 100_000, "I1")],
  });

  it("gives amounts in major units, ratios and days untouched, nulls kept, and the period", () => {
    const period = resolveKpiPeriod({ asOf: D, fiscalStartMonth: 1 });
    const values = computeKpis(snapshot, { asOf: D, fiscalStartMonth: 1 });
    const json = kpiJson(values, { ...period, scope: "company", currency: "CNY" });

    expect(json).toMatchObject({
      as_of: D,
      scope: "company",
      currency: "CNY",
      period: { start: "2024-04-01", end: D },
      baseline_date: "2023-12-31",
      ar_total: 11_355.68,
      current: 10.01,
      overdue_total: 11_345.67,
      unapplied_credit: 0,
      credit_sales_90d: 12_355.68,
      billed: 12_355.68,
      collected: 1_000,
      written_off: 0,
      overdue_at_baseline: 0,
      overdue_ratio: values.overdue_ratio,
      dso: values.dso,
      dso_countback: values.dso_countback,
      cei: values.cei,
      overdue_reduction: null,
      customers_overdue: 1,
      customers_over_limit: 1,
    });
    expect(json.aging).toEqual({ ...emptyAging(), current: 10.01, "31_60": 11_345.67 });
    expect(json.aging_by_issue).toEqual({ ...emptyAgingByIssue(), "0_365": 11_355.68 });
    for (const key of KPI_KEYS) expect(json).toHaveProperty(key);
    // It survives the wire unchanged.
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(JSON.stringify(json)).toContain('"ar_total":11355.68');
  });

  it("does not change the values it was given", () => {
    const values = computeKpis(snapshot, { asOf: D, fiscalStartMonth: 1 });
    const before = structuredClone(values);
    kpiJson(values, {
      asOf: D,
      periodStart: "2024-04-01",
      baselineDate: "2023-12-31",
      scope: "customer:C1",
      currency: "CNY",
    });
    expect(values).toEqual(before);
  });
});

/*
 * Published worked examples, adapted to our conventions (90-day DSO window, calendar months,
 * whole-period billing in CEI). Amounts in the sources are whole currency units; ledgers here
 * use minor units (x 100), which leaves every ratio unchanged.
 */
describe("published worked examples", () => {
  it("DSO / BPDSO / ADD: creditguru.com 'Average Days Delinquent' example (45 / 12 / 33 days)", () => {
    // Source: total AR 15,000, current AR 4,000, credit sales 10,000 in a 30-day period
    // -> DSO 45, BPDSO 12, ADD 33. Our window is 90 days, so the sales are tripled to 30,000
    // within D - 89..D; the days come out the same.
    const values = kpisAt(
      ledger({
        invoices: [
          invoice("OLD", "2024-01-15", "2024-02-14", 500_000), // outside the window, overdue
          invoice("A", "2024-04-10", "2024-05-10", 2_000_000), // overdue
          invoice("B", "2024-06-15", "2024-07-15", 1_000_000), // current
        ],
        payments: [payment("2024-05-20", 1_400_000, "A"), payment("2024-06-25", 600_000, "B")],
      }),
      D
    );
    expect(values).toMatchObject({
      ar_total: 1_500_000,
      current: 400_000,
      credit_sales_90d: 3_000_000,
    });
    expect(values.dso).toBeCloseTo(45, 10);
    expect(values.bpdso).toBeCloseTo(12, 10);
    expect(values.add).toBeCloseTo(33, 10);
  });

  it("DSO: Oracle JD Edwards 'Current Balance Divided by Sales' example, (10869 x 90) / (5538 + 4566 + 7570) = 55.35", () => {
    // The source already uses a 90-day window; the three sales are placed inside D - 89..D.
    const values = kpisAt(
      ledger({
        invoices: [
          invoice("APR", "2024-04-15", "2024-05-15", 553_800),
          invoice("MAY", "2024-05-15", "2024-06-14", 456_600),
          invoice("JUN", "2024-06-15", "2024-07-15", 757_000),
        ],
        payments: [payment("2024-05-10", 553_800, "APR"), payment("2024-06-10", 126_700, "MAY")],
      }),
      D
    );
    expect(values).toMatchObject({ ar_total: 1_086_900, credit_sales_90d: 1_767_400 });
    expect(values.dso).toBeCloseTo(55.35, 2);
  });

  it("countback DSO: BenjiPays 'Count-Back Method' example, AR 212,000 over sales 100k / 80k / 70k", () => {
    // Source (30-day months): 30 + 30 + 30 x 32,000 / 70,000 = 73.7 days.
    expect(
      countbackDso(21_200_000, [
        { days: 30, sales: 10_000_000 },
        { days: 30, sales: 8_000_000 },
        { days: 30, sales: 7_000_000 },
      ])
    ).toBeCloseTo(73.714, 3);
    // With calendar months ending 2024-06-30: June 30 + May 31 + April 30 x 32/70 = 74.714 days.
    const values = kpisAt(
      ledger({
        invoices: [
          invoice("MAR", "2024-03-10", "2024-04-09", 5_000_000),
          invoice("APR", "2024-04-10", "2024-05-10", 7_000_000),
          invoice("MAY", "2024-05-10", "2024-06-09", 8_000_000),
          invoice("JUN", "2024-06-10", "2024-07-10", 10_000_000),
        ],
        payments: [
          payment("2024-04-05", 5_000_000, "MAR"),
          payment("2024-05-05", 3_800_000, "APR"),
        ],
      }),
      D
    );
    expect(values.ar_total).toBe(21_200_000);
    expect(values.dso_countback).toBeCloseTo(30 + 31 + (30 * 32) / 70, 10);
  });

  it("CEI: Gaviti glossary example, 100,000 opening + 1,000,000 sales, ending 120,000 total / 100,000 current = 98%", () => {
    expect(
      ceiOf({ openingArTotal: 100_000, billed: 1_000_000, arTotal: 120_000, current: 100_000 })
    ).toBeCloseTo(98, 10);
    // The same year as a ledger, with the period set to the calendar year.
    const values = kpisAt(
      ledger({
        invoices: [
          invoice("OPENING", "2023-12-01", "2023-12-31", 10_000_000),
          invoice("X", "2024-03-01", "2024-03-31", 88_000_000),
          invoice("Y", "2024-06-01", "2024-07-01", 2_000_000),
          invoice("Z", "2024-12-15", "2025-01-14", 10_000_000),
        ],
        payments: [
          payment("2024-01-20", 10_000_000, "OPENING"),
          payment("2024-03-25", 88_000_000, "X"),
        ],
      }),
      "2024-12-31",
      { periodStart: "2024-01-01" }
    );
    expect(values).toMatchObject({
      billed: 100_000_000,
      ar_total: 12_000_000,
      current: 10_000_000,
      collected: 98_000_000,
    });
    expect(values.cei).toBeCloseTo(98, 10);
    expect(values.collection_rate).toBe(98_000_000 / 110_000_000);
  });

  it("CEI: creditguru.com Jan-Mar example, 55.9% with average monthly sales, 79.6% with our whole-period billing", () => {
    // Source: beginning AR 6,200, sales 10,890 over 3 months, ending AR 6,340, ending current 3,590;
    // it divides the sales by the number of months (3,630) and gets 55.9%.
    expect(
      ceiOf({ openingArTotal: 6_200, billed: 3_630, arTotal: 6_340, current: 3_590 })
    ).toBeCloseTo(55.93, 2);
    // KPIS.md uses everything billed in the period, as the source's one-year formula does.
    expect(
      ceiOf({ openingArTotal: 6_200, billed: 10_890, arTotal: 6_340, current: 3_590 })
    ).toBeCloseTo(79.63, 2);
  });
});

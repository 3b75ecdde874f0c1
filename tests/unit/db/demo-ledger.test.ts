import { describe, expect, it } from "vitest";

import { nth } from "../../support/rows";
import { addDays, isValidIsoDate } from "~/kernel/dates";
import { AGING_BUCKETS, computeKpis, type KpiValues } from "~/features/kpi/kpis";
import type { LedgerSnapshot } from "~/kernel/ledger/types";
import { openItemsAsOf } from "~/kernel/ledger/open-items";
import {
  DEFAULT_DEMO_CUSTOMER_COUNT,
  DEMO_REGIONS,
  demoLedgerStart,
  generateDemoLedger,
  type DemoLedgerOptions,
} from "../../../db/seed/demo-ledger";

const OWNERS = ["li.wei", "zhang.na", "chen.jie", "liu.yang", "zhou.min"].map(
  (name) => `${name}@demo.quarterdeck`
);
const TODAY = "2026-11-23";
/** The drive year is the last complete one; the year before it is when overdue peaks. */
const PEAK = "2024-12-31";
const YEAR_END = "2025-12-31";
const OPTIONS: DemoLedgerOptions = { today: TODAY, owners: OWNERS };

const demo = generateDemoLedger(OPTIONS);

function kpisAt(ledger: LedgerSnapshot, asOf: string): KpiValues {
  return computeKpis(ledger, { asOf, fiscalStartMonth: 1 });
}

function isSorted<T>(rows: readonly T[], key: (row: T) => string): boolean {
  return rows.every((row, i) => { const previous = rows[i - 1]; return previous === undefined || key(previous) <= key(row); });
}

/**
 * Everything an import of the demo would check (KPIS.md section 2), plus the generator's own
 * promises. Collects every problem (rather than one expect per row) so a failure lists them all.
 */
function ledgerProblems(ledger: LedgerSnapshot, options: DemoLedgerOptions): string[] {
  const { today, owners } = options;
  const problems: string[] = [];
  const check = (ok: boolean, message: string) => {
    if (!ok && problems.length < 20) problems.push(message);
  };
  // 1 July four years before today's year: three complete years with an opening position.
  const windowStart = `${Number(today.slice(0, 4)) - 4}-07-01`;
  check(demoLedgerStart(today) === windowStart, `starts ${demoLedgerStart(today)}`);
  const inWindow = (date: string) => isValidIsoDate(date) && date >= windowStart && date <= today;
  const isAmount = (amount: number) => Number.isSafeInteger(amount) && amount > 0;

  const customers = new Map(ledger.customers.map((customer) => [customer.code, customer]));
  check(customers.size === ledger.customers.length, "customer codes are not unique");
  check(
    ledger.customers.length === (options.customerCount ?? DEFAULT_DEMO_CUSTOMER_COUNT),
    `${ledger.customers.length} customers`
  );
  check(
    new Set(ledger.customers.map((customer) => customer.name)).size === customers.size,
    "customer names are not unique"
  );
  for (const customer of ledger.customers) {
    const { code } = customer;
    check(/^C\d{4}$/.test(code), `${code}: code`);
    check(
      (DEMO_REGIONS as readonly (string | null)[]).includes(customer.region),
      `${code}: region`
    );
    check(
      owners.length > 0 ? owners.includes(customer.ownerEmail ?? "") : customer.ownerEmail === null,
      `${code}: owner ${customer.ownerEmail}`
    );
    check([null, "A", "B", "C", "D"].includes(customer.creditGrade), `${code}: grade`);
    check(customer.creditLimit === null || isAmount(customer.creditLimit), `${code}: limit`);
    check([30, 60, 90].includes(customer.paymentTermsDays), `${code}: terms`);
  }

  const invoices = new Map(ledger.invoices.map((invoice) => [invoice.invoiceNo, invoice]));
  check(invoices.size === ledger.invoices.length, "invoice numbers are not unique");
  for (const invoice of ledger.invoices) {
    const { invoiceNo } = invoice;
    const customer = customers.get(invoice.customerCode);
    check(/^INV-\d{4}-\d{6}$/.test(invoiceNo), `${invoiceNo}: number`);
    check(invoiceNo.slice(4, 8) === invoice.issueDate.slice(0, 4), `${invoiceNo}: year`);
    check(customer !== undefined, `${invoiceNo}: unknown customer`);
    check(inWindow(invoice.issueDate), `${invoiceNo}: issued ${invoice.issueDate}`);
    check(invoice.issueDate <= invoice.dueDate, `${invoiceNo}: due before issue`);
    check(
      customer === undefined ||
        invoice.dueDate === addDays(invoice.issueDate, customer.paymentTermsDays),
      `${invoiceNo}: due date is not issue date + terms`
    );
    check(isAmount(invoice.amount), `${invoiceNo}: amount ${invoice.amount}`);
  }

  const settlements = [
    ...ledger.payments.map((payment) => ({ key: payment.paymentNo, prefix: "PAY", ...payment })),
    ...ledger.adjustments.map((adjustment) => ({
      key: adjustment.adjustmentNo,
      prefix: "ADJ",
      ...adjustment,
    })),
  ];
  check(
    new Set(settlements.map((settlement) => settlement.key)).size === settlements.length,
    "payment or adjustment numbers are not unique"
  );
  for (const settlement of settlements) {
    const { key } = settlement;
    check(new RegExp(`^${settlement.prefix}-\\d{4}-\\d{6}$`).test(key), `${key}: number`);
    check(key.slice(4, 8) === settlement.date.slice(0, 4), `${key}: year`);
    check(customers.has(settlement.customerCode), `${key}: unknown customer`);
    check(inWindow(settlement.date), `${key}: dated ${settlement.date}`);
    check(isAmount(settlement.amount), `${key}: amount ${settlement.amount}`);
    if (settlement.invoiceNo !== null) {
      const invoice = invoices.get(settlement.invoiceNo);
      check(
        invoice?.customerCode === settlement.customerCode,
        `${key}: names another customer's invoice`
      );
      check(
        invoice === undefined || settlement.date >= invoice.issueDate,
        `${key}: dated before its invoice`
      );
    }
  }
  for (const adjustment of ledger.adjustments) {
    check(
      ["credit_note", "write_off", "offset"].includes(adjustment.type),
      `${adjustment.adjustmentNo}: type`
    );
  }

  check(
    isSorted(ledger.customers, (customer) => customer.code),
    "customers not sorted"
  );
  check(
    isSorted(ledger.invoices, (invoice) => `${invoice.issueDate} ${invoice.invoiceNo}`),
    "invoices not sorted"
  );
  check(
    isSorted(ledger.payments, (payment) => `${payment.date} ${payment.paymentNo}`),
    "payments not sorted"
  );
  check(
    isSorted(ledger.adjustments, (adjustment) => `${adjustment.date} ${adjustment.adjustmentNo}`),
    "adjustments not sorted"
  );
  return problems;
}

describe("determinism", () => {
  it("gives byte-identical output for the same options", () => {
    const again = generateDemoLedger({ ...OPTIONS, owners: [...OWNERS] });
    expect(again).toEqual(demo);
    expect(JSON.stringify(again)).toBe(JSON.stringify(demo));
  });

  it("gives a different ledger for a different seed", () => {
    const other = generateDemoLedger({ ...OPTIONS, seed: 7 });
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(demo));
    expect(other.customers.map((customer) => customer.name)).not.toEqual(
      demo.customers.map((customer) => customer.name)
    );
  });

  it("rejects options it cannot honour", () => {
    expect(() => generateDemoLedger({ ...OPTIONS, today: "2026-02-30" })).toThrow(RangeError);
    expect(() => generateDemoLedger({ ...OPTIONS, customerCount: 0 })).toThrow(RangeError);
    expect(() => generateDemoLedger({ ...OPTIONS, seed: 1.5 })).toThrow(RangeError);
  });
});

describe("invariants", () => {
  it("holds for the default demo", () => {
    expect(ledgerProblems(demo, OPTIONS)).toEqual([]);
  });

  it("are really checked: a broken ledger is caught", () => {
    const first = nth(demo.invoices, 0, "invoice");
    const broken: LedgerSnapshot = {
      ...demo,
      invoices: [{ ...first, issueDate: addDays(TODAY, 1), amount: 0 }, ...demo.invoices.slice(1)],
      payments: [...demo.payments, { ...nth(demo.payments, 0, "payment") }],
    };
    expect(ledgerProblems(broken, OPTIONS)).toEqual(
      expect.arrayContaining([
        `${first.invoiceNo}: issued ${addDays(TODAY, 1)}`,
        `${first.invoiceNo}: amount 0`,
        "payment or adjustment numbers are not unique",
      ])
    );
  });

  it.each<DemoLedgerOptions>([
    { today: "2025-03-10", owners: OWNERS.slice(0, 1), customerCount: 24, seed: 7 },
    { today: "2024-02-29", owners: [], customerCount: 5, seed: 1 },
    {
      today: "2027-01-01",
      owners: [...OWNERS, ...OWNERS.map((owner) => `north.${owner}`)],
      customerCount: 60,
      seed: 42,
    },
    { today: "2026-06-15", owners: OWNERS, customerCount: 1, seed: 3 },
  ])("holds for today=$today, $customerCount customers, seed $seed", (options) => {
    expect(ledgerProblems(generateDemoLedger(options), options)).toEqual([]);
  });
});

describe("the shape of the demo", () => {
  it("stays small enough to seed in seconds", () => {
    expect(demo.invoices.length).toBeGreaterThan(20_000);
    expect(demo.invoices.length).toBeLessThan(60_000);
  });

  it("bills a few thousand yuan to a few million, most in December", () => {
    const amounts = demo.invoices.map((invoice) => invoice.amount);
    expect(Math.min(...amounts)).toBeGreaterThanOrEqual(3_000_00);
    expect(Math.max(...amounts)).toBeGreaterThan(1_000_000_00);
    expect(Math.max(...amounts)).toBeLessThanOrEqual(3_000_000_00);

    const salesByMonth = new Map<string, number>();
    for (const invoice of demo.invoices) {
      const month = invoice.issueDate.slice(0, 7);
      salesByMonth.set(month, (salesByMonth.get(month) ?? 0) + invoice.amount);
    }
    const previousYear = [...salesByMonth].filter(([month]) => month.startsWith("2025-"));
    expect(previousYear).toHaveLength(12);
    const peak = previousYear.reduce((best, entry) => (entry[1] > best[1] ? entry : best));
    expect(peak[0]).toBe("2025-12");
  });

  it("spreads customers over the regions, each owner mostly in one or two of them", () => {
    const regions = new Set(demo.customers.map((customer) => customer.region));
    expect(regions).toEqual(new Set(DEMO_REGIONS));
    for (const owner of OWNERS) {
      const own = demo.customers.filter((customer) => customer.ownerEmail === owner);
      expect(own.length).toBeGreaterThan(0);
      const perRegion = new Map<string | null, number>();
      for (const customer of own)
        perRegion.set(customer.region, (perRegion.get(customer.region) ?? 0) + 1);
      const topTwo = [...perRegion.values()].sort((a, b) => b - a).slice(0, 2);
      expect((topTwo[0] ?? 0) + (topTwo[1] ?? 0)).toBeGreaterThanOrEqual(own.length * 0.8);
    }
  });

  it("names domestic customers in Chinese and export customers in English", () => {
    const overseas = demo.customers.filter((customer) => customer.region === "海外");
    expect(overseas.length).toBeGreaterThan(0);
    expect(overseas.every((customer) => /^[\x20-\x7e]+$/.test(customer.name))).toBe(true);
    const domestic = demo.customers.filter((customer) => customer.region !== "海外");
    expect(domestic.every((customer) => /公司$/.test(customer.name))).toBe(true);
  });

  it("grades most customers A to D and leaves a few ungraded", () => {
    const grades = new Set(demo.customers.map((customer) => customer.creditGrade));
    expect(grades).toEqual(new Set(["A", "B", "C", "D", null]));
    const ungraded = demo.customers.filter((customer) => customer.creditGrade === null);
    expect(ungraded.length).toBeLessThan(demo.customers.length * 0.15);
    expect(new Set(demo.customers.map((customer) => customer.paymentTermsDays))).toEqual(
      new Set([30, 60, 90])
    );
  });

  it("has referenced, unreferenced, partial and over-payments", () => {
    expect(demo.payments.some((payment) => payment.invoiceNo === null)).toBe(true);
    expect(demo.payments.some((payment) => payment.invoiceNo !== null)).toBe(true);

    const invoiceAmounts = new Map(
      demo.invoices.map((invoice) => [invoice.invoiceNo, invoice.amount])
    );
    const paymentsPerInvoice = new Map<string, number[]>();
    for (const payment of demo.payments) {
      if (payment.invoiceNo === null) continue;
      paymentsPerInvoice.set(payment.invoiceNo, [
        ...(paymentsPerInvoice.get(payment.invoiceNo) ?? []),
        payment.amount,
      ]);
    }
    const paidInParts = [...paymentsPerInvoice.values()].filter((amounts) => amounts.length > 1);
    expect(paidInParts.length).toBeGreaterThan(0);
    const overpaid = [...paymentsPerInvoice].filter(
      ([invoiceNo, amounts]) =>
        amounts.reduce((sum, amount) => sum + amount, 0) > invoiceAmounts.get(invoiceNo)!
    );
    expect(overpaid.length).toBeGreaterThan(0);
  });

  it("never settles an invoice for more than is reasonable", () => {
    const amounts = new Map(demo.invoices.map((invoice) => [invoice.invoiceNo, invoice.amount]));
    const adjusted = new Map<string, number>();
    const settled = new Map<string, number>();
    const add = (totals: Map<string, number>, invoiceNo: string, amount: number) =>
      totals.set(invoiceNo, (totals.get(invoiceNo) ?? 0) + amount);
    for (const { invoiceNo, amount } of demo.adjustments) {
      if (invoiceNo === null) continue;
      add(adjusted, invoiceNo, amount);
      add(settled, invoiceNo, amount);
    }
    for (const { invoiceNo, amount } of demo.payments)
      if (invoiceNo !== null) add(settled, invoiceNo, amount);
    // Credit notes and write-offs never exceed the invoice; a payment may round up by <= 100 yuan.
    const overAdjusted = [...adjusted].filter(
      ([invoiceNo, total]) => total > amounts.get(invoiceNo)!
    );
    const overSettled = [...settled].filter(
      ([invoiceNo, total]) => total > amounts.get(invoiceNo)! + 100_00
    );
    expect(overAdjusted).toEqual([]);
    expect(overSettled).toEqual([]);
  });
});

describe("the story the dashboard tells", () => {
  const atPeak = kpisAt(demo, PEAK);
  const atYearEnd = kpisAt(demo, YEAR_END);
  const atToday = kpisAt(demo, TODAY);

  it("opens its first complete year with balances: the ledger starts half a year before it", () => {
    expect(nth(demo.invoices, 0, "invoice").issueDate.slice(0, 7)).toBe("2022-07");
    const opening = kpisAt(demo, "2022-12-31");
    expect(opening.ar_total).toBeGreaterThan(0);
    expect(opening.overdue_total).toBeGreaterThan(0);
  });

  it("tells the seed's collection drive in the last complete year: overdue clearly lower at its end than at its start", () => {
    expect(atPeak.overdue_total).toBeGreaterThan(atYearEnd.overdue_total * 1.25);
    const driveYear = computeKpis(demo, { asOf: YEAR_END, periodStart: "2025-01-01", baseline: PEAK, fiscalStartMonth: 1 });
    expect(driveYear.overdue_at_baseline).toBe(atPeak.overdue_total);
    expect(driveYear.overdue_reduction).toBeGreaterThan(0.2);
  });

  it("builds up before the drive and keeps the drive's gains this year", () => {
    const overdue = ["2023-12-31", "2024-06-30", PEAK, "2025-06-30", YEAR_END, TODAY].map(
      (date) => kpisAt(demo, date).overdue_total
    );
    // Rising through the year before the drive: its review says overdue grew.
    expect(nth(overdue, 0)).toBeLessThan(nth(overdue, 2));
    expect(nth(overdue, 1)).toBeLessThan(nth(overdue, 2));
    // Falling through the drive year.
    expect(nth(overdue, 3)).toBeLessThan(nth(overdue, 2));
    expect(nth(overdue, 4)).toBeLessThan(nth(overdue, 3));
    // This year holds the level the drive reached (within a tenth), far below the peak.
    expect(nth(overdue, 5)).toBeLessThan(nth(overdue, 4) * 1.1);
    expect(nth(overdue, 5)).toBeLessThan(nth(overdue, 2) * 0.8);
  });

  it.each(["2027-01-02", "2026-03-31", "2026-09-30", "2026-12-31", "2028-02-29"])(
    "tells the same story when today is %s",
    (today) => {
      const ledger = generateDemoLedger({ today, owners: OWNERS });
      const year = Number(today.slice(0, 4));
      const peak = kpisAt(ledger, `${year - 2}-12-31`).overdue_total;
      const driveEnd = kpisAt(ledger, `${year - 1}-12-31`).overdue_total;
      const yearBefore = kpisAt(ledger, `${year - 3}-12-31`).overdue_total;
      expect(kpisAt(ledger, `${year - 4}-12-31`).overdue_total).toBeGreaterThan(0);
      expect(peak).toBeGreaterThan(yearBefore);
      expect(peak).toBeGreaterThan(driveEnd * 1.25);
    }
  );

  it("fills every aging bucket today", () => {
    for (const bucket of AGING_BUCKETS) expect(atToday.aging[bucket], bucket).toBeGreaterThan(0);
  });

  it("has invoices due today, due in a few days and just overdue", () => {
    const open = openItemsAsOf(demo, TODAY).customers.flatMap((customer) => customer.invoices);
    const openDue = (from: string, to: string) =>
      open.filter(
        (invoice) => invoice.openAmount > 0 && invoice.dueDate >= from && invoice.dueDate <= to
      );
    expect(openDue(TODAY, TODAY).length).toBeGreaterThan(0);
    expect(openDue(addDays(TODAY, 1), addDays(TODAY, 7)).length).toBeGreaterThan(0);
    expect(openDue(addDays(TODAY, -30), addDays(TODAY, -1)).length).toBeGreaterThan(0);
  });

  it("has customers with unapplied credit and customers over their credit limit", () => {
    const withCredit = openItemsAsOf(demo, TODAY).customers.filter(
      (customer) => customer.unappliedCredit > 0
    );
    expect(withCredit.length).toBeGreaterThan(0);
    expect(atToday.unapplied_credit).toBeGreaterThan(0);
    expect(atToday.customers_over_limit).toBeGreaterThan(0);
    // Credit is the prepayers' deposits and a few roundings, not money lost in the pool.
    expect(atToday.unapplied_credit).toBeLessThan(atToday.ar_total * 0.02);
  });

  it("has write-offs, offsets and credit notes, the drive's write-offs and offsets in the drive year", () => {
    const ofType = (type: string) =>
      demo.adjustments.filter((adjustment) => adjustment.type === type);
    for (const type of ["credit_note", "write_off", "offset"])
      expect(ofType(type).length, type).toBeGreaterThan(0);
    const inDriveYear = (adjustment: { date: string }) => adjustment.date.startsWith("2025-");
    expect(ofType("write_off").some(inDriveYear)).toBe(true);
    expect(ofType("offset").some(inDriveYear)).toBe(true);
    const driveYear = computeKpis(demo, {
      asOf: YEAR_END,
      periodStart: "2025-01-01",
      fiscalStartMonth: 1,
    });
    expect(driveYear.written_off).toBeGreaterThan(0);
  });

  it("keeps a few large debtors with invoices more than a year overdue", () => {
    expect(atToday.aging.over_365).toBeGreaterThan(1_000_000_00);
    const yearAgo = addDays(TODAY, -365);
    const longOverdue = openItemsAsOf(demo, TODAY).customers.filter((customer) =>
      customer.invoices.some((invoice) => invoice.openAmount > 0 && invoice.dueDate < yearAgo)
    );
    expect(longOverdue.length).toBeGreaterThanOrEqual(2);
  });
});

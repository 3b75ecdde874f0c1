import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { addDays, days, toEpochDay } from "~/kernel/dates";
import {
  type CustomerHistory,
  DayDiff,
  SUMMARY_METRICS,
  type SummaryRow,
  addCustomerHistory,
  kpiInputsFromSummaries,
  mergeSummaryRows,
  summaryDaysFor,
  zeroValues,
} from "~/features/kpi/summary";
import { computeKpis, kpisFromInputs, resolveKpiPeriod } from "~/features/kpi/kpis";
import type { LedgerSnapshot } from "~/kernel/ledger/types";
import { customerOpenItems } from "~/kernel/ledger/open-items";
import { type HistoryInvoice, sweepPositionHistory } from "~/kernel/ledger/position-history";
import { LEDGER_START, asOfArbitrary, ledgerArbitrary, scopedSnapshots } from "../../support/random-ledger";
import { defined } from "../../../support/defined";

function historyOf(ledger: LedgerSnapshot, code: string): CustomerHistory {
  return {
    invoices: ledger.invoices
      .filter((i) => i.customerCode === code)
      .map((i) => ({ invoiceNo: i.invoiceNo, issueDay: toEpochDay(i.issueDate), dueDay: toEpochDay(i.dueDate), amount: i.amount })),
    settlements: [
      ...ledger.payments
        .filter((p) => p.customerCode === code)
        .map((p) => ({ day: toEpochDay(p.date), amount: p.amount, invoiceNo: p.invoiceNo, kind: "payment" as const })),
      ...ledger.adjustments
        .filter((a) => a.customerCode === code)
        .map((a) => ({ day: toEpochDay(a.date), amount: a.amount, invoiceNo: a.invoiceNo, kind: a.type })),
    ],
    creditLimit: ledger.customers.find((c) => c.code === code)?.creditLimit ?? null,
  };
}

function codesOf(ledger: LedgerSnapshot): string[] {
  return [...new Set([...ledger.customers, ...ledger.invoices, ...ledger.payments, ...ledger.adjustments].map((r) => ("code" in r ? r.code : r.customerCode)))];
}

/** Summary rows of a whole snapshot, built in one go or customer by customer in two merges. */
function summaryRows(ledger: LedgerSnapshot, inTwoSteps = false): SummaryRow[] {
  const codes = codesOf(ledger);
  if (!inTwoSteps) {
    const diff = new DayDiff();
    for (const code of codes) addCustomerHistory([diff], historyOf(ledger, code), 1);
    return mergeSummaryRows(zeroValues(), [], diff.changes());
  }
  // First half, then the rest merged into the stored rows (what an incremental import does).
  const first = new DayDiff();
  codes.slice(0, 2).forEach((code) => addCustomerHistory([first], historyOf(ledger, code), 1));
  const stored = mergeSummaryRows(zeroValues(), [], first.changes());
  const second = new DayDiff();
  codes.slice(2).forEach((code) => addCustomerHistory([second], historyOf(ledger, code), 1));
  // ...and a customer taken out and put back, as an update does.
  const firstCode = codes[0];
  if (firstCode !== undefined) {
    addCustomerHistory([second], historyOf(ledger, firstCode), -1);
    addCustomerHistory([second], historyOf(ledger, firstCode), 1);
  }
  const changes = second.changes();
  const firstChange = changes[0];
  if (!firstChange) return stored;
  const from = firstChange.day;
  const base = [...stored].reverse().find((row) => row.day < from)?.values ?? zeroValues();
  return [...stored.filter((row) => row.day < from), ...mergeSummaryRows(base, stored.filter((row) => row.day >= from), changes)];
}

function valuesAt(rows: readonly SummaryRow[], date: string): number[] {
  const day = toEpochDay(date);
  let found: number[] = zeroValues();
  for (const row of rows) {
    if (row.day > day) break;
    found = row.values;
  }
  return found;
}

const optionsArbitrary = fc.record({
  asOf: asOfArbitrary,
  periodBack: fc.option(fc.oneof(fc.integer({ min: 0, max: 900 }), fc.constantFrom(0, 1, 89, 90))),
  baselineShift: fc.option(fc.integer({ min: -1_500, max: 400 })),
  fiscalStartMonth: fc.integer({ min: 1, max: 12 }),
});

describe("position history (the sweep) against customerOpenItems", () => {
  it("gives every invoice's open amount, the unapplied credit, overdue and over-limit on every day", () => {
    fc.assert(
      fc.property(ledgerArbitrary, fc.array(asOfArbitrary, { minLength: 1, maxLength: 6 }), (ledger, dates) => {
        for (const code of codesOf(ledger)) {
          const history = historyOf(ledger, code);
          const runs: { invoice: HistoryInvoice; from: number; to: number; amount: number }[] = [];
          const unapplied: [number, number, number][] = [];
          const overdue: [number, number][] = [];
          const overLimit: [number, number][] = [];
          sweepPositionHistory(history.invoices, history.settlements, history.creditLimit, {
            openRun: (invoice, from, to, amount) => runs.push({ invoice, from, to, amount }),
            unappliedRun: (from, to, amount) => unapplied.push([from, to, amount]),
            overdueRun: (from, to) => overdue.push([from, to]),
            overLimitRun: (from, to) => overLimit.push([from, to]),
          });
          for (const date of dates) {
            const day = toEpochDay(date);
            const expected = customerOpenItems(code, ledger, date);
            const open = new Map<string, number>();
            for (const run of runs) {
              if (run.from <= day && day <= run.to) open.set(run.invoice.invoiceNo, (open.get(run.invoice.invoiceNo) ?? 0) + run.amount);
            }
            for (const invoice of expected.invoices) expect(open.get(invoice.invoiceNo) ?? 0).toBe(invoice.openAmount);
            expect([...open.values()].reduce((a, b) => a + b, 0)).toBe(expected.arTotal);
            const credit = unapplied.filter(([from, to]) => from <= day && day <= to).reduce((sum, [, , amount]) => sum + amount, 0);
            expect(credit).toBe(expected.unappliedCredit);
            const isOverdue = expected.invoices.some((i) => i.openAmount > 0 && days(i.dueDate, date) > 0);
            expect(overdue.filter(([from, to]) => from <= day && day <= to).length).toBe(isOverdue ? 1 : 0);
            const limit = history.creditLimit;
            const isOver = limit !== null && limit > 0 && expected.arTotal > limit;
            expect(overLimit.filter(([from, to]) => from <= day && day <= to).length).toBe(isOver ? 1 : 0);
          }
        }
      }),
      { numRuns: 300 },
    );
  }, 30_000);
});

describe("KPIs from summary rows", () => {
  it("equal computeKpis for every scope, date, period start and baseline", () => {
    fc.assert(
      fc.property(ledgerArbitrary, fc.array(optionsArbitrary, { minLength: 1, maxLength: 4 }), fc.boolean(), (ledger, cases, inTwoSteps) => {
        for (const { scope, snapshot } of scopedSnapshots(ledger)) {
          const rows = summaryRows(snapshot, inTwoSteps);
          for (const { asOf, periodBack, baselineShift, fiscalStartMonth } of cases) {
            const options = {
              asOf,
              periodStart: periodBack === null ? undefined : addDays(asOf, -periodBack),
              baseline: baselineShift === null ? undefined : addDays(asOf, baselineShift),
              fiscalStartMonth,
            };
            const period = resolveKpiPeriod(options);
            const asked = new Set(summaryDaysFor(period));
            const notAsked: string[] = [];
            const fromSummaries = kpisFromInputs(
              kpiInputsFromSummaries(period, (day) => {
                if (!asked.has(day)) notAsked.push(day);
                return valuesAt(rows, day);
              }),
            );
            expect(notAsked).toEqual([]);
            expect(fromSummaries, `${scope} as of ${asOf}`).toEqual(computeKpis(snapshot, options));
          }
        }
      }),
      { numRuns: 100 },
    );
  }, 30_000);

  it("store a row only where something changes, and nothing for an empty ledger", () => {
    fc.assert(
      fc.property(ledgerArbitrary, (ledger) => {
        const rows = summaryRows(ledger);
        rows.forEach((row, i) => {
          const before = i === 0 ? zeroValues() : defined(rows[i - 1], "the previous row").values;
          expect(row.values.some((v, m) => v !== before[m])).toBe(true);
          expect(row.values).toHaveLength(SUMMARY_METRICS.length);
        });
      }),
      { numRuns: 50 },
    );
    expect(summaryRows({ customers: [], invoices: [], payments: [], adjustments: [] })).toEqual([]);
  });
});

describe("summary rows, worked by hand", () => {
  it("move an unpaid invoice through the aging bands and stop changing after the last edge", () => {
    const ledger: LedgerSnapshot = {
      customers: [{ code: "C", name: "C", region: null, ownerEmail: null, creditGrade: null, creditLimit: 500, paymentTermsDays: 30 }],
      invoices: [{ invoiceNo: "I", customerCode: "C", issueDate: LEDGER_START, dueDate: addDays(LEDGER_START, 30), amount: 1_000 }],
      payments: [],
      adjustments: [],
    };
    const rows = summaryRows(ledger);
    const dayOf = (offset: number) => toEpochDay(addDays(LEDGER_START, offset));
    // issue; overdue (dpd 1) on day 31; 31_60 ... over_365 at dpd 31, 61, 91, 181, 366; issue bands at 366, 731, 1096
    expect(rows.map((row) => row.day)).toEqual([0, 31, 61, 91, 121, 211, 366, 396, 731, 1096].map(dayOf));
    expect(valuesAt(rows, addDays(LEDGER_START, 5000))).toEqual([0, 0, 0, 0, 0, 0, 0, 1_000, 0, 0, 0, 1_000, 1, 1, 1_000, 0, 0]);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { addDays, days, fromEpochDay, monthEnd, toEpochDay } from "~/kernel/dates";
import { agingBucket, emptyAging } from "~/features/kpi/kpis";
import type { LedgerSnapshot } from "~/kernel/ledger/types";
import { customerOpenItems } from "~/kernel/ledger/open-items";
import type { HistoryInvoice, HistorySettlement } from "~/kernel/ledger/position-history";
import { customerStatusHistory, monthEndDays, monthEndPositions } from "~/features/status-table/positions";
import { invoice, payment } from "../../support/ledger-builders";
import { CUSTOMER_CODES, ledgerArbitrary } from "../../support/random-ledger";

function historyOf(ledger: LedgerSnapshot, code: string): { invoices: HistoryInvoice[]; settlements: HistorySettlement[] } {
  return {
    invoices: ledger.invoices
      .filter((i) => i.customerCode === code)
      .map((i) => ({ invoiceNo: i.invoiceNo, issueDay: toEpochDay(i.issueDate), dueDay: toEpochDay(i.dueDate), amount: i.amount })),
    settlements: [...ledger.payments, ...ledger.adjustments]
      .filter((s) => s.customerCode === code)
      .map((s) => ({ day: toEpochDay(s.date), amount: s.amount, invoiceNo: s.invoiceNo })),
  };
}

/** The engine's answer (KPIS.md section 3) at one date, bucketed like the KPIs. */
function engineAt(ledger: LedgerSnapshot, code: string, asOf: string) {
  const items = customerOpenItems(code, ledger, asOf);
  const aging = emptyAging();
  for (const inv of items.invoices) if (inv.openAmount > 0) aging[agingBucket(days(inv.dueDate, asOf))] += inv.openAmount;
  return { arTotal: items.arTotal, aging };
}

/** What a reader does: the latest stored month end on or before D. */
function readAt(positions: ReturnType<typeof monthEndPositions>, asOf: string) {
  const row = [...positions].reverse().find((p) => p.monthEnd <= asOf);
  return row ? { arTotal: row.arTotal, aging: row.aging } : { arTotal: 0, aging: emptyAging() };
}

describe("monthEndDays", () => {
  it("lists every month end from the first day's month to the last day's, leap February included", () => {
    const ends = monthEndDays(toEpochDay("2024-01-15"), toEpochDay("2024-03-01"));
    expect(ends).toEqual(["2024-01-31", "2024-02-29", "2024-03-31"].map(toEpochDay));
    expect(monthEndDays(toEpochDay("2024-05-31"), toEpochDay("2024-05-31"))).toEqual([toEpochDay("2024-05-31")]);
  });
});

describe("monthEndPositions", () => {
  it("has no rows for a customer without documents", () => {
    expect(monthEndPositions([], [])).toEqual([]);
  });

  it("ages by days past due at each month end: due on the month end is not overdue, a day later is", () => {
    const ledger: LedgerSnapshot = {
      customers: [],
      invoices: [invoice("I1", "2025-01-10", "2025-01-31", 10_000), invoice("I2", "2025-01-20", "2025-02-01", 5_000)],
      payments: [payment("2025-02-15", 3_000, "I1")],
      adjustments: [],
    };
    const { invoices, settlements } = historyOf(ledger, "C1");
    const positions = monthEndPositions(invoices, settlements, settlements);
    expect(positions[0]).toEqual({
      monthEnd: "2025-01-31",
      arTotal: 15_000,
      aging: { ...emptyAging(), current: 15_000 },
      billed: 15_000,
      collected: 0,
    });
    expect(positions[1]).toEqual({
      monthEnd: "2025-02-28",
      arTotal: 12_000,
      aging: { ...emptyAging(), "1_30": 12_000 },
      billed: 0,
      collected: 3_000,
    });
    // The last row is where nothing moves any more: everything over 365 days past due.
    const last = positions[positions.length - 1];
    expect(last?.aging.over_365).toBe(12_000);
    expect(last?.monthEnd).toBe(monthEnd(addDays("2025-02-01", 366)));
  });

  it("a credit (payment before any invoice) leaves nothing open until the invoices exceed it", () => {
    const ledger: LedgerSnapshot = {
      customers: [],
      invoices: [invoice("I1", "2025-03-05", "2025-03-20", 4_000)],
      payments: [payment("2025-01-15", 10_000)],
      adjustments: [],
    };
    const { invoices, settlements } = historyOf(ledger, "C1");
    const positions = monthEndPositions(invoices, settlements);
    expect(positions.map((p) => p.arTotal)).toEqual(positions.map(() => 0));
    expect(positions[0]?.monthEnd).toBe("2025-01-31");
  });

  it("equals the open-items engine at every month end (and later dates read the last row), on random ledgers", () => {
    fc.assert(
      fc.property(ledgerArbitrary, (ledger) => {
        for (const code of CUSTOMER_CODES) {
          const { invoices, settlements } = historyOf(ledger, code);
          const positions = monthEndPositions(invoices, settlements);
          const checkDates = positions.map((p) => p.monthEnd);
          const first = positions[0];
          const final = positions[positions.length - 1];
          if (first && final) {
            checkDates.push(monthEnd(addDays(final.monthEnd, 1)), monthEnd(addDays(final.monthEnd, 800)));
            checkDates.push(addDays(first.monthEnd, -40));
          }
          for (const date of checkDates) {
            expect(readAt(positions, date), `${code} at ${date}`).toEqual(engineAt(ledger, code, date));
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("the open runs give the engine's position on any day, as the month in progress reads them", () => {
    fc.assert(
      fc.property(ledgerArbitrary, fc.integer({ min: -10, max: 1_300 }), (ledger, offset) => {
        const asOf = addDays("2023-01-01", offset);
        const day = toEpochDay(asOf);
        for (const code of CUSTOMER_CODES) {
          const { invoices, settlements } = historyOf(ledger, code);
          const { runs } = customerStatusHistory(invoices, settlements);
          const aging = emptyAging();
          let arTotal = 0;
          for (const run of runs) {
            if (run.fromDay > day || run.toDay < day) continue;
            arTotal += run.openAmount;
            aging[agingBucket(days(fromEpochDay(run.dueDay), asOf))] += run.openAmount;
          }
          expect({ arTotal, aging }, `${code} at ${asOf}`).toEqual(engineAt(ledger, code, asOf));
        }
      }),
      { numRuns: 150 },
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { fromEpochDay, toEpochDay } from "~/kernel/dates";
import { customerOpenItems } from "~/kernel/ledger/open-items";
import { ladderBalances } from "~/features/provisions/ladder";
import {
  FINE_BANDS,
  FINE_EDGES,
  type ProvisionSettlement,
  collapseFine,
  fineBandOf,
  fineToTable,
  monthEndsBefore,
  provisionHistory,
} from "~/features/provisions/positions";

describe("fine age bands", () => {
  it("put an age equal to an edge in that edge's band, and any age in one band", () => {
    expect([-10, 0, 1, 30, 31, 365, 366, 1825, 1826].map(fineBandOf)).toEqual([0, 0, 1, 1, 2, 12, 13, 16, 17]);
    expect(FINE_BANDS).toBe(18);
  });

  it("map the default yearly table and a monthly one, and refuse limits off the edges", () => {
    expect(fineToTable([365, 730, 1095, 1460, 1825])).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5]);
    expect(fineToTable([0, 30, 60, 90])?.slice(0, 6)).toEqual([0, 1, 2, 3, 4, 4]);
    expect(fineToTable([400])).toBeNull();
  });

  it("sum fine balances into a table's bands the way ages band directly", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ ageDays: fc.integer({ min: -200, max: 3000 }), open: fc.integer({ min: 1, max: 1e6 }) }), { maxLength: 40 }),
        fc.uniqueArray(fc.constantFrom(...FINE_EDGES.filter((edge) => edge > 0)), { minLength: 1, maxLength: 6 }),
        (items, edges) => {
          const upperDays = [...edges].sort((a, b) => a - b);
          const fine = ladderBalances(FINE_EDGES, items);
          // fineToTable only refuses edges off the fine ones, and these are fine edges
          expect(collapseFine(fineToTable(upperDays)!, fine, upperDays.length + 1)).toEqual(ladderBalances(upperDays, items));
        },
      ),
    );
  });
});

const day0 = toEpochDay("2020-01-01");

const documents = fc
  .record({
    invoices: fc.array(fc.record({ issue: fc.integer({ min: 0, max: 1500 }), terms: fc.integer({ min: 0, max: 120 }), amount: fc.integer({ min: 1, max: 100_000 }) }), {
      minLength: 1,
      maxLength: 12,
    }),
    settlements: fc.array(
      fc.record({
        day: fc.integer({ min: 0, max: 1700 }),
        amount: fc.integer({ min: 1, max: 80_000 }),
        names: fc.option(fc.nat(11), { nil: null }),
        writeOff: fc.boolean(),
      }),
      { maxLength: 10 },
    ),
  })
  .map(({ invoices, settlements }) => ({
    invoices: invoices.map((invoice, i) => ({ invoiceNo: `INV-${i}`, issueDay: day0 + invoice.issue, dueDay: day0 + invoice.issue + invoice.terms, amount: invoice.amount })),
    settlements: settlements.map(
      (settlement): ProvisionSettlement => ({
        day: day0 + settlement.day,
        amount: settlement.amount,
        invoiceNo: settlement.names === null || settlement.names >= invoices.length ? null : `INV-${settlement.names}`,
        writeOff: settlement.writeOff,
      }),
    ),
  }));

/** The naive answer: the engine's open items at the month end, aged and banded one by one. */
function naiveFine(docs: { invoices: { invoiceNo: string; issueDay: number; dueDay: number; amount: number }[]; settlements: ProvisionSettlement[] }, end: number, basis: "issue" | "due", withWriteOffs: boolean) {
  const ledger = {
    invoices: docs.invoices.map((invoice) => ({
      invoiceNo: invoice.invoiceNo,
      customerCode: "C",
      issueDate: fromEpochDay(invoice.issueDay),
      dueDate: fromEpochDay(invoice.dueDay),
      amount: invoice.amount,
    })),
    payments: [],
    adjustments: docs.settlements
      .filter((settlement) => withWriteOffs || !settlement.writeOff)
      .map((settlement, i) => ({
        adjustmentNo: `A-${i}`,
        customerCode: "C",
        date: fromEpochDay(settlement.day),
        amount: settlement.amount,
        type: settlement.writeOff ? ("write_off" as const) : ("credit_note" as const),
        invoiceNo: settlement.invoiceNo,
      })),
  };
  const open = customerOpenItems("C", ledger, fromEpochDay(end));
  return ladderBalances(
    FINE_EDGES,
    open.invoices.filter((invoice) => invoice.openAmount > 0).map((invoice) => ({
      ageDays: end - toEpochDay(basis === "issue" ? invoice.issueDate : invoice.dueDate),
      open: invoice.openAmount,
    })),
  );
}

describe("the kept month-end provision positions", () => {
  it("equal the engine's open items at every month end before the last document, on both bases, open and gross", () => {
    fc.assert(
      fc.property(documents, (docs) => {
        const history = provisionHistory(docs.invoices, docs.settlements);
        expect(history).not.toBeNull();
        const lastDay = Math.max(...docs.invoices.map((i) => i.issueDay), ...docs.settlements.map((s) => s.day));
        const firstDay = Math.min(...docs.invoices.map((i) => i.issueDay), ...docs.settlements.map((s) => s.day));
        const ends = monthEndsBefore(firstDay, lastDay);
        // checked not null above
        expect(history!.rows.length).toBe(ends.length * 2);
        for (const row of history!.rows) {
          const end = toEpochDay(row.monthEnd);
          expect(row.open).toEqual(naiveFine(docs, end, row.basis, true));
          expect(row.gross).toEqual(naiveFine(docs, end, row.basis, false));
        }
        const grossEnd = naiveFine(docs, lastDay, "issue", false);
        const grossItems = ladderBalances(FINE_EDGES, history!.grossItems.map((item) => ({ ageDays: lastDay - item.issueDay, open: item.openAmount })));
        if (history!.writeOffs) expect(grossItems).toEqual(grossEnd);
        else expect(history!.grossItems).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("list the month ends strictly before the last document", () => {
    expect(monthEndsBefore(toEpochDay("2026-01-15"), toEpochDay("2026-03-31")).map(fromEpochDay)).toEqual(["2026-01-31", "2026-02-28"]);
    expect(monthEndsBefore(toEpochDay("2026-01-31"), toEpochDay("2026-01-31"))).toEqual([]);
  });
});

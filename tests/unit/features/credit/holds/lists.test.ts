import { describe, expect, it } from "vitest";

import { STANDARD_CREDIT_POLICY } from "~/features/credit/grades/grades";
import { type HoldsCustomer, type OpenAmount, holdsLists, pageOf, readHoldsParams } from "~/features/credit/holds/lists";

const asOf = "2026-06-30";

function customer(id: number, code: string, change: Partial<HoldsCustomer> = {}): HoldsCustomer {
  return {
    id,
    code,
    name: `Customer ${code}`,
    region: null,
    ownerName: null,
    creditGrade: "B",
    creditLimit: null,
    holdId: null,
    holdKind: null,
    holdSetAt: null,
    holdReason: null,
    holdSetByName: null,
    ...change,
  };
}

const line = (customerId: number, dueDate: string, amount: number): OpenAmount => ({ customerId, dueDate, amount, positiveAmount: Math.max(0, amount) });
const policy = { grades: STANDARD_CREDIT_POLICY.grades, broken: new Map<number, number>() };

describe("holdsLists (the one suggestHold over every customer in scope)", () => {
  it("suggests only where the hold in force differs, set and escalate first, strongest first", () => {
    const customers = [
      customer(1, "STOP", {}),
      customer(2, "CBD", {}),
      customer(3, "FINE", {}),
      customer(4, "HELD", { holdId: 9, holdKind: "stop_shipment", holdSetAt: "2026-06-01T00:00:00.000Z", holdReason: "old" }),
      customer(5, "KEEP", { holdId: 10, holdKind: "stop_shipment", holdSetAt: "2026-06-02T00:00:00.000Z", holdReason: "kept" }),
    ];
    const amounts = [line(1, "2026-01-01", 500_00), line(2, "2026-06-01", 100_00), line(3, "2026-06-29", 100_00), line(5, "2026-01-01", 100_00)];
    const lists = holdsLists(customers, amounts, policy, asOf);
    expect(lists.suggestions.map((row) => [row.code, row.suggestedKind, row.advice])).toEqual([
      ["STOP", "stop_shipment", "set"],
      ["CBD", "cash_before_delivery", "set"],
      ["HELD", null, "release"],
    ]);
    // holds in force: stop shipment first, newest first
    expect(lists.holds.map((row) => row.code)).toEqual(["KEEP", "HELD"]);
  });

  it("counts a credit in the receivables but never as overdue", () => {
    const lists = holdsLists([customer(1, "CREDIT", { creditLimit: 100_00 })], [line(1, "2026-01-01", -50_00), line(1, "2026-06-29", 120_00)], policy, asOf);
    expect(lists.limits).toEqual([expect.objectContaining({ code: "CREDIT", arTotal: 70_00, overLimit: false })]);
    expect(lists.suggestions).toEqual([]);
  });

  it("orders utilisation worst first and flags customers over their limit", () => {
    const customers = [customer(1, "HALF", { creditLimit: 100_00 }), customer(2, "OVER", { creditLimit: 100_00 }), customer(3, "NOLIMIT")];
    const lists = holdsLists(customers, [line(1, "2026-06-29", 50_00), line(2, "2026-06-29", 150_00)], policy, asOf);
    expect(lists.limits.map((row) => [row.code, row.utilisation, row.overLimit])).toEqual([
      ["OVER", 1.5, true],
      ["HALF", 0.5, false],
    ]);
  });
});

describe("pageOf and readHoldsParams", () => {
  it("shows the last page for a page past the end, and reads a hand-typed URL leniently", () => {
    const paged = pageOf(["a", "b", "c"], 9, 2);
    expect(paged.rows).toEqual(["c"]);
    expect(paged.page).toMatchObject({ page: 2, total: 3 });
    expect(readHoldsParams(new URLSearchParams("owner=abc&region=%20North%20&holdsPage=0&overLimit=1"))).toEqual({
      filters: { owner: undefined, region: "North", overLimitOnly: true },
      holdsPage: 1,
      suggestionsPage: 1,
      limitsPage: 1,
    });
  });
});

import { describe, expect, it } from "vitest";

import { type CreditGrade, STANDARD_CREDIT_POLICY } from "~/features/credit/grades/grades";
import { type HoldInput, holdAdvice, suggestHold } from "~/features/credit/holds/holds";
import { defined } from "../../../../support/defined";

const [A, B, D] = [0, 1, 3].map((i) => defined(STANDARD_CREDIT_POLICY.grades[i], `grade ${i}`)) as [CreditGrade, CreditGrade, CreditGrade];
const asOf = "2026-06-30";

function input(change: Partial<HoldInput>): HoldInput {
  return { asOf, grade: B, worstGrade: D, openInvoices: [], arTotal: 0, creditLimit: null, brokenPromises: 0, ...change };
}
/** An open invoice `dpd` days past due at 2026-06-30. */
const overdue = (dpd: number, openAmount = 1000) => ({ dueDate: new Date(Date.UTC(2026, 5, 30 - dpd)).toISOString().slice(0, 10), openAmount });

describe("suggestHold", () => {
  it.each<[string, Partial<HoldInput>, string | null, string[]]>([
    ["nothing open", {}, null, []],
    ["B, 10 days overdue: within the grace days", { openInvoices: [overdue(10)] }, null, []],
    ["B, 11 days overdue: past grace → cash before delivery", { openInvoices: [overdue(11)] }, "cash_before_delivery", ["holds.reason.overduePastGrace"]],
    ["B, 60 days overdue: not yet past stop shipment", { openInvoices: [overdue(60)] }, "cash_before_delivery", ["holds.reason.overduePastGrace"]],
    ["B, 61 days overdue → stop shipment", { openInvoices: [overdue(61)] }, "stop_shipment", ["holds.reason.overduePastStop"]],
    ["A, 15 days overdue: A's grace is 15", { grade: A, openInvoices: [overdue(15)] }, null, []],
    ["past grace with a broken agreement → stop shipment", { openInvoices: [overdue(20)], brokenPromises: 1 }, "stop_shipment", ["holds.reason.overduePastGrace", "holds.reason.brokenPromises"]],
    ["a broken promise alone (nothing past grace) suggests nothing", { openInvoices: [overdue(5)], brokenPromises: 2 }, null, []],
    ["over the limit → cash before delivery", { arTotal: 100_001, creditLimit: 100_000 }, "cash_before_delivery", ["holds.reason.overLimit"]],
    ["exactly at the limit is not over", { arTotal: 100_000, creditLimit: 100_000 }, null, []],
    ["a zero limit is no limit (as customers_over_limit)", { arTotal: 5, creditLimit: 0 }, null, []],
    ["grade D trades cash before delivery", { grade: D }, "cash_before_delivery", ["holds.reason.gradePolicy"]],
    ["ungraded: measured against D's grace (0 days)", { grade: null, openInvoices: [overdue(1)] }, "cash_before_delivery", ["holds.reason.overduePastGrace"]],
    ["ungraded without overdue: D's policy is not applied", { grade: null }, null, []],
    ["stop shipment outranks over-limit", { openInvoices: [overdue(90)], arTotal: 9_999, creditLimit: 1 }, "stop_shipment", ["holds.reason.overduePastStop", "holds.reason.overLimit"]],
    ["a fully paid overdue line counts nothing", { openInvoices: [overdue(200, 0)] }, null, []],
  ])("%s", (_label, change, kind, reasons) => {
    const result = suggestHold(input(change));
    expect(result.kind).toBe(kind);
    expect(result.reasons.map((r) => r.key)).toEqual(reasons);
  });

  it("reports the oldest days overdue and the amount past grace", () => {
    const result = suggestHold(input({ openInvoices: [overdue(5, 100), overdue(30, 200), overdue(70, 300)] }));
    expect(result.maxDaysOverdue).toBe(70);
    expect(result.overduePastGrace).toBe(500);
    expect(result.reasons[0]).toEqual({
      key: "holds.reason.overduePastStop",
      params: { grade: "B", graceDays: 10, stopShipmentDays: 60, days: 70, amountMinor: 300 },
    });
  });
});

describe("holdAdvice", () => {
  it.each([
    [null, null, "none"],
    [null, "cash_before_delivery", "set"],
    ["cash_before_delivery", "stop_shipment", "escalate"],
    ["stop_shipment", "cash_before_delivery", "relax"],
    ["stop_shipment", null, "release"],
    ["stop_shipment", "stop_shipment", "keep"],
  ] as const)("%s → %s: %s", (current, suggested, advice) => {
    expect(holdAdvice(current, suggested)).toBe(advice);
  });
});

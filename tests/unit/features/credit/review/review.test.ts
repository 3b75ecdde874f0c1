import { describe, expect, it } from "vitest";

import { STANDARD_CREDIT_POLICY } from "~/features/credit/grades/grades";
import {
  decisionOutcome,
  dueByFrequency,
  isFlagged,
  measureForReview,
  needsApproval,
  readWorklistQuery,
  roundLimit,
  rowState,
  suggestedLimit,
  worklistRow,
} from "~/features/credit/review/review";
import { approvalAmountSchema, decisionSchema } from "~/features/credit/review/schema";
import type { GradeSuggestion } from "~/features/credit/rules";

const policy = STANDARD_CREDIT_POLICY;
const keep: GradeSuggestion = { currentGrade: "B", suggestedGrade: "B", change: "keep", reasons: [{ key: "credit.reason.keep", params: {} }] };

describe("due by the grade's review frequency", () => {
  it.each([
    [null, 3, "2026-12-31", "never_reviewed"],
    ["2026-09-30", 3, "2026-12-31", "due"], // exactly 3 months before the quarter's end
    ["2026-10-01", 3, "2026-12-31", null],
    ["2026-06-30", 6, "2026-12-31", "due"],
    ["2026-07-01", 6, "2026-12-31", null],
    ["2025-12-31", 12, "2026-12-31", "due"],
    ["2026-03-31", 12, "2026-12-31", null],
    ["2026-02-28", 1, "2026-03-31", "due"], // month-end arithmetic: 31 Mar - 1 month = 28 Feb
  ] as const)("last %s, every %i months, quarter ending %s: %s", (last, months, end, expected) => {
    expect(dueByFrequency(last, months, end)).toBe(expected);
  });
});

describe("flagged by the rules", () => {
  it("a suggested change, an ungraded customer, a demotion at the lowest grade, or over the limit", () => {
    expect(isFlagged({ ...keep, change: "demote", suggestedGrade: "C" }, { utilisation: null })).toBe(true);
    expect(isFlagged({ ...keep, change: "ungraded", suggestedGrade: null }, { utilisation: null })).toBe(true);
    expect(isFlagged({ ...keep, reasons: [{ key: "credit.reason.demote", params: {} }] }, { utilisation: null })).toBe(true);
    expect(isFlagged(keep, { utilisation: { num: 101n, den: 100n } })).toBe(true);
    expect(isFlagged(keep, { utilisation: { num: 100n, den: 100n } })).toBe(false);
    expect(isFlagged(keep, { utilisation: null })).toBe(false);
  });
});

describe("suggested limit", () => {
  it.each([
    [49_999, 0],
    [50_000, 100_000], // half up to ¥1,000
    [99_949_999, 99_900_000],
    [99_950_000, 100_000_000],
    [123_456_789, 123_000_000], // ¥10,000 steps from ¥1,000,000
    [123_500_000, 124_000_000],
  ])("rounds %i to %i", (minor, expected) => {
    expect(roundLimit(minor)).toBe(expected);
  });

  it("is the payment terms plus the grade's months, in months of the trailing year's sales", () => {
    // 1,200,000.00 a year = 100,000.00 a month; 30 days' terms + B's 1.2 months = 2.2 months
    expect(suggestedLimit({ limitMonthsOfSales: 1.2 }, 120_000_000, 30)).toBe(22_000_000);
    expect(suggestedLimit({ limitMonthsOfSales: 0.5 }, 120_000_000, 60)).toBe(25_000_000);
    expect(suggestedLimit({ limitMonthsOfSales: 0.5 }, 120_000_000, 0)).toBe(5_000_000);
    expect(suggestedLimit({ limitMonthsOfSales: 1.5 }, 0, 90)).toBe(0);
    expect(suggestedLimit(null, 120_000_000, 30)).toBeNull();
  });
});

describe("measuring and selecting a customer", () => {
  const documents = {
    invoices: [
      { invoiceNo: "I1", customerCode: "X", issueDate: "2025-10-01", dueDate: "2025-10-31", amount: 600_000 },
      { invoiceNo: "I2", customerCode: "X", issueDate: "2026-01-01", dueDate: "2026-01-31", amount: 600_000 },
    ],
    payments: [],
    adjustments: [],
  };

  it("measures open receivables and trailing sales as of D", () => {
    const measured = measureForReview(policy, { creditGrade: "B", creditLimit: 1_000_000 }, documents, 0, "2026-11-23");
    expect(measured.arTotal).toBe(1_200_000);
    // the October 2025 invoice is older than the trailing 12 months (2025-11-24 .. 2026-11-23)
    expect(measured.trailingSales).toBe(600_000);
    expect(measured.suggestion.suggestedGrade).toBe("C");
  });

  it("lists a demoted customer not due by frequency as flagged, with its figures in hundredths", () => {
    const customer = { customerId: 7, creditGrade: "B", creditLimit: 1_000_000, paymentTermsDays: 30, lastReviewedOn: "2026-09-30" };
    const measured = measureForReview(policy, customer, documents, 0, "2026-11-23");
    const row = worklistRow(policy, customer, measured, "2026-12-31");
    expect(row).toMatchObject({ selection: "flagged", currentGrade: "B", suggestedGrade: "C", utilisationHundredths: 12_000, overdueRatioHundredths: 10_000 });
    // 30 days' terms + grade C's 1 month = 2 months of 6,000.00 a year = 1,000.00
    expect(row?.suggestedLimit).toBe(100_000);
  });

  it("leaves out a customer neither due nor flagged", () => {
    const customer = { customerId: 8, creditGrade: "A", creditLimit: null, paymentTermsDays: 30, lastReviewedOn: "2026-09-30" };
    const measured = measureForReview(policy, customer, { invoices: [], payments: [], adjustments: [] }, 0, "2026-11-23");
    expect(worklistRow(policy, customer, measured, "2026-12-31")).toBeNull();
  });
});

describe("decisions", () => {
  const row = { suggestedGrade: "C", suggestedLimit: 5_000_000 };
  const current = { grade: "B", limit: 2_000_000 };
  const decide = (input: Partial<Parameters<typeof decisionOutcome>[3]>, amount = 10_000_000) =>
    decisionOutcome(policy, row, current, { decision: "accept", grade: null, limit: null, comment: "", ...input }, amount);

  it("accept takes the suggestions, reject keeps the current values, modify the reviewer's", () => {
    expect(decide({})).toEqual({ ok: true, outcome: { decidedGrade: "C", decidedLimit: 5_000_000, needsApproval: false } });
    expect(decide({ decision: "reject" })).toEqual({ ok: true, outcome: { decidedGrade: "B", decidedLimit: 2_000_000, needsApproval: false } });
    expect(decide({ decision: "modify", limit: 3_000_000 })).toEqual({ ok: true, outcome: { decidedGrade: "B", decidedLimit: 3_000_000, needsApproval: false } });
    expect(decide({ decision: "modify", grade: "Z" })).toEqual({ ok: false, problem: { field: "grade", message: "creditReview.validation.unknownGrade" } });
  });

  it("needs approval only for an increase above the amount", () => {
    expect(decide({}, 3_000_000)).toMatchObject({ outcome: { needsApproval: false } }); // +3,000,000 exactly
    expect(decide({}, 2_999_999)).toMatchObject({ outcome: { needsApproval: true } });
    expect(needsApproval(null, 10_000_001, 10_000_000)).toBe(true);
    expect(needsApproval(20_000_000, 0, 0)).toBe(false);
  });

  it("nothing to accept for an ungraded row", () => {
    const result = decisionOutcome(policy, { suggestedGrade: null, suggestedLimit: null }, { grade: null, limit: null }, { decision: "accept", grade: null, limit: null, comment: "" }, 0);
    expect(result).toEqual({ ok: false, problem: { field: "decision", message: "creditReview.validation.nothingToAccept" } });
  });

  it("row states", () => {
    expect(rowState({ decision: null, needsApproval: false, approvalDecision: null })).toBe("pending");
    expect(rowState({ decision: "accept", needsApproval: false, approvalDecision: null })).toBe("decided");
    expect(rowState({ decision: "modify", needsApproval: true, approvalDecision: null })).toBe("awaiting");
    expect(rowState({ decision: "modify", needsApproval: true, approvalDecision: "declined" })).toBe("declined");
  });
});

describe("the decision form's schema", () => {
  const parse = (fields: Record<string, string>) => decisionSchema.safeParse({ intent: "decide", itemId: "3", ...fields });
  const messages = (fields: Record<string, string>) => {
    const result = parse(fields);
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  };

  it("parses a modification into minor units", () => {
    expect(parse({ decision: "modify", grade: "C", limit: "¥150,000.50", comment: "ok" })).toMatchObject({
      success: true,
      data: { itemId: 3, decision: "modify", grade: "C", limit: 15_000_050, comment: "ok" },
    });
    // accept ignores the modification fields
    expect(parse({ decision: "accept", grade: "A", limit: "1" })).toMatchObject({ success: true, data: { grade: null, limit: null } });
  });

  it.each([
    [{ decision: "modify", limit: "-1", comment: "x" }, "limit: creditReview.validation.limitNegative"],
    [{ decision: "modify", limit: "¥-1", comment: "x" }, "limit: creditReview.validation.limitNegative"],
    [{ decision: "modify", limit: "1.001", comment: "x" }, "limit: creditReview.validation.limitDecimals"],
    [{ decision: "modify", limit: "abc", comment: "x" }, "limit: creditReview.validation.limit"],
    [{ decision: "modify", comment: "x" }, "grade: creditReview.validation.modifyNothing"],
    [{ decision: "modify", grade: "C" }, "comment: creditReview.validation.commentRequired"],
    [{ decision: "reject" }, "comment: creditReview.validation.commentRequired"],
    [{}, "decision: creditReview.validation.decision"],
  ])("%j is refused: %s", (fields, message) => {
    expect(messages(fields as Record<string, string>)).toContain(message);
  });

  it("the approval amount is not negative and has at most two decimals", () => {
    expect(approvalAmountSchema.safeParse({ intent: "set-approval-amount", amount: "100000" })).toMatchObject({ success: true, data: { amount: 10_000_000 } });
    expect(approvalAmountSchema.safeParse({ intent: "set-approval-amount", amount: "-5" }).success).toBe(false);
    expect(approvalAmountSchema.safeParse({ intent: "set-approval-amount", amount: "" }).success).toBe(false);
  });
});

describe("worklist filters from the URL", () => {
  it("reads known values and drops the rest", () => {
    expect(readWorklistQuery(new URLSearchParams("show=awaiting&owner=12&region=华东&page=3"))).toEqual({ show: "awaiting", owner: 12, region: "华东", page: 3 });
    expect(readWorklistQuery(new URLSearchParams("show=everything&owner=x&page=-1"))).toEqual({ show: "all", owner: undefined, region: undefined, page: 1 });
    expect(readWorklistQuery(new URLSearchParams("owner=none")).owner).toBe("none");
  });
});

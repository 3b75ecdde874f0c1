import { describe, expect, it } from "vitest";

import {
  type Comparator,
  type CreditMetric,
  type CreditRule,
  STANDARD_CREDIT_POLICY,
  gradeOrderProblems,
  gradeRank,
  intersect,
  policyVersion,
  ruleConflicts,
  ruleInterval,
  unflattenForm,
} from "~/features/credit/grades/grades";
import { creditPolicyFormSchema, policyToFormValues } from "~/features/credit/grades/schema";
import { defined } from "../../../../support/defined";

const rule = (
  metric: CreditMetric,
  comparator: Comparator,
  threshold: number,
  action: CreditRule["action"],
  toGrade: string | null = null,
): CreditRule => ({ metric, comparator, threshold, action, toGrade });

const codes = ["A", "B", "C", "D"];

/** The issues of a form post as "path: message". */
function issuesOf(mutate: (values: ReturnType<typeof formValues>) => void): string[] {
  const values = formValues();
  mutate(values);
  const result = creditPolicyFormSchema.safeParse(values);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

function formValues() {
  return structuredClone(policyToFormValues(STANDARD_CREDIT_POLICY, policyVersion(STANDARD_CREDIT_POLICY))) as {
    intent: "save-policy";
    grades: Record<string, string>[];
    rules: Record<string, string>[];
  };
}

describe("the standard policy", () => {
  it("is A to D, best first, and passes its own schema unchanged", () => {
    expect(STANDARD_CREDIT_POLICY.grades.map((g) => g.code)).toEqual(codes);
    const parsed = creditPolicyFormSchema.safeParse(policyToFormValues(STANDARD_CREDIT_POLICY, policyVersion(STANDARD_CREDIT_POLICY)));
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual({ ...STANDARD_CREDIT_POLICY, basedOn: policyVersion(STANDARD_CREDIT_POLICY) });
  });

  it("has grace days shorter than stop-shipment days in every grade", () => {
    for (const grade of STANDARD_CREDIT_POLICY.grades) expect(grade.graceDays).toBeLessThan(grade.stopShipmentDays);
  });

  it.each([
    ["A", 0],
    ["D", 3],
    ["Z", -1],
    [null, -1],
  ])("ranks %s as %i", (code, rank) => {
    expect(gradeRank(STANDARD_CREDIT_POLICY.grades, code)).toBe(rank);
  });
});

describe("ruleInterval", () => {
  it.each([
    ["avg_days_late", "lte", 10, { lo: 0, loOpen: false, hi: 10, hiOpen: false }],
    ["avg_days_late", "lt", 10, { lo: 0, loOpen: false, hi: 10, hiOpen: true }],
    ["overdue_ratio", "gt", 40, { lo: 40, loOpen: true, hi: Infinity, hiOpen: true }],
    ["overdue_ratio", "gte", 40, { lo: 40, loOpen: false, hi: Infinity, hiOpen: true }],
    // counts are whole: < 2 is 0..1, > 1 is 2..
    ["broken_promises", "lt", 2, { lo: 0, loOpen: false, hi: 1, hiOpen: false }],
    ["broken_promises", "gt", 1, { lo: 2, loOpen: false, hi: Infinity, hiOpen: true }],
    ["write_offs", "lte", 0, { lo: 0, loOpen: false, hi: 0, hiOpen: false }],
  ] as const)("%s %s %d", (metric, comparator, threshold, interval) => {
    expect(ruleInterval(metric, comparator, threshold)).toEqual(interval);
  });

  it.each([
    ["avg_days_late", "lt", 0],
    ["broken_promises", "lt", 0],
  ] as const)("%s %s %d holds for no value", (metric, comparator, threshold) => {
    expect(ruleInterval(metric, comparator, threshold)).toBeNull();
  });

  it("intersects closed and open ends", () => {
    const a = ruleInterval("avg_days_late", "lte", 10);
    expect(intersect(a, ruleInterval("avg_days_late", "gte", 10))).toEqual({ lo: 10, loOpen: false, hi: 10, hiOpen: false });
    expect(intersect(a, ruleInterval("avg_days_late", "gt", 10))).toBeNull();
  });
});

describe("ruleConflicts", () => {
  it.each<[string, CreditRule[], { index: number; message: string }[]]>([
    ["standard rules", STANDARD_CREDIT_POLICY.rules, []],
    [
      "promotion at <= 10 days late and demotion at >= 5 overlap on 5..10",
      [rule("avg_days_late", "lte", 10, "promote"), rule("avg_days_late", "gte", 5, "demote")],
      [{ index: 1, message: "credit.validation.overlappingThresholds" }],
    ],
    [
      "touching at the threshold itself is an overlap (<= 10 and >= 10)",
      [rule("avg_days_late", "lte", 10, "promote"), rule("avg_days_late", "gte", 10, "demote")],
      [{ index: 1, message: "credit.validation.overlappingThresholds" }],
    ],
    ["<= 10 and > 10 do not overlap", [rule("avg_days_late", "lte", 10, "promote"), rule("avg_days_late", "gt", 10, "demote")], []],
    [
      "whole counts: < 2 promotes, > 1 demotes: no count does both",
      [rule("broken_promises", "lt", 2, "promote"), rule("broken_promises", "gt", 1, "demote")],
      [],
    ],
    [
      "whole counts: <= 1 promotes, >= 1 demotes: 1 does both",
      [rule("broken_promises", "lte", 1, "promote"), rule("broken_promises", "gte", 1, "demote")],
      [{ index: 1, message: "credit.validation.overlappingThresholds" }],
    ],
    [
      "a cap overlapping the promotion range, the later rule is flagged",
      [rule("write_offs", "gte", 0, "to-grade", "D"), rule("write_offs", "lte", 0, "promote")],
      [{ index: 1, message: "credit.validation.overlappingThresholds" }],
    ],
    [
      "two promotion rules on one metric with nothing in common",
      [rule("overdue_ratio", "lt", 5, "promote"), rule("overdue_ratio", "gt", 20, "promote")],
      [{ index: 1, message: "credit.validation.promotionImpossible" }],
    ],
    [
      "the promotion range is the intersection: <= 20 and <= 5 is <= 5, clear of > 10",
      [rule("overdue_ratio", "lte", 20, "promote"), rule("overdue_ratio", "lte", 5, "promote"), rule("overdue_ratio", "gt", 10, "demote")],
      [],
    ],
    ["different metrics never conflict", [rule("avg_days_late", "lte", 10, "promote"), rule("overdue_ratio", "gte", 0, "demote")], []],
    ["a cap to an unknown grade", [rule("write_offs", "gte", 1, "to-grade", "E")], [{ index: 0, message: "credit.validation.unknownGrade" }]],
    ["a cap without a grade is left to the schema's required", [rule("write_offs", "gte", 1, "to-grade", null)], []],
  ])("%s", (_label, rules, conflicts) => {
    expect(ruleConflicts(rules, codes)).toEqual(conflicts);
  });
});

describe("gradeOrderProblems", () => {
  const a = defined(STANDARD_CREDIT_POLICY.grades[0], "grade A");
  const b = defined(STANDARD_CREDIT_POLICY.grades[1], "grade B");
  it.each([
    ["terms longer than the better grade's", { paymentTermsDays: a.paymentTermsDays + 1 }, "paymentTermsDays"],
    ["more grace than the better grade", { graceDays: a.graceDays + 1 }, "graceDays"],
    ["reviewed less often", { reviewMonths: a.reviewMonths + 1 }, "reviewMonths"],
    ["a looser limit policy", { limitPolicy: "standard" as const }, null],
    ["equal terms are fine", { paymentTermsDays: a.paymentTermsDays }, null],
  ])("%s", (_label, change, field) => {
    const problems = gradeOrderProblems([a, { ...b, ...change }]);
    expect(problems.map((p) => p.field)).toEqual(field ? [field] : []);
  });

  it("flags C with a looser policy than B", () => {
    const c = defined(STANDARD_CREDIT_POLICY.grades[2], "grade C");
    const problems = gradeOrderProblems([b, { ...c, limitPolicy: "standard" }, { ...c, code: "X" }]);
    expect(problems).toEqual([]);
    expect(gradeOrderProblems([{ ...b, limitPolicy: "secured" }, { ...c, limitPolicy: "standard" }])).toEqual([
      { index: 1, field: "limitPolicy" },
    ]);
  });
});

describe("creditPolicyFormSchema", () => {
  it.each<[string, (v: ReturnType<typeof formValues>) => void, string[]]>([
    ["negative grace days", (v) => (defined(v.grades[1]).graceDays = "-1"), ["grades.1.graceDays: credit.validation.notNegative"]],
    ["grace days not a number", (v) => (defined(v.grades[1]).graceDays = "ten"), ["grades.1.graceDays: credit.validation.graceDays"]],
    ["grace days with decimals", (v) => (defined(v.grades[0]).graceDays = "1.5"), ["grades.0.graceDays: credit.validation.graceDays"]],
    [
      "stop shipment not after the grace days",
      (v) => (defined(v.grades[0]).graceDays = "90"),
      ["grades.0.stopShipmentDays: credit.validation.stopBeforeGrace"],
    ],
    ["review every 13 months", (v) => (defined(v.grades[0]).reviewMonths = "13"), ["grades.0.reviewMonths: credit.validation.reviewMonths"]],
    ["review every 0 months", (v) => (defined(v.grades[3]).reviewMonths = "0"), ["grades.3.reviewMonths: credit.validation.reviewMonths"]],
    ["a negative limit guideline", (v) => (defined(v.grades[0]).limitMonthsOfSales = "-1"), ["grades.0.limitMonthsOfSales: credit.validation.notNegative"]],
    ["an unknown limit policy", (v) => (defined(v.grades[0]).limitPolicy = "generous"), ["grades.0.limitPolicy: credit.validation.limitPolicy"]],
    [
      "grades out of order (C longer terms than B)",
      (v) => (defined(v.grades[2]).paymentTermsDays = "75"),
      ["grades.2.paymentTermsDays: credit.validation.gradeOrder"],
    ],
    [
      "grades listed worst first",
      (v) => v.grades.reverse(),
      expect.arrayContaining(["grades.1.graceDays: credit.validation.gradeOrder"]) as unknown as string[],
    ],
    ["a duplicate grade code", (v) => (defined(v.grades[1]).code = "A"), ["grades.1.code: credit.validation.duplicateGrade"]],
    ["a lower-case grade code", (v) => (defined(v.grades[1]).code = "b"), ["grades.1.code: credit.validation.gradeCode"]],
    [
      "contradictory thresholds (demote above 4 days late while promoting up to 5)",
      (v) => (defined(v.rules[3]).threshold = "4"),
      ["rules.3.threshold: credit.validation.overlappingThresholds"],
    ],
    ["a count threshold with decimals", (v) => (defined(v.rules[5]).threshold = "1.5"), ["rules.5.threshold: credit.validation.wholeCount"]],
    ["a ratio over 100%", (v) => (defined(v.rules[1]).threshold = "120"), ["rules.1.threshold: credit.validation.threshold"]],
    ["a negative threshold", (v) => (defined(v.rules[1]).threshold = "-5"), ["rules.1.threshold: credit.validation.notNegative"]],
    ["a to-grade rule without a grade", (v) => (defined(v.rules[7]).toGrade = ""), ["rules.7.toGrade: credit.validation.toGradeRequired"]],
    ["a to-grade rule to an unknown grade", (v) => (defined(v.rules[7]).toGrade = "E"), ["rules.7.toGrade: credit.validation.unknownGrade"]],
    ["an unknown metric", (v) => (defined(v.rules[0]).metric = "mood"), ["rules.0.metric: credit.validation.metric"]],
    ["only one grade", (v) => v.grades.splice(1), ["grades: credit.validation.tooFewGrades", "rules.7.toGrade: credit.validation.unknownGrade"]],
    ["no rules at all is allowed", (v) => v.rules.splice(0), []],
  ])("%s", (_label, mutate, expected) => {
    expect(issuesOf(mutate)).toEqual(expected);
  });

  it("does not run cross-field checks on fields that failed (no bogus order errors)", () => {
    expect(issuesOf((v) => ((defined(v.grades[0]).paymentTermsDays = "x"), (defined(v.rules[0]).threshold = "x")))).toEqual([
      "grades.0.paymentTermsDays: credit.validation.termsDays",
      "rules.0.threshold: credit.validation.threshold",
    ]);
  });

  it("a bad grade field does not hide a contradiction in the rules", () => {
    expect(issuesOf((v) => ((defined(v.grades[1]).graceDays = "-1"), (defined(v.rules[3]).threshold = "4")))).toEqual([
      "grades.1.graceDays: credit.validation.notNegative",
      "rules.3.threshold: credit.validation.overlappingThresholds",
    ]);
  });

  it("drops the grade of a rule that is not to-grade", () => {
    const values = formValues();
    defined(values.rules[0]).toGrade = "B";
    const parsed = creditPolicyFormSchema.parse(values);
    expect(defined(parsed.rules[0]).toGrade).toBeNull();
  });
});

describe("unflattenForm", () => {
  it("nests dotted names into objects and arrays", () => {
    expect(
      unflattenForm([
        ["intent", "save-policy"],
        ["grades.0.code", "A"],
        ["grades.1.code", "B"],
        ["grades.0.graceDays", "15"],
        ["rules.2.metric", "write_offs"],
      ]),
    ).toEqual({ intent: "save-policy", grades: [{ code: "A", graceDays: "15" }, { code: "B" }], rules: [{ metric: "write_offs" }] });
  });

  it("ignores prototype keys and file values", () => {
    const result = unflattenForm([
      ["__proto__.polluted", "yes"],
      ["grades.constructor.x", "1"],
      ["file", {} as unknown as string],
    ]);
    expect(result).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

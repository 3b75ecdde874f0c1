import { describe, expect, it } from "vitest";

import { reasonText } from "~/features/credit/components/reason-text";
import { STANDARD_CREDIT_POLICY } from "~/features/credit/grades/grades";
import { suggestHold } from "~/features/credit/holds/holds";
import { suggestGrade } from "~/features/credit/rules";
import { createI18n } from "~/i18n";
import { defined } from "../../../support/defined";

const money = (minor: number) => `¥${(minor / 100).toFixed(2)}`;

describe("reasonText renders the domain's reasons in both languages", () => {
  const demotion = suggestGrade(STANDARD_CREDIT_POLICY, "B", {
    avgDaysLate: { num: 85n, den: 2n },
    overdueRatio: null,
    brokenPromises: 0,
    writeOffs: 0,
    utilisation: null,
  }).reasons[0];

  it.each([
    ["en", "The average days late is 42.5 days, above 30 days: one grade down."],
    ["zh-CN", "平均逾期天数为 42.5 天，高于 30 天：降一级。"],
  ] as const)("%s: a demotion", (locale, text) => {
    expect(reasonText(createI18n(locale).t, money, defined(demotion, "a reason"))).toBe(text);
  });

  it.each([
    ["en", "¥1,000.00 is overdue past grade B's 10 grace days (oldest 20 days)."],
    ["zh-CN", "¥1,000.00 逾期超过 B 级的 10 天优惠期（最长 20 天）。"],
  ] as const)("%s: a hold with money", (locale, text) => {
    const B = defined(STANDARD_CREDIT_POLICY.grades[1], "grade B");
    const D = defined(STANDARD_CREDIT_POLICY.grades[3], "grade D");
    const hold = suggestHold({
      asOf: "2026-06-30",
      grade: B,
      worstGrade: D,
      openInvoices: [{ dueDate: "2026-06-10", openAmount: 100_000 }],
      arTotal: 100_000,
      creditLimit: null,
      brokenPromises: 0,
    });
    const format = (minor: number) => (minor === 100_000 ? "¥1,000.00" : money(minor));
    expect(reasonText(createI18n(locale).t, format, defined(hold.reasons[0], "a reason"))).toBe(text);
  });
});

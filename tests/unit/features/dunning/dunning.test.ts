import { describe, expect, it } from "vitest";

import { DEFAULT_TEMPLATES, DUNNING_LEVELS, TEMPLATE_LOCALES, actionKindOf, fillTemplate, noLetterReason, placeholderProblems, reminderPausedUntil } from "~/features/dunning/dunning";

const values = { customer: "Harbour Trading", customer_code: "FX001", amount: "¥1,000.00", overdue: "¥400.00", as_of: "2025年9月30日", owner: "Li Wei" };

describe("dunning templates", () => {
  it("fills every placeholder, leaving other text alone", () => {
    expect(fillTemplate("{customer} ({customer_code}) owes {amount}, {overdue} overdue, as of {as_of}. {owner}", values)).toBe(
      "Harbour Trading (FX001) owes ¥1,000.00, ¥400.00 overdue, as of 2025年9月30日. Li Wei",
    );
    expect(fillTemplate("no placeholders", values)).toBe("no placeholders");
  });

  it("finds unknown placeholders and stray braces", () => {
    expect(placeholderProblems("Dear {customer}, {amount}")).toEqual([]);
    expect(placeholderProblems("Dear {client}")).toEqual(["dunning.validation.unknownPlaceholder"]);
    expect(placeholderProblems("Dear {customer")).toEqual(["dunning.validation.braces"]);
    expect(placeholderProblems("Dear customer}")).toEqual(["dunning.validation.braces"]);
    expect(placeholderProblems("{}")).toEqual(["dunning.validation.unknownPlaceholder"]);
  });

  it("ships built-in templates for every level and language that pass their own check", () => {
    for (const level of DUNNING_LEVELS) {
      for (const locale of TEMPLATE_LOCALES) {
        const template = DEFAULT_TEMPLATES[level][locale];
        expect(placeholderProblems(template.subject)).toEqual([]);
        expect(placeholderProblems(template.body)).toEqual([]);
        expect(fillTemplate(template.body, values)).not.toMatch(/[{}]/);
      }
    }
  });

  it("records the reminder and the demand as e-mail, the lawyer's letter as a lawyer's letter", () => {
    expect(actionKindOf("reminder")).toBe("email");
    expect(actionKindOf("demand")).toBe("email");
    expect(actionKindOf("lawyer_letter")).toBe("lawyer_letter");
  });
});

describe("reminderPausedUntil", () => {
  const today = "2025-09-30";
  it("pauses until the earliest pending promise due today or later", () => {
    expect(reminderPausedUntil([{ status: "pending", dueOn: "2025-10-15" }, { status: "pending", dueOn: "2025-10-05" }], today)).toBe("2025-10-05");
    expect(reminderPausedUntil([{ status: "pending", dueOn: today }], today)).toBe(today);
  });

  it("does not pause for a promise past due, kept or broken", () => {
    expect(reminderPausedUntil([{ status: "pending", dueOn: "2025-09-29" }], today)).toBeNull();
    expect(reminderPausedUntil([{ status: "kept", dueOn: "2025-10-15" }], today)).toBeNull();
    expect(reminderPausedUntil([{ status: "broken", dueOn: "2025-10-15" }], today)).toBeNull();
    expect(reminderPausedUntil([], today)).toBeNull();
  });
});

describe("noLetterReason", () => {
  it("allows a letter only while something is overdue", () => {
    expect(noLetterReason({ arTotal: 100_00, overdueTotal: 1 })).toBeNull();
    expect(noLetterReason({ arTotal: 0, overdueTotal: 0 })).toBe("dunning.validation.nothingOpen");
    expect(noLetterReason({ arTotal: -5_00, overdueTotal: 0 })).toBe("dunning.validation.nothingOpen");
    expect(noLetterReason({ arTotal: 100_00, overdueTotal: 0 })).toBe("dunning.validation.nothingOverdue");
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  type CustomerPayments,
  type Finding,
  type PromiseOutcome,
  type StoredWarning,
  type WarningRule,
  averageDaysLate,
  brokenPromises,
  daysLateRising,
  invoicesEntering61To90,
  overLimit,
  overLimitPercent,
  ownerOverdueGrowing,
  parseReasons,
  planSweep,
} from "~/features/warnings/rules";
import { ruleFromStored, warningRulesFormSchema } from "~/features/warnings/schema";
import { addDays, monthEndsBefore } from "~/kernel/dates";

const ENDS = ["2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30"];

describe("average days late", () => {
  it("weighs each invoice paid in the month by its amount; early payment counts as 0", () => {
    // 1,000 paid 10 days late and 3,000 paid 2 days early: (1000 × 10 + 3000 × 0) ÷ 4000 = 2.5
    const paid = [
      { dueDate: "2026-11-01", paidOn: "2026-11-11", amount: 1000 },
      { dueDate: "2026-11-20", paidOn: "2026-11-18", amount: 3000 },
      { dueDate: "2026-10-01", paidOn: "2026-10-30", amount: 9000 },
    ];
    expect(averageDaysLate(paid, "2026-11-01", "2026-11-30")).toBe(2.5);
    expect(averageDaysLate(paid, "2026-12-01", "2026-12-31")).toBeNull();
  });
});

describe("days late rising", () => {
  const paidIn = (month: string, late: number) => ({ dueDate: `${month}-01`, paidOn: addDays(`${month}-01`, late), amount: 100 });
  const customer = (lates: number[]): CustomerPayments => ({
    customerId: 7,
    ownerId: 3,
    paid: lates.map((late, i) => paidIn(["2026-08", "2026-09", "2026-10", "2026-11"][i] ?? "2026-12", late)),
  });
  const params = { months: 3, minDays: 5 };

  it("warns when each of the last three months is later than the one before: 2 → 4 → 7 → 11 days", () => {
    const [finding] = daysLateRising([customer([2, 4, 7, 11])], ENDS, params);
    expect(finding).toMatchObject({ kind: "days_late_rising", subjectKey: "customer:7", ownerId: 3 });
    expect(finding?.reasons[0]).toEqual({ key: "warnings.reason.daysLateRising", params: { months: 3, series: "2 → 4 → 7 → 11", since: "2026-08-31" } });
  });

  it("does not warn on a flat month, a fall, a month without payments or a last value under minDays", () => {
    expect(daysLateRising([customer([2, 4, 4, 11])], ENDS, params)).toEqual([]);
    expect(daysLateRising([customer([2, 8, 7, 11])], ENDS, params)).toEqual([]);
    expect(daysLateRising([{ ...customer([2, 4, 7, 11]), paid: customer([2, 4, 7, 11]).paid.slice(1) }], ENDS, params)).toEqual([]);
    expect(daysLateRising([customer([0, 1, 2, 3])], ENDS, params)).toEqual([]);
  });
});

describe("broken promises", () => {
  const promise = (dueOn: string, status: PromiseOutcome["status"], amount = 1000, paid = 0): PromiseOutcome => ({ customerId: 4, ownerId: 2, dueOn, amount, paid, status });

  it("counts the broken promises due in the last withinDays days and what is short on them", () => {
    const findings = brokenPromises(
      [promise("2026-11-20", "broken", 1000, 400), promise("2026-10-01", "broken"), promise("2026-11-25", "kept"), promise("2026-09-01", "broken")],
      "2026-12-07",
      { withinDays: 90 },
    );
    // 2026-09-01 is 97 days back, outside the window
    expect(findings).toEqual([
      { kind: "broken_promise", subjectKey: "customer:4", customerId: 4, invoiceId: null, ownerId: 2, reasons: [{ key: "warnings.reason.brokenPromise", params: { count: 2, amount: 1600, dueOn: "2026-11-20" } }] },
    ]);
    expect(brokenPromises([promise("2026-09-01", "broken")], "2026-12-07", { withinDays: 60 })).toEqual([]);
  });
});

describe("over the credit limit", () => {
  it("says how far over to one decimal, never 0 % for a balance that is over", () => {
    expect(overLimitPercent(150_000, 100_000)).toBe(50);
    expect(overLimitPercent(100_001, 100_000)).toBe(0.1);
    expect(overLimitPercent(100_450, 100_000)).toBe(0.4);
    expect(overLimitPercent(123_456, 100_000)).toBe(23.4);
    const [finding] = overLimit([{ customerId: 1, ownerId: null, limit: 100_000, balance: 100_001 }], { percent: 0 });
    expect(finding?.reasons[0]?.params).toEqual({ balance: 100_001, limit: 100_000, percent: 0.1 });
  });

  it("is over when the balance exceeds limit × (1 + percent): 120,001 on 100,000 at 20 % is, 120,000 is not", () => {
    const customers = [
      { customerId: 1, ownerId: 1, limit: 100_000, balance: 120_001 },
      { customerId: 2, ownerId: 1, limit: 100_000, balance: 120_000 },
      { customerId: 3, ownerId: 1, limit: null, balance: 9_999_999 },
    ];
    const findings = overLimit(customers, { percent: 20 });
    expect(findings.map((f) => f.subjectKey)).toEqual(["customer:1"]);
    expect(findings[0]?.reasons[0]?.params).toEqual({ balance: 120_001, limit: 100_000, percent: 20 });
  });
});

describe("an invoice entering 61–90 days overdue", () => {
  const invoice = (dueDate: string, openAmount = 600_000) => ({ invoiceId: 9, invoiceNo: "INV-9", customerId: 1, ownerId: 2, dueDate, openAmount });

  it("warns from day 61 to day 90 for invoices with at least the amount open", () => {
    const today = "2026-12-07";
    expect(invoicesEntering61To90([invoice(addDays(today, -60))], today, { amount: 500_000 })).toEqual([]);
    expect(invoicesEntering61To90([invoice(addDays(today, -61))], today, { amount: 500_000 })[0]?.reasons[0]?.params).toMatchObject({ days: 61, amount: 600_000 });
    expect(invoicesEntering61To90([invoice(addDays(today, -90))], today, { amount: 500_000 })).toHaveLength(1);
    expect(invoicesEntering61To90([invoice(addDays(today, -91))], today, { amount: 500_000 })).toEqual([]);
    expect(invoicesEntering61To90([invoice(addDays(today, -70), 499_999)], today, { amount: 500_000 })).toEqual([]);
  });
});

describe("an owner's overdue growing", () => {
  it("warns when each of the last two month ends grew by at least 5 %: 100 → 106 → 112 does, 100 → 106 → 110 does not", () => {
    const ends = ENDS.slice(1);
    expect(ownerOverdueGrowing([{ ownerId: 5, overdue: [100_00, 106_00, 112_00] }], ends, { months: 2, minGrowthPercent: 5 })[0]?.reasons[0]).toEqual({
      key: "warnings.reason.ownerOverdueGrowing",
      params: { months: 2, from: 100_00, to: 112_00, since: "2026-09-30" },
    });
    expect(ownerOverdueGrowing([{ ownerId: 5, overdue: [100_00, 106_00, 110_00] }], ends, { months: 2, minGrowthPercent: 5 })).toEqual([]);
    expect(ownerOverdueGrowing([{ ownerId: 5, overdue: [null, 106_00, 120_00] }], ends, { months: 2, minGrowthPercent: 0 })).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests against a naive implementation

/** Naive: the series of averages by filtering each month separately, then every neighbour compared. */
function naiveDaysLate(customer: CustomerPayments, ends: string[], minDays: number): boolean {
  const values = ends.map((end) => {
    const start = `${end.slice(0, 7)}-01`;
    const inMonth = customer.paid.filter((p) => p.paidOn >= start && p.paidOn <= end && p.amount > 0);
    if (inMonth.length === 0) return null;
    const total = inMonth.reduce((s, p) => s + p.amount, 0);
    return inMonth.reduce((s, p) => s + p.amount * Math.max(0, (Date.parse(p.paidOn) - Date.parse(p.dueDate)) / 86_400_000), 0) / total;
  });
  for (let i = 1; i < values.length; i += 1) {
    const a = values[i - 1];
    const b = values[i];
    if (a == null || b == null || !(b > a)) return false;
  }
  return (values[values.length - 1] ?? 0) >= minDays;
}

describe("properties", () => {
  const date = fc.integer({ min: 0, max: 200 }).map((n) => addDays("2026-07-01", n));

  it("days late rising agrees with the naive reading", () => {
    const paid = fc.record({ dueDate: date, paidOn: date, amount: fc.integer({ min: 0, max: 10_000 }) });
    fc.assert(
      fc.property(fc.array(paid, { maxLength: 30 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 2, max: 4 }), (list, minDays, months) => {
        const ends = monthEndsBefore("2026-12-07", months + 1);
        const customer = { customerId: 1, ownerId: null, paid: list };
        expect(daysLateRising([customer], ends, { months, minDays }).length === 1).toBe(naiveDaysLate(customer, ends, minDays));
      }),
    );
  });

  it("over the limit agrees with balance > limit × (1 + p ÷ 100) in exact arithmetic", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 ** 9 }), fc.integer({ min: 0, max: 2 * 10 ** 9 }), fc.integer({ min: 0, max: 200 }), (limit, balance, percent) => {
        const naive = BigInt(balance) * 100n > BigInt(limit) * BigInt(100 + percent);
        expect(overLimit([{ customerId: 1, ownerId: null, limit, balance }], { percent }).length === 1).toBe(naive);
      }),
    );
  });

  it("61–90 agrees with counting the days one by one", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 120 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (back, open, amount) => {
        const today = "2027-01-02";
        const dueDate = addDays(today, -back);
        let count = 0;
        for (let d = dueDate; d < today; d = addDays(d, 1)) count += 1;
        const naive = count >= 61 && count <= 90 && open > 0 && open >= amount;
        const found = invoicesEntering61To90([{ invoiceId: 1, invoiceNo: "X", customerId: 1, ownerId: null, dueDate, openAmount: open }], today, { amount });
        expect(found.length === 1).toBe(naive);
      }),
    );
  });

  it("a sweep never raises a subject twice and closes exactly the active warnings not found", () => {
    const rules: WarningRule[] = [
      { kind: "over_limit", params: { percent: 0 }, severity: "critical", enabled: true },
      { kind: "broken_promise", params: { withinDays: 30 }, severity: "warning", enabled: false },
    ];
    const subject = fc.integer({ min: 1, max: 6 });
    const kind = fc.constantFrom("over_limit" as const, "broken_promise" as const);
    const stored = fc.uniqueArray(
      fc.record({ kind, subject, state: fc.constantFrom("open" as const, "acknowledged" as const, "resolved" as const), person: fc.boolean(), cleared: fc.boolean() }),
      { selector: (w) => `${w.kind}|${w.subject}` },
    );
    fc.assert(
      fc.property(stored, fc.array(fc.record({ kind, subject })), (storedList, found) => {
        const latest: StoredWarning[] = storedList.map((w, i) => ({
          id: i + 1,
          kind: w.kind,
          subjectKey: `customer:${w.subject}`,
          state: w.state,
          resolution: w.state === "resolved" ? (w.person ? "person" : "cleared") : null,
          clearedOn: w.state === "resolved" && (!w.person || w.cleared) ? "2026-12-01" : null,
          severity: "critical",
          reasons: "[]",
          ownerId: null,
        }));
        const findings: Finding[] = found.map((f) => ({ kind: f.kind, subjectKey: `customer:${f.subject}`, customerId: f.subject, invoiceId: null, ownerId: null, reasons: [] }));
        const plan = planSweep(latest, findings, rules);
        const live = new Set(findings.filter((f) => f.kind === "over_limit").map((f) => `${f.kind}|${f.subjectKey}`));
        const keyOf = (w: StoredWarning) => `${w.kind}|${w.subjectKey}`;
        // naive: each live subject is refreshed when active, skipped when a person's resolution still stands, raised otherwise
        const expectRaise = [...live].filter((key) => {
          const w = latest.find((s) => keyOf(s) === key);
          return !w || (w.state === "resolved" && !(w.resolution === "person" && w.clearedOn === null));
        });
        expect(plan.raise.map((f) => `${f.kind}|${f.subjectKey}`).sort()).toEqual(expectRaise.sort());
        expect(plan.refresh.map((r) => r.id).sort()).toEqual(latest.filter((w) => live.has(keyOf(w)) && w.state !== "resolved").map((w) => w.id).sort());
        expect(plan.close.map((c) => c.id).sort()).toEqual(latest.filter((w) => !live.has(keyOf(w)) && w.state !== "resolved").map((w) => w.id).sort());
        for (const c of plan.close) expect(c.resolution).toBe(latest.find((w) => w.id === c.id)?.kind === "over_limit" ? "cleared" : "rule_off");
      }),
    );
  });
});

describe("the rules form schema and stored rules", () => {
  const form = {
    intent: "save-rules",
    basedOn: "0123456789abcdef",
    rules: {
      days_late_rising: { severity: "warning", enabled: "on", months: "3", minDays: "5" },
      broken_promise: { severity: "warning", enabled: "on", withinDays: "60" },
      over_limit: { severity: "critical", months: "x", percent: "20" },
      invoice_61_90: { severity: "info", enabled: "on", amount: "50,000.00" },
      owner_overdue_growing: { severity: "info", enabled: "on", months: "2", minGrowthPercent: "5" },
      forecast_misses_target: { severity: "warning", enabled: "on", tolerancePercent: "5" },
    },
  };

  it("reads the form into rules, amounts in minor units and an unticked box as off", () => {
    const parsed = warningRulesFormSchema.parse(form);
    expect(parsed.rules.find((r) => r.kind === "invoice_61_90")).toEqual({ kind: "invoice_61_90", severity: "info", enabled: true, params: { amount: 5_000_000 } });
    expect(parsed.rules.find((r) => r.kind === "over_limit")).toEqual({ kind: "over_limit", severity: "critical", enabled: false, params: { percent: 20 } });
  });

  it("refuses out-of-range numbers, unknown severities and bad amounts, at their fields", () => {
    const bad = structuredClone(form);
    bad.rules.days_late_rising.months = "1";
    bad.rules.broken_promise.severity = "urgent";
    bad.rules.invoice_61_90.amount = "-5";
    bad.rules.forecast_misses_target.tolerancePercent = "101";
    const result = warningRulesFormSchema.safeParse(bad);
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join(".")).sort();
    expect(paths).toEqual(["rules.broken_promise.severity", "rules.days_late_rising.months", "rules.forecast_misses_target.tolerancePercent", "rules.invoice_61_90.amount"]);
  });

  it("a stored row with unknown parameters or kind is not read as a rule", () => {
    expect(ruleFromStored({ kind: "over_limit", params: '{"percent":20}', severity: "critical", enabled: 1 })).toEqual({ kind: "over_limit", params: { percent: 20 }, severity: "critical", enabled: true });
    expect(ruleFromStored({ kind: "over_limit", params: '{"percent":-1}', severity: "critical", enabled: 1 })).toBeNull();
    expect(ruleFromStored({ kind: "weather", params: "{}", severity: "critical", enabled: 1 })).toBeNull();
    expect(ruleFromStored({ kind: "over_limit", params: "not json", severity: "critical", enabled: 1 })).toBeNull();
  });

  it("reasons read back from their JSON, anything else as none", () => {
    expect(parseReasons('[{"key":"a","params":{"n":1,"x":{}}}]')).toEqual([{ key: "a", params: { n: 1 } }]);
    expect(parseReasons("{")).toEqual([]);
  });
});

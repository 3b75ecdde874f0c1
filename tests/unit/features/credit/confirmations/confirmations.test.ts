import { describe, expect, it } from "vitest";

import {
  type Confirmation,
  type ConfirmationForRates,
  confirmationProblems,
  confirmationRates,
  confirmationState,
  needsFollowUp,
  totalRates,
} from "~/features/credit/confirmations/confirmations";
import { confirmationFormSchema, createBatchSchema } from "~/features/credit/confirmations/schema";
import { confirmationsEn, confirmationsZhCN } from "~/features/credit/confirmations/messages";

const base: Confirmation = { sentOn: "2026-06-01", channel: "post", returnedOn: null, result: null, difference: 0, note: "", resolvedOn: null };

describe("confirmationState and follow-up", () => {
  it.each<[string, Partial<Confirmation>, string, boolean]>([
    ["not sent", { sentOn: null, channel: null }, "not_sent", false],
    ["sent, awaiting", {}, "awaiting", true],
    ["matched", { returnedOn: "2026-06-10", result: "matched" }, "matched", false],
    ["mismatched, open", { returnedOn: "2026-06-10", result: "mismatched", difference: -500, note: "credit note missing" }, "mismatch_open", true],
    ["mismatched, resolved", { returnedOn: "2026-06-10", result: "mismatched", difference: -500, note: "x", resolvedOn: "2026-06-20" }, "mismatch_resolved", false],
    ["not returned", { result: "not_returned" }, "not_returned", true],
  ])("%s", (_label, change, state, followUp) => {
    const c = { ...base, ...change };
    expect(confirmationState(c)).toBe(state);
    expect(needsFollowUp(c)).toBe(followUp);
  });
});

describe("confirmationProblems", () => {
  it.each<[string, Partial<Confirmation>, string[]]>([
    ["a sent statement", {}, []],
    ["returned the same day it was sent", { returnedOn: "2026-06-01", result: "matched" }, []],
    ["returned before it was sent", { returnedOn: "2026-05-31", result: "matched" }, ["returnedOn: confirmations.validation.returnedBeforeSent"]],
    ["returned without being sent", { sentOn: null, channel: null, returnedOn: "2026-06-02" }, ["sentOn: confirmations.validation.sentRequired"]],
    ["sent without a channel", { channel: null }, ["channel: confirmations.validation.channelRequired"]],
    ["matched without a returned date", { result: "matched" }, ["returnedOn: confirmations.validation.returnedRequired"]],
    ["not returned but with a returned date", { result: "not_returned", returnedOn: "2026-06-03" }, ["result: confirmations.validation.returnedButNotReturned"]],
    ["a mismatch without difference or note", { returnedOn: "2026-06-03", result: "mismatched" }, ["difference: confirmations.validation.differenceRequired", "note: confirmations.validation.noteRequired"]],
    ["a difference on a matched statement", { returnedOn: "2026-06-03", result: "matched", difference: 5 }, ["difference: confirmations.validation.differenceOnlyMismatch"]],
    ["resolved before it came back", { returnedOn: "2026-06-03", result: "mismatched", difference: 5, note: "x", resolvedOn: "2026-06-02" }, ["resolvedOn: confirmations.validation.resolvedBeforeReturned"]],
    ["resolving a matched statement", { returnedOn: "2026-06-03", result: "matched", resolvedOn: "2026-06-04" }, ["resolvedOn: confirmations.validation.resolveOnlyMismatch"]],
  ])("%s", (_label, change, problems) => {
    expect(confirmationProblems({ ...base, ...change }).map((p) => `${p.field}: ${p.message}`)).toEqual(problems);
  });

  it("the form schema reports the same at the field", () => {
    const result = confirmationFormSchema.safeParse({ intent: "update-confirmation", sentOn: "2026-06-05", channel: "electronic", returnedOn: "2026-06-04", result: "matched" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["returnedOn", "confirmations.validation.returnedBeforeSent"]]);
  });

  it("the form schema turns empty fields into nulls and the difference into a number", () => {
    const result = confirmationFormSchema.parse({ intent: "update-confirmation", sentOn: "2026-06-05", channel: "in_person", returnedOn: "2026-06-07", result: "mismatched", difference: "-1250", note: " missing credit note " });
    expect(result).toEqual({ intent: "update-confirmation", sentOn: "2026-06-05", channel: "in_person", returnedOn: "2026-06-07", result: "mismatched", difference: -1250, note: "missing credit note", resolvedOn: null });
  });

  it("refuses an impossible date", () => {
    const result = confirmationFormSchema.safeParse({ intent: "update-confirmation", sentOn: "2026-02-30", channel: "post" });
    expect(result.error?.issues.map((i) => i.message)).toEqual(["confirmations.validation.date"]);
  });
});

describe("confirmationRates", () => {
  const row = (owner: string | null, region: string | null, returned: boolean, result: ConfirmationForRates["result"] = null, sent = true): ConfirmationForRates => ({
    owner,
    region,
    sentOn: sent ? "2026-06-01" : null,
    returnedOn: returned ? "2026-06-05" : null,
    result,
  });
  const rows = [
    row("Ann", "East", true, "matched"),
    row("Ann", "East", true, "mismatched"),
    row("Ann", "West", false),
    row("Bob", "West", true, "matched"),
    row("Bob", "West", true, "matched"),
    row("Bob", "West", false, null, false), // never sent: not counted
    row(null, null, false, "not_returned"),
  ];

  it("ranks owners by return rate, then lower mismatch rate", () => {
    expect(confirmationRates(rows, "owner")).toEqual([
      { key: "Bob", sent: 2, returned: 2, mismatched: 0, returnRate: 1, mismatchRate: 0 },
      { key: "Ann", sent: 3, returned: 2, mismatched: 1, returnRate: 2 / 3, mismatchRate: 0.5 },
      { key: null, sent: 1, returned: 0, mismatched: 0, returnRate: 0, mismatchRate: null },
    ]);
  });

  it("ranks regions the same way; ties by more sent, then name", () => {
    expect(confirmationRates(rows, "region").map((r) => [r.key, r.returnRate, r.mismatchRate])).toEqual([
      ["East", 1, 0.5],
      ["West", 2 / 3, 0],
      [null, 0, null],
    ]);
    const tie = [row("Cy", "X", true, "matched"), row("Al", "X", true, "matched")];
    expect(confirmationRates(tie, "owner").map((r) => r.key)).toEqual(["Al", "Cy"]);
  });

  it("totals all sent statements; nothing sent gives nulls", () => {
    expect(totalRates(rows)).toEqual({ sent: 6, returned: 4, mismatched: 1, returnRate: 4 / 6, mismatchRate: 0.25 });
    expect(totalRates([])).toEqual({ sent: 0, returned: 0, mismatched: 0, returnRate: null, mismatchRate: null });
  });
});

describe("createBatchSchema (the new-batch form, client and server)", () => {
  const today = "2026-12-08";
  const errorsOf = (values: Record<string, string>) => {
    const parsed = createBatchSchema(today).safeParse({ intent: "create-batch", ...values });
    return parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
  };

  it("takes a period end up to today", () => {
    expect(errorsOf({ name: "Year end", periodEnd: today })).toEqual({});
    expect(errorsOf({ name: "Year end", periodEnd: "2026-11-30" })).toEqual({});
  });

  it("says a period end after today is in the future, not that it is no real date", () => {
    expect(errorsOf({ name: "Year end", periodEnd: "2030-12-31" })).toEqual({ periodEnd: "confirmations.validation.periodEndFuture" });
    expect(errorsOf({ name: "Year end", periodEnd: "2026-12-09" })).toEqual({ periodEnd: "confirmations.validation.periodEndFuture" });
    expect(errorsOf({ name: "Year end", periodEnd: "2026-02-30" })).toEqual({ periodEnd: "confirmations.validation.date" });
  });

  it("reports every field's problem at once", () => {
    expect(errorsOf({ name: "", periodEnd: "" })).toEqual({ name: "confirmations.validation.nameRequired", periodEnd: "confirmations.validation.date" });
    expect(errorsOf({ name: " ", periodEnd: "2030-12-31" })).toEqual({ name: "confirmations.validation.nameRequired", periodEnd: "confirmations.validation.periodEndFuture" });
  });

  it("words the form's help plainly", () => {
    expect(confirmationsEn.create.intro).not.toContain("end of the period end");
    expect(confirmationsEn.create.intro).toContain("at the period end");
    expect(confirmationsEn.validation.periodEndFuture).toBe("The period end cannot be after today.");
    expect(confirmationsZhCN.validation.periodEndFuture).toBe("期末日期不能晚于今天。");
  });
});

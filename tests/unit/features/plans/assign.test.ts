import { describe, expect, it } from "vitest";

import { ASSIGN_MAX_ROWS, assignmentsFrom, isTouched } from "~/features/plans/assign.schema";
import { present } from "../../../support/present";

function form(rows: Record<string, string>[], extra: Record<string, string> = {}): FormData {
  const data = new FormData();
  for (const row of rows) {
    data.append("item", present(row.id, "the row's id"));
    for (const [key, value] of Object.entries(row)) if (key !== "id") data.append(`${key}-${row.id}`, value);
  }
  for (const [key, value] of Object.entries(extra)) data.append(key, value);
  return data;
}

const row = (id: string, overrides: Record<string, string> = {}) => ({
  id,
  version: "3",
  owner: "7",
  due: "2026-05-10",
  "was-owner": "7",
  "was-due": "2026-05-10",
  ...overrides,
});

describe("assignmentsFrom", () => {
  it("reads every row, empty owner and date as none, and the reason", () => {
    const parsed = assignmentsFrom(form([row("11"), row("12", { owner: "", due: "", "was-owner": "", "was-due": "" })], { reason: "  leave  " }));
    expect(parsed).toEqual({
      ok: true,
      reason: "leave",
      rows: [
        { itemId: 11, version: 3, ownerId: 7, dueDate: "2026-05-10", shownOwnerId: 7, shownDueDate: "2026-05-10" },
        { itemId: 12, version: 3, ownerId: null, dueDate: null, shownOwnerId: null, shownDueDate: null },
      ],
    });
  });

  it.each([
    ["an owner that is not an id", row("11", { owner: "Li Wei" }), { "owner-11": ["plans.validation.owner"] }],
    ["an impossible date", row("11", { due: "2026-02-30" }), { "due-11": ["plans.validation.date"] }],
    ["a missing version", row("11", { version: "" }), { form: ["plans.validation.staleForm"] }],
  ])("refuses %s at its field", (_label, given, fieldErrors) => {
    expect(assignmentsFrom(form([given]))).toEqual({ ok: false, fieldErrors });
  });

  it.each([
    ["no rows", form([])],
    ["a row twice", form([row("11"), row("11")])],
    ["a malformed id", form([row("11x")])],
    ["more rows than a plan holds", form(Array.from({ length: ASSIGN_MAX_ROWS + 1 }, (_, index) => row(String(index + 1))))],
  ])("refuses a form it did not draw: %s", (_label, data) => {
    expect(assignmentsFrom(data)).toEqual({ ok: false, fieldErrors: { form: ["plans.validation.invalid"] } });
  });

  it("says the reason's maximum", () => {
    expect(assignmentsFrom(form([row("11")], { reason: "r".repeat(2001) }))).toEqual({ ok: false, fieldErrors: { reason: ["plans.validation.tooLong2000"] } });
  });

  it.each([
    ["unchanged", {}, false],
    ["new owner", { owner: "8" }, true],
    ["owner removed", { owner: "" }, true],
    ["new due date", { due: "2026-05-11" }, true],
  ])("isTouched: %s", (_label, overrides, touched) => {
    const parsed = assignmentsFrom(form([row("11", overrides)]));
    expect(parsed.ok && isTouched(present(parsed.rows[0], "the row"))).toBe(touched);
  });
});

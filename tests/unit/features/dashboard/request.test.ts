import { describe, expect, it } from "vitest";

import { readDashboardRequest } from "~/features/dashboard/request";

const head = { id: 1, role: "head" as const, email: "head@demo.quarterdeck" };
const leader = { id: 2, role: "leader" as const, email: "leader@demo.quarterdeck" };
const staff = { id: 3, role: "staff" as const, email: "Li.Wei@Demo.Quarterdeck" };
const TODAY = "2026-11-23";

describe("readDashboardRequest", () => {
  it.each([
    // viewer, asOf, scope -> as-of, scope words
    [head, null, null, TODAY, "company"],
    [head, "", "", TODAY, "company"],
    [head, "2025-06-30", "region:华东", "2025-06-30", "region:华东"],
    [leader, " 2025-06-30 ", "grade:A", "2025-06-30", "grade:A"],
    [leader, null, "owner:Staff@Demo.Quarterdeck", TODAY, "owner:staff@demo.quarterdeck"],
    // staff start on their own book and may look at the company's totals
    [staff, null, null, TODAY, "owner:li.wei@demo.quarterdeck"],
    [staff, null, "company", TODAY, "company"],
    [staff, null, "owner:li.wei@demo.quarterdeck", TODAY, "owner:li.wei@demo.quarterdeck"],
    [head, TODAY, null, TODAY, "company"],
  ] as const)("%o asOf=%s scope=%s", (viewer, asOf, scope, expectedAsOf, expectedScope) => {
    const result = readDashboardRequest({ asOf, scope }, viewer, TODAY);
    expect(result.ok).toBe(true);
    expect(result.form).toEqual({ asOf: expectedAsOf, scope: expectedScope });
  });

  it.each([
    // viewer, asOf, scope -> status, error key
    [head, "2026-02-30", null, 400, "dashboard.errors.badDate"],
    [head, "30/06/2026", null, 400, "dashboard.errors.badDate"],
    [head, "1899-12-31", null, 400, "dashboard.errors.tooEarly"],
    // a day that has not come would show every open invoice as overdue by then
    [head, "2031-01-01", null, 400, "dashboard.errors.future"],
    [head, "2999-01-01", null, 400, "dashboard.errors.future"],
    [head, null, "customer:C001", 400, "dashboard.errors.badScope"],
    [head, null, "planet:Mars", 400, "dashboard.errors.badScope"],
    [head, null, "region:", 400, "dashboard.errors.badScope"],
    [staff, null, "owner:head@demo.quarterdeck", 403, "dashboard.errors.forbiddenScope"],
    [staff, null, "region:华东", 403, "dashboard.errors.forbiddenScope"],
    [staff, null, "grade:A", 403, "dashboard.errors.forbiddenScope"],
  ] as const)("%o asOf=%s scope=%s is refused", (viewer, asOf, scope, status, key) => {
    const result = readDashboardRequest({ asOf, scope }, viewer, TODAY);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.status).toBe(status);
      expect(result.error.key).toBe(key);
    }
  });

  it("keeps the words as typed, so the form can show what was wrong", () => {
    const result = readDashboardRequest({ asOf: "2026-02-30", scope: "region:华东" }, head, TODAY);
    expect(result.form).toEqual({ asOf: "2026-02-30", scope: "region:华东" });
    expect(result.ok ? null : result.error.values).toEqual({ value: "2026-02-30" });
  });
});

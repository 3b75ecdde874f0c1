import { describe, expect, it } from "vitest";

import { ledgerScopeOf, scopeAllows } from "~/kernel/ledger/scope";
import { listAsOf } from "~/kernel/ledger/list-as-of";
import { invoiceStatus } from "~/kernel/ledger/invoice-status";

describe("ledger scope", () => {
  it("limits staff to their own customers and lets head and leadership see all", () => {
    expect(ledgerScopeOf({ id: 7, role: "staff" })).toEqual({ kind: "owner", ownerId: 7 });
    expect(ledgerScopeOf({ id: 1, role: "head" })).toEqual({ kind: "all" });
    expect(ledgerScopeOf({ id: 2, role: "leader" })).toEqual({ kind: "all" });
  });

  it.each([
    [{ kind: "owner", ownerId: 7 } as const, 7, true],
    [{ kind: "owner", ownerId: 7 } as const, 8, false],
    [{ kind: "owner", ownerId: 7 } as const, null, false],
    [{ kind: "all" } as const, 8, true],
    [{ kind: "all" } as const, null, true],
  ])("%j allows a customer owned by %s: %s", (scope, ownerId, allowed) => {
    expect(scopeAllows(scope, ownerId)).toBe(allowed);
  });
});

describe("the lists' as-of date", () => {
  it.each([
    ["2025-06-30", null, "2025-06-30", false],
    ["2025-06-30", "2025-06-29", "2025-06-30", false],
    ["2025-06-30", "2025-06-30", "2025-06-30", false],
    ["2025-06-30", "2025-07-01", "2025-07-01", true],
  ])("today %s with the latest document %s: as of %s", (today, latest, asOf, later) => {
    expect(listAsOf(today, latest)).toEqual({ asOf, today, laterThanToday: later });
  });
});

describe("invoice status", () => {
  it.each([
    [0, "2025-06-01", "settled"],
    [100, "2025-06-29", "overdue"],
    [100, "2025-06-30", "open"],
    [100, "2025-07-01", "open"],
  ])("open %s due %s on 2025-06-30 is %s", (open, due, status) => {
    expect(invoiceStatus(open, due, "2025-06-30")).toBe(status);
  });
});

import { describe, expect, it } from "vitest";

import { isCurrentSection, navigationFor } from "~/kernel/navigation";
import { PERMISSIONS, ROLES, can, isRole, permissionsOf } from "~/kernel/permissions";

describe("permissions", () => {
  it("denies by default: every permission a role holds is a known permission", () => {
    for (const role of ROLES) {
      for (const p of permissionsOf(role)) expect(PERMISSIONS).toContain(p);
    }
  });

  it.each([
    ["admin", "users:manage", true],
    ["head", "users:manage", false],
    ["staff", "users:manage", false],
    ["leader", "users:manage", false],
    ["head", "plan:edit", true],
    ["staff", "plan:edit", false],
    ["leader", "plan:approve", true],
    ["head", "plan:approve", false],
    ["admin", "plan:edit", false],
    ["admin", "ledger:import", false],
    ["head", "ledger:import", true],
  ] as const)("%s may %s: %s", (role, permission, expected) => {
    expect(can({ id: 1, role }, permission)).toBe(expected);
  });

  it("grants :own permissions only on the user's own records", () => {
    const staff = { id: 7, role: "staff" as const };
    expect(can(staff, "plan-item:update", { ownerId: 7 })).toBe(true);
    expect(can(staff, "plan-item:update", { ownerId: 8 })).toBe(false);
    expect(can(staff, "plan-item:update", { ownerId: null })).toBe(false);
    expect(can(staff, "plan-item:update")).toBe(false);
    expect(can({ id: 1, role: "head" }, "plan-item:update", { ownerId: 8 })).toBe(true);
  });

  it("recognises roles", () => {
    expect(isRole("head")).toBe(true);
    expect(isRole("owner")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });

  it("lists the published status tables for the head and leadership, who publish and read them, not staff", () => {
    expect(navigationFor({ id: 1, role: "head" }).map((n) => n.to)).toContain("/status/published");
    expect(navigationFor({ id: 1, role: "leader" }).map((n) => n.to)).toContain("/status/published");
    expect(navigationFor({ id: 1, role: "staff" }).map((n) => n.to)).not.toContain("/status/published");
    expect(navigationFor({ id: 1, role: "admin" }).map((n) => n.to)).not.toContain("/status/published");
    // On the published tables only their entry is the current page, not the status table's too.
    const status = navigationFor({ id: 1, role: "head" }).find((n) => n.to === "/status");
    expect(status?.exact).toBe(true);
    expect(isCurrentSection("/status", "/status/published", status?.exact)).toBe(false);
    expect(isCurrentSection("/status/published", "/status/published/2026-03")).toBe(true);
    expect(navigationFor({ id: 1, role: "staff" }).find((n) => n.to === "/status")?.exact).toBeUndefined();
  });

  it("shows each role only the navigation it may open", () => {
    expect(navigationFor({ id: 1, role: "admin" }).map((n) => n.to)).toContain("/admin/users");
    for (const role of ["head", "staff", "leader"] as const) {
      expect(navigationFor({ id: 1, role }).map((n) => n.to)).not.toContain("/admin/users");
    }
  });
});

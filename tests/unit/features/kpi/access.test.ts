import { describe, expect, it } from "vitest";

import { kpiAccess } from "~/features/kpi/access";
import { type KpiScope, parseScope } from "~/features/kpi/scope";
import type { Role } from "~/kernel/permissions";

const scope = (text: string): KpiScope => {
  const parsed = parseScope(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.scope;
};
const reader = (role: Role) => ({ id: 7, role, email: "Wang.Fang@Example.com" });

describe("who may read which KPI scope", () => {
  it.each([
    ["head", "region:East", "allowed"],
    ["head", "owner:someone@example.com", "allowed"],
    ["leader", "customer:C9", "allowed"],
    ["leader", "grade:A", "allowed"],
    ["staff", "company", "allowed"],
    ["staff", "owner:wang.fang@example.com", "allowed"],
    ["staff", "owner:WANG.FANG@EXAMPLE.COM", "allowed"],
    ["staff", "owner:li.lei@example.com", "forbidden"],
    ["staff", "customer:C1", "own-customer-only"],
    ["staff", "region:East", "forbidden"],
    ["staff", "grade:A", "forbidden"],
    ["admin", "company", "forbidden"],
    ["admin", "owner:wang.fang@example.com", "forbidden"],
  ] as const)("%s asking for %s: %s", (role, text, kind) => {
    expect(kpiAccess(reader(role), scope(text)).kind).toBe(kind);
  });

  it("names the customer a staff member must own", () => {
    expect(kpiAccess(reader("staff"), scope("customer:C1"))).toEqual({ kind: "own-customer-only", code: "C1" });
  });
});

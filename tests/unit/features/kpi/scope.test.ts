import { describe, expect, it } from "vitest";

import { parseScope, scopeText } from "~/features/kpi/scope";

describe("KPI scopes", () => {
  it.each([
    [undefined, { type: "company" }],
    ["", { type: "company" }],
    ["company", { type: "company" }],
    ["customer:C0001", { type: "customer", code: "C0001" }],
    ["owner:Li.Wei@Example.com", { type: "owner", email: "li.wei@example.com" }],
    ["region:华东", { type: "region", name: "华东" }],
    ["grade:A", { type: "grade", grade: "A" }],
    ["customer:A:B", { type: "customer", code: "A:B" }],
  ])("reads %j", (text, scope) => {
    expect(parseScope(text)).toEqual({ ok: true, scope });
    expect(parseScope(scopeText(scope as never))).toEqual({ ok: true, scope });
  });

  it.each(["customer", "customer:", "planet:Mars", "everything"])("refuses %j with a message naming the valid forms", (text) => {
    const result = parseScope(text);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/company, customer:CODE, owner:EMAIL, region:NAME or grade:G/);
  });
});

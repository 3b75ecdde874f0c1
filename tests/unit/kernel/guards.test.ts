import { describe, expect, it } from "vitest";

import { isOneOf, isRecord } from "~/kernel/guards";

describe("isOneOf", () => {
  const ROLES = ["head", "staff"] as const;
  it("accepts exactly the options", () => {
    expect(isOneOf(ROLES, "head")).toBe(true);
    expect(isOneOf(ROLES, "staff")).toBe(true);
  });
  it.each([["admin"], ["Head"], [""], [null], [undefined], [1], [["head"]], [{ head: true }]])("refuses %j", (value) => {
    expect(isOneOf(ROLES, value)).toBe(false);
  });
  it("compares numbers without coercion", () => {
    expect(isOneOf([1, 2, 3, 4] as const, 3)).toBe(true);
    expect(isOneOf([1, 2, 3, 4] as const, "3")).toBe(false);
  });
});

describe("isRecord", () => {
  it.each([[{}], [{ a: 1 }], [[]], [new Map()]])("accepts the object %j", (value) => {
    expect(isRecord(value)).toBe(true);
  });
  it.each([[null], [undefined], ["text"], [0], [true]])("refuses %j", (value) => {
    expect(isRecord(value)).toBe(false);
  });
});

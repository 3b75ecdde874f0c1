import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { CompactKeyMap } from "~/features/import/compact-key-map";

describe("CompactKeyMap", () => {
  it("behaves like a Map<string, number> for set, get and getOrSet", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            op: fc.constantFrom("set", "get", "getOrSet"),
            key: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom("INV-1", "INV-2", "票-1", "", "a\u0000b")),
            value: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
          }),
          { maxLength: 300 },
        ),
        (ops) => {
          const compact = new CompactKeyMap();
          const model = new Map<string, number>();
          for (const { op, key, value } of ops) {
            if (op === "set") {
              compact.set(key, value);
              model.set(key, value);
            } else if (op === "get") {
              expect(compact.get(key)).toBe(model.get(key));
            } else {
              const before = model.get(key);
              expect(compact.getOrSet(key, value)).toBe(before);
              if (before === undefined) model.set(key, value);
            }
            expect(compact.size).toBe(model.size);
          }
          for (const [key, value] of model) expect(compact.get(key)).toBe(value);
        },
      ),
    );
  });

  it("keeps a quarter million keys through its growth", () => {
    const map = new CompactKeyMap();
    const n = 250_000;
    // one expect for all keys: 250k expect() calls alone took seconds on a busy machine
    const foundAlready: number[] = [];
    for (let i = 0; i < n; i += 1) if (map.getOrSet(`INV-${String(i).padStart(7, "0")}`, i + 2) !== undefined) foundAlready.push(i);
    expect(foundAlready).toEqual([]);
    expect(map.size).toBe(n);
    for (let i = 0; i < n; i += 997) expect(map.get(`INV-${String(i).padStart(7, "0")}`)).toBe(i + 2);
    expect(map.getOrSet("INV-0000003", 99)).toBe(5);
    expect(map.get("INV-9999999")).toBeUndefined();
    expect(map.has("INV-0000000")).toBe(true);
  });

  it("finds a duplicate of an early key after a long ascending run, and keeps answering get() after it", () => {
    const map = new CompactKeyMap(1000);
    const key = (i: number) => `V${String(i).padStart(8, "0")}`;
    for (let i = 1; i <= 5000; i += 1) expect(map.getOrSet(key(i), i + 1)).toBeUndefined();
    // the last key again (still ascending), then an early one (out of order: the table is built)
    expect(map.getOrSet(key(5000), 7)).toBe(5001);
    expect(map.getOrSet(key(17), 7)).toBe(18);
    expect(map.getOrSet(key(4999), 7)).toBe(5000);
    expect(map.getOrSet(key(6000), 7)).toBeUndefined();
    expect(map.getOrSet("票-1", 9)).toBeUndefined();
    expect(map.get(key(1))).toBe(2);
    expect(map.get("票-1")).toBe(9);
    expect(map.size).toBe(5002);
  });

  it("behaves like a Map<string, number> on mostly ascending keys", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ step: fc.integer({ min: -3, max: 20 }), op: fc.constantFrom("set", "getOrSet", "get") }), { maxLength: 400 }),
        fc.integer({ min: 0, max: 500 }),
        (ops, expected) => {
          const compact = new CompactKeyMap(expected);
          const model = new Map<string, number>();
          let at = 100;
          for (const [index, { step, op }] of ops.entries()) {
            at = Math.max(0, at + step);
            const key = `INV-${String(at).padStart(5, "0")}`;
            if (op === "set") {
              compact.set(key, index);
              model.set(key, index);
            } else if (op === "get") {
              expect(compact.get(key)).toBe(model.get(key));
            } else {
              const before = model.get(key);
              expect(compact.getOrSet(key, index)).toBe(before);
              if (before === undefined) model.set(key, index);
            }
          }
          expect(compact.size).toBe(model.size);
          for (const [key, value] of model) expect(compact.get(key)).toBe(value);
        },
      ),
    );
  });
});

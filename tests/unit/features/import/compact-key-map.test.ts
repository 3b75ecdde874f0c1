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
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { parseNestedFields } from "~/kernel/form-fields";

describe("parseNestedFields", () => {
  it("nests dotted names into objects and dense arrays in index order", () => {
    expect(
      parseNestedFields([
        ["intent", "add-instalment"],
        ["instalments.1.amount", "2"],
        ["instalments.0.dueOn", "2027-01-01"],
        ["instalments.0.amount", "1"],
        ["instalments.5.amount", "6"],
      ]),
    ).toEqual({ intent: "add-instalment", instalments: [{ dueOn: "2027-01-01", amount: "1" }, { amount: "2" }, { amount: "6" }] });
  });

  it("never builds an array from a length the user writes (the 4,294,967,295-slot freeze)", () => {
    const result = parseNestedFields([
      ["intent", "add-instalment"],
      ["instalments.0.dueOn", "2027-01-01"],
      ["instalments.0.amount", "1"],
      ["instalments.length", "4294967295"],
      ["grades.length", "4294967295"],
      ["grades.4294967294.code", "A"],
    ]);
    expect(result).toEqual({ intent: "add-instalment", instalments: [{ dueOn: "2027-01-01", amount: "1" }] });
  });

  it.each([
    ["__proto__.polluted", "yes"],
    ["constructor.prototype.polluted", "yes"],
    ["grades.constructor.x", "1"],
    ["grades.0.__proto__", "x"],
    ["prototype", "x"],
    ["length", "3"],
    ["a.100.b", "index above the maximum"],
    ["a.01", "leading zero"],
    ["a.-1", "negative"],
    ["a..b", "empty part"],
    ["a.b.c.d.e", "too deep"],
    ["9lives", "not an identifier"],
    ["0", "an index at the top"],
  ])("drops %s", (name, value) => {
    expect(parseNestedFields([[name, value]])).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("ignores file values, and fields past the maximum count", () => {
    expect(parseNestedFields([["file", new Blob(["x"])]])).toEqual({});
    const many = Array.from({ length: 10 }, (_, i) => [`f${i}`, "x"] as [string, string]);
    expect(Object.keys(parseNestedFields(many, { maxIndex: 99, maxDepth: 4, maxFields: 3 }))).toEqual(["f0", "f1", "f2"]);
  });

  it("keeps one kind per name: a value and nested fields under one name do not overwrite each other", () => {
    expect(parseNestedFields([["a", "text"], ["a.b", "nested"]])).toEqual({ a: "text" });
    expect(parseNestedFields([["a.b", "nested"], ["a", "text"]])).toEqual({ a: { b: "nested" } });
    expect(parseNestedFields([["a.0", "x"], ["a.b", "y"]])).toEqual({ a: ["x"] });
  });

  it("equals a naive nesting for well-formed posts, whatever the order of the fields", () => {
    const field = fc.record({ list: fc.constantFrom("grades", "rules", "instalments"), index: fc.integer({ min: 0, max: 20 }), key: fc.constantFrom("code", "amount", "dueOn"), value: fc.string({ maxLength: 5 }) });
    fc.assert(
      fc.property(fc.array(field, { maxLength: 40 }), (fields) => {
        const entries = fields.map((f) => [`${f.list}.${f.index}.${f.key}`, f.value] as [string, string]);
        // The naive reading: last value wins per (list, index, key); arrays dense in index order.
        const naive: Record<string, Map<number, Record<string, string>>> = {};
        for (const f of fields) {
          const list = (naive[f.list] ??= new Map());
          list.set(f.index, { ...(list.get(f.index) ?? {}), [f.key]: f.value });
        }
        const expected = Object.fromEntries(
          Object.entries(naive).map(([name, list]) => [name, [...list.entries()].sort((a, b) => a[0] - b[0]).map(([, row]) => row)]),
        );
        expect(parseNestedFields(entries)).toEqual(expected);
      }),
    );
  });
});

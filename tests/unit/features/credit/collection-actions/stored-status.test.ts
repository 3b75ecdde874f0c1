import { describe, expect, it } from "vitest";

import { evaluatePromises, promiseNeedsWrite, storedStatusAsOf } from "~/features/credit/collection-actions/promises";

describe("a stored promise status read as of a date", () => {
  const promise = { id: 1, kind: "promise" as const, madeOn: "2025-04-01", dueOn: "2025-04-20", amount: 100 };

  it("agrees with evaluating the ledger as of that date, for every date, once stored from a later evaluation", () => {
    for (const collections of [[{ date: "2025-04-15", amount: 100 }], [{ date: "2025-04-15", amount: 60 }], [{ date: "2025-04-25", amount: 100 }], []]) {
      const [latest] = evaluatePromises([promise], collections, "2025-06-30");
      const stored = { dueOn: promise.dueOn, status: latest!.status, keptOn: latest!.keptOn };
      for (const asOf of ["2025-04-10", "2025-04-15", "2025-04-20", "2025-04-21", "2025-06-30"]) {
        expect(storedStatusAsOf(stored, asOf), `${JSON.stringify(collections)} as of ${asOf}`).toBe(evaluatePromises([promise], collections, asOf)[0]!.status);
      }
    }
  });

  it("leaves a promise still stored as pending out (not yet judged), however late the date", () => {
    expect(storedStatusAsOf({ dueOn: "2025-04-20", status: "pending", keptOn: null }, "2025-12-31")).toBe("pending");
  });

  it("rewrites a row never evaluated or evaluated differently, and only those", () => {
    const result = { status: "kept" as const, paid: 100, keptOn: "2025-04-15" };
    expect(promiseNeedsWrite({ ...result, evaluatedOn: "2025-05-01" }, result)).toBe(false);
    expect(promiseNeedsWrite({ ...result, evaluatedOn: null }, result)).toBe(true);
    expect(promiseNeedsWrite({ status: "pending", paid: 0, keptOn: null, evaluatedOn: "2025-04-01" }, result)).toBe(true);
    expect(promiseNeedsWrite({ ...result, paid: 60, evaluatedOn: "2025-05-01" }, result)).toBe(true);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { beforeAll, describe, expect, it } from "vitest";

import { databaseUrl, getDb } from "~/server/db.server";
import { runImportJob } from "~/features/import/job.server";
import { today } from "~/server/clock.server";
import { keepPromiseStatuses } from "~/features/credit/collection-actions/index.server";
import { promisesByOwner } from "~/features/scoreboard/scoring.server";
import { HOSTILE_EMAIL, Q2, scoreboardLedger, promiseOfEvil1, storedPromise } from "../../../support/scoreboard";

let ownerId = 0;

beforeAll(async () => {
  await scoreboardLedger();
  // One promise kept and one broken in Q2, as in promises-kept.test.ts.
  await promiseOfEvil1("2025-04-01", "2025-04-20", 30_000);
  await promiseOfEvil1("2025-04-21", "2025-05-10", 10_000);
  ownerId = (await getDb().selectFrom("users").select("id").where("email", "=", HOSTILE_EMAIL).executeTakeFirstOrThrow()).id;
});

describe("promises kept after an import", () => {
  it("judges a promise again when an import brings the payment that keeps it, without waiting for the job", async () => {
    const late = await promiseOfEvil1("2025-06-10", "2025-06-20", 5_000);
    await keepPromiseStatuses(getDb(), today());
    expect((await storedPromise(late)).status).toBe("broken");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-promise-"));
    const file = path.join(dir, "payments.csv");
    fs.writeFileSync(file, "payment_no,customer_code,date,amount,invoice_no\nEVIL-PAY-2,EVIL-1,2025-06-15,50.00,EVIL-INV-1\n");
    try {
      const result = await runImportJob({ databaseFile: databaseUrl(), files: [{ path: file, kind: "payments" }], userId: null, source: "cli" });
      expect(result.ok).toBe(true);
      expect(await storedPromise(late)).toEqual({ status: "kept", paid: 5_000, kept_on: "2025-06-15", evaluated_on: today() });
      expect((await promisesByOwner(getDb(), Q2)).get(ownerId)).toEqual({ due: 3, done: 2 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { today } from "~/server/clock.server";
import { keepPromiseStatuses, promiseStatusesJob } from "~/features/credit/collection-actions/index.server";
import { promisesByOwner } from "~/features/scoreboard/scoring.server";
import { HOSTILE_EMAIL, Q2, board, scoreboardLedger, promiseOfEvil1, storedPromise } from "../../../support/scoreboard";

let kept = 0;
let broken = 0;
let ownerId = 0;

beforeAll(async () => {
  await scoreboardLedger();
  // Recorded straight into the table, as the app records them: nobody ever opens EVIL-1's page.
  kept = await promiseOfEvil1("2025-04-01", "2025-04-20", 30_000);
  broken = await promiseOfEvil1("2025-04-21", "2025-05-10", 10_000);
  ownerId = (await getDb().selectFrom("users").select("id").where("email", "=", HOSTILE_EMAIL).executeTakeFirstOrThrow()).id;
});

describe("promises kept on the scoreboard", () => {
  it("counts a promise due in the period that nobody looked at, as kept or broken, once the job has evaluated it; reading writes nothing", async () => {
    const untouched = { status: "pending", paid: 0, kept_on: null, evaluated_on: null };
    // the scoreboard read before the job: nothing written
    await board(`start=${Q2.start}&end=${Q2.end}`);
    expect(await storedPromise(kept)).toEqual(untouched);
    expect(await storedPromise(broken)).toEqual(untouched);

    const day = today();
    expect(await promiseStatusesJob(getDb(), () => day).run()).toBe("Evaluated 2 payment promise(s) against the ledger.");
    expect(await storedPromise(kept)).toEqual({ status: "kept", paid: 30_000, kept_on: "2025-04-15", evaluated_on: day });
    expect(await storedPromise(broken)).toEqual({ status: "broken", paid: 0, kept_on: null, evaluated_on: day });
    // nothing changed since: the next run writes nothing
    expect(await keepPromiseStatuses(getDb(), day)).toBe(0);

    expect((await promisesByOwner(getDb(), Q2)).get(ownerId)).toEqual({ due: 2, done: 1 });
    const row = (await board(`start=${Q2.start}&end=${Q2.end}`)).rows.find((candidate) => candidate.ownerId === ownerId) as unknown as {
      score: { shares: { promisesKept: number | null } };
    };
    expect(row.score.shares.promisesKept).toBe(0.5);
    // as of a day before the broken one fell due, it was not yet judged: only the kept one counts
    expect((await promisesByOwner(getDb(), { start: Q2.start, end: "2025-05-10" })).get(ownerId)).toEqual({ due: 1, done: 1 });
  });
});

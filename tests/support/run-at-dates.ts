/**
 * `npm run test:dates`: the date-sensitive browser and integration tests again at two more business
 * dates, so the turn of a year and a quarter's last day are exercised on every CI run:
 * the next 2 January and the last day of the current quarter (after the real date, in the
 * installation's time zone). `QD_TEST_DATES=2027-01-02,2027-03-31` chooses others.
 */
import { spawnSync } from "node:child_process";

import { businessDateUnderTest } from "./business-date";

const FILES = [
  "tests/integration/db/demo-at-any-date.test.ts",
  "tests/e2e/dashboard.test.ts",
  "tests/e2e/plans.test.ts",
  "tests/e2e/my-tasks.test.ts",
  "tests/e2e/review.test.ts",
  "tests/e2e/review-print.test.ts",
  "tests/e2e/credit-management.test.ts",
  "tests/e2e/credit-review.test.ts",
  "tests/e2e/holds.test.ts",
  "tests/e2e/customer-hold-display.test.ts",
  "tests/e2e/collection-actions.test.ts",
  "tests/e2e/confirmations.test.ts",
  "tests/e2e/status.test.ts",
  "tests/e2e/scoreboard.test.ts",
  "tests/e2e/warnings.test.ts",
  "tests/e2e/review-report.test.ts",
  "tests/e2e/notifications.test.ts",
  "tests/e2e/letters.test.ts",
];

function extraDates(): string[] {
  const given = process.env.QD_TEST_DATES?.split(",").map((d) => d.trim()).filter(Boolean);
  if (given && given.length > 0) return given;
  const today = businessDateUnderTest();
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const quarterEndMonth = Math.ceil(month / 3) * 3;
  // Day 0 of the next month is the last day of this one.
  const quarterEnd = new Date(Date.UTC(year, quarterEndMonth, 0)).toISOString().slice(0, 10);
  return [`${year + 1}-01-02`, quarterEnd];
}

let failed = false;
for (const date of extraDates()) {
  console.log(`\n=== the date-sensitive tests at business date ${date} ===`);
  const run = spawnSync("node_modules/.bin/vitest", ["run", ...FILES], {
    stdio: "inherit",
    env: { ...process.env, QD_TEST_TODAY: date },
  });
  if (run.status !== 0) {
    console.error(`The date-sensitive tests failed at business date ${date}.`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);

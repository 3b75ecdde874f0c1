import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { addDays } from "~/kernel/dates";
import { seedDemo } from "../../../../db/seed";
import { backtest, wape } from "../../../support/forecast-backtest";

/**
 * On the demo ledger (seeded for the run's business date) the company's 13 weeks forecast at four
 * past as-of dates score a lower WAPE than both naive forecasts: every open invoice paid on its due
 * date, and the trailing 13 weeks' average.
 */
const TODAY = process.env.QUARTERDECK_TODAY ?? "";

beforeAll(async () => {
  await seedDemo(getDb());
}, 300_000);

describe("the forecast's backtest on the demo ledger", () => {
  it("beats both naive forecasts over four as-of dates", async () => {
    const dates = [-400, -300, -200, -120].map((d) => addDays(TODAY, d));
    const rows = await backtest(getDb(), dates);
    const all = rows.find((r) => r.asOf === "all")?.score;
    expect(all?.actual).toBeGreaterThan(0);
    if (!all) return;
    const figures = `WAPE: forecast ${wape(all, "forecast")}, due date ${wape(all, "dueDate")}, trailing ${wape(all, "trailing")}`;
    expect(wape(all, "forecast"), figures).toBeLessThan(wape(all, "trailing"));
    expect(wape(all, "forecast"), figures).toBeLessThan(wape(all, "dueDate"));
  }, 120_000);
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { benchLedgerFiles } from "../../../bench/generate-ledger";
import { importGeneratedLedger } from "../../../support/generated-ledger-import";
import { backtest, wape } from "../../../support/forecast-backtest";

/**
 * The forecast against the naive forecasts on a generated ledger (the bench generator at the
 * backtest's size: 10,000 customers, 100,000 invoices over two years, each paid 20–119 days after
 * issue, drawn afresh for every invoice, some unreferenced, some in part). On so steady a ledger
 * the trailing 13 weeks' average is nearly as good as a forecast can be: the generator's own law,
 * knowing every invoice to come, scores 2.71 % over these weeks against the average's 2.74 %
 * (`npm run forecast:backtest`). The forecast scores 2.70 %: it must beat both naive forecasts
 * here as on the demo and the uneven profile (backtest-demo.test.ts, backtest-uneven.test.ts). The
 * margin over the average is thin (0.04 points: on a ledger this steady nothing does much better)
 * but fixed: the ledger is drawn from a seeded generator and the forecast has no randomness.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-backtest-"));

beforeAll(async () => {
  await importGeneratedLedger(benchLedgerFiles(dir, { customers: 10_000, invoices: 100_000, payments: 100_000 }));
}, 300_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the forecast's backtest on a generated ledger", () => {
  it("beats the due-date forecast and the trailing average, over four as-of dates", async () => {
    const rows = await backtest(getDb(), ["2025-06-30", "2025-10-31", "2026-02-28", "2026-06-30"]);
    const all = rows.find((r) => r.asOf === "all")?.score;
    expect(all?.actual).toBeGreaterThan(0);
    if (!all) return;
    const figures = `WAPE: forecast ${wape(all, "forecast")}, due date ${wape(all, "dueDate")}, trailing ${wape(all, "trailing")}`;
    expect(wape(all, "forecast"), figures).toBeLessThan(wape(all, "dueDate"));
    expect(wape(all, "forecast"), figures).toBeLessThan(wape(all, "trailing"));
  }, 120_000);
});

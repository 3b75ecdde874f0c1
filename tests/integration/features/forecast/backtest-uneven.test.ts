import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { addDays } from "~/kernel/dates";
import { unevenLedgerFiles } from "../../../bench/generate-ledger";
import { importGeneratedLedger } from "../../../support/generated-ledger-import";
import { backtest, wape } from "../../../support/forecast-backtest";

/**
 * On a small ledger of the uneven profile (20,000 invoices for 200 customers of very different
 * sizes; half the payments name no invoice and settle the oldest items, 8 % of invoices are never
 * paid and a tenth in part, credit notes, write-offs and offsets) the open invoices one by one say
 * far more comes in than does; the forecast must still beat both naive forecasts over four as-of
 * dates a quarter apart (the last half a year before the last invoice, so all 13 weeks came in).
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-backtest-uneven-"));

beforeAll(async () => {
  await importGeneratedLedger(unevenLedgerFiles(dir, { invoices: 20_000 }));
}, 300_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the forecast's backtest on a small uneven ledger", () => {
  it("beats both naive forecasts over four as-of dates", async () => {
    const db = getDb();
    const last = (await db.selectFrom("invoices").select((eb) => eb.fn.max("issue_date").as("d")).executeTakeFirstOrThrow()).d ?? "";
    const rows = await backtest(db, [-450, -360, -270, -180].map((d) => addDays(last, d)));
    const all = rows.find((r) => r.asOf === "all")?.score;
    expect(all?.actual).toBeGreaterThan(0);
    if (!all) return;
    const figures = `WAPE: forecast ${wape(all, "forecast")}, due date ${wape(all, "dueDate")}, trailing ${wape(all, "trailing")}`;
    expect(wape(all, "forecast"), figures).toBeLessThan(wape(all, "trailing"));
    expect(wape(all, "forecast"), figures).toBeLessThan(wape(all, "dueDate"));
  }, 120_000);
});

import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { migrateToLatest } from "../../db/migrate";
import { seedDemo } from "../../db/seed";
import { type Db, createDb } from "~/server/db.server";
import { addDays, toEpochDay } from "~/kernel/dates";
import { type WapeKey, backtest, wape } from "../support/forecast-backtest";
import { BENCH_DIR, ensureBenchDatabase, importChildScript } from "./bench-db";
import { IMPORT_FORMAT, benchLedgerFiles, unevenLedgerFiles } from "./generate-ledger";

/**
 * npm run forecast:backtest — how far to trust the collections forecast. On the demo ledger and two
 * generated ones (the even bench ledger and the uneven profile), at several past as-of dates, the
 * company's 13 weekly forecasts are held against what came in and scored by WAPE beside the two
 * naive forecasts (tests/support/forecast-backtest.ts). BACKTEST_INVOICES sets the even ledger's
 * size (default 100,000 invoices and payments), BACKTEST_SMALL a second, smaller one's (default
 * 60,000 for 2,000 customers; 0 leaves it out), BACKTEST_UNEVEN the uneven one's (default 250,000).
 * BACKTEST_ONLY (a comma-separated list of demo, generated, small, uneven) runs only those;
 * BACKTEST_DECIMALS=2 prints the WAPEs to two decimals.
 */
const SIZE = Number(process.env.BACKTEST_INVOICES ?? 100_000);
const SMALL = Number(process.env.BACKTEST_SMALL ?? 60_000);
const SMALL_CUSTOMERS = 2_000;
const UNEVEN = Number(process.env.BACKTEST_UNEVEN ?? 250_000);
const ONLY = process.env.BACKTEST_ONLY?.split(",");
const wanted = (name: string) => !ONLY || ONLY.includes(name);

const pct = (value: number) => `${(value * 100).toFixed(process.env.BACKTEST_DECIMALS === "2" ? 2 : 1)} %`;

async function run(label: string, db: Db, dates: string[], law?: Map<string, number>): Promise<string[]> {
  return (await backtest(db, dates)).map(({ asOf, score }) => {
    const [forecast, dueDate, trailing] = (["forecast", "dueDate", "trailing"] as WapeKey[]).map((key) => pct(wape(score, key)));
    const known = law?.get(asOf);
    return `| ${label} | ${asOf} | ${forecast} | ${dueDate} | ${trailing} | ${known === undefined ? "—" : pct(known)} |`;
  });
}

/**
 * The even generator's own law as a forecast, the best any forecast could do on its ledger in
 * expectation: it knows which invoices are still unpaid at asOf and every invoice to come (issue
 * date and amount), and that invoice i is paid 20–119 days after its issue, evenly, 97.5 % of it
 * on average (generate-ledger.ts: 85 % in full, 10 % a round sum, 5 % half), payment Pn paying
 * invoice In. Its WAPE over the same weeks, by date and all together ("all").
 */
async function generatorLaw(db: Db, dates: string[]): Promise<Map<string, number>> {
  const invoices = await db.selectFrom("invoices").select(["invoice_no", "issue_date", "amount"]).execute();
  const payments = await db.selectFrom("payments").select(["payment_no", "date", "amount"]).execute();
  const byDay = new Map<number, number>();
  const paidOn = new Map<string, number>();
  for (const p of payments) {
    const day = toEpochDay(p.date);
    byDay.set(day, (byDay.get(day) ?? 0) + Number(p.amount));
    paidOn.set(`I${p.payment_no.slice(1)}`, day);
  }
  const scores = new Map<string, number>();
  let error = 0;
  let actual = 0;
  for (const asOf of dates) {
    const asOfDay = toEpochDay(asOf);
    const expected = new Float64Array(91);
    for (const invoice of invoices) {
      const paid = paidOn.get(invoice.invoice_no);
      if (paid === undefined || paid <= asOfDay) continue;
      const issue = toEpochDay(invoice.issue_date);
      const from = Math.max(issue + 20, asOfDay + 1);
      const to = issue + 119;
      for (let day = from; day <= Math.min(to, asOfDay + 91); day++) expected[day - asOfDay - 1]! += (0.975 * Number(invoice.amount)) / (to - from + 1);
    }
    let dateError = 0;
    let dateActual = 0;
    for (let week = 0; week < 13; week++) {
      let forecast = 0;
      let came = 0;
      for (let d = 7 * week; d < 7 * week + 7; d++) {
        forecast += expected[d] ?? 0;
        came += byDay.get(asOfDay + 1 + d) ?? 0;
      }
      dateError += Math.abs(forecast - came);
      dateActual += came;
    }
    scores.set(asOf, dateError / dateActual);
    error += dateError;
    actual += dateActual;
  }
  scores.set("all", error / actual);
  return scores;
}

async function demoDatabase(): Promise<Db> {
  const file = path.join(BENCH_DIR, "forecast-demo.db");
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  const fresh = !fs.existsSync(file);
  // the demo's seed writes the ledger through its own connection to DATABASE_URL
  process.env.DATABASE_URL = file;
  const db = createDb(file);
  await migrateToLatest(db);
  if (fresh) await seedDemo(db);
  return db;
}

/** A ledger imported in a child process from its files, reused when present. */
async function importedDatabase(file: string, files: string[]): Promise<string> {
  const done = `${file}.complete`;
  if (fs.existsSync(file) && fs.existsSync(done) && fs.readFileSync(done, "utf8").includes(IMPORT_FORMAT)) return file;
  for (const suffix of ["", "-wal", "-shm", ".complete"]) fs.rmSync(file + suffix, { force: true });
  console.log(`importing ${files.join(", ")} into ${file} …`);
  const child = fork(importChildScript(), [file, ...files], { execArgv: [] });
  await new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`import exited with ${code}`))));
  });
  fs.writeFileSync(done, `${new Date().toISOString()} ${IMPORT_FORMAT}`);
  return file;
}

/** The smaller even ledger: SMALL invoices and payments for 2,000 customers. */
async function smallDatabase(invoices: number): Promise<string> {
  const files = benchLedgerFiles(BENCH_DIR, { customers: SMALL_CUSTOMERS, invoices, payments: invoices });
  return importedDatabase(path.join(BENCH_DIR, `small-${SMALL_CUSTOMERS}-${invoices}.db`), [files.customers, files.invoices, files.payments]);
}

/** The uneven profile's ledger (with its adjustments) imported as the bench ledgers are, reused when present. */
async function unevenDatabase(invoices: number): Promise<string> {
  const files = unevenLedgerFiles(BENCH_DIR, { invoices });
  return importedDatabase(path.join(BENCH_DIR, `uneven-${invoices}.db`), [files.customers, files.invoices, files.payments, files.adjustments]);
}

const lines = [
  "| ledger | as of | forecast WAPE | due-date WAPE | trailing-13-weeks WAPE | the generator's own law |",
  "| --- | --- | --- | --- | --- | --- |",
];
const today = process.env.QUARTERDECK_TODAY ?? "2026-12-07";
const evenDates = ["2025-06-30", "2025-10-31", "2026-02-28", "2026-06-30"];
if (wanted("demo")) {
  const demo = await demoDatabase();
  lines.push(...(await run("demo", demo, [addDays(today, -400), addDays(today, -300), addDays(today, -200), addDays(today, -120)])));
  await demo.destroy();
}
if (wanted("generated")) {
  const generated = createDb(await ensureBenchDatabase(SIZE));
  await migrateToLatest(generated);
  lines.push(...(await run(`generated ${SIZE.toLocaleString("en")}`, generated, evenDates, await generatorLaw(generated, evenDates))));
  await generated.destroy();
}
if (SMALL > 0 && wanted("small")) {
  const small = createDb(await smallDatabase(SMALL));
  await migrateToLatest(small);
  lines.push(
    ...(await run(`generated ${SMALL.toLocaleString("en")} (${SMALL_CUSTOMERS.toLocaleString("en")} customers)`, small, evenDates, await generatorLaw(small, evenDates))),
  );
  await small.destroy();
}
if (wanted("uneven")) {
  const uneven = createDb(await unevenDatabase(UNEVEN));
  await migrateToLatest(uneven);
  const last = (await uneven.selectFrom("invoices").select((eb) => eb.fn.max("issue_date").as("d")).executeTakeFirst())?.d ?? today;
  // four dates a quarter apart, the last a half year before the last invoice (its 13 weeks all came in)
  const unevenDates = [-450, -360, -270, -180].map((d) => addDays(last, d));
  lines.push(...(await run(`uneven ${UNEVEN.toLocaleString("en")}`, uneven, unevenDates)));
  await uneven.destroy();
}
console.log(lines.join("\n"));

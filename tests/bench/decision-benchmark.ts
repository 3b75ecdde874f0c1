import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

import SQLite from "better-sqlite3";

import { today } from "~/server/clock.server";
import { fiscalYearOf } from "~/kernel/dates";
import { DEMO_PASSWORD, DEMO_USERS } from "../../db/seed";
import { BENCH_DIR, percentile } from "./bench-db";

/**
 * npm run bench:decision — the KPI pages of the served demo before and after one credit-review
 * decision. Serves a fresh demo database (seeded by `npm start` itself) from the build (run
 * `npm run build` first), signs in as the head, times the dashboard, the running year's review and
 * the scoreboard, accepts one suggested change on the open review through the real form post,
 * prints the KPI summaries' state and times the pages again. A decision must leave the pages as
 * fast as before: the summaries move with the customer in the decision's transaction.
 */
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

if (!fs.existsSync("build/index.js")) throw new Error("No build: run `npm run build` first.");
const databaseFile = path.join(BENCH_DIR, "decision-demo.db");
fs.mkdirSync(BENCH_DIR, { recursive: true });
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(databaseFile + suffix, { force: true });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const businessDate = today();
console.log(`seeding and serving a fresh demo at ${businessDate} from ${databaseFile} …`);
const server = spawn("node_modules/.bin/tsx", ["db/cli/start.ts"], {
  env: { ...process.env, DATABASE_URL: databaseFile, PORT: String(port), HOST: "127.0.0.1", QUARTERDECK_TODAY: businessDate },
  stdio: ["ignore", "pipe", "pipe"],
});
let output = "";
await new Promise<void>((resolve, reject) => {
  server.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes("Quarterdeck is serving")) resolve();
  });
  server.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.once("exit", (code) => reject(new Error(`the app exited with ${code}:\n${output}`)));
});

try {
  const head = DEMO_USERS.find((user) => user.role === "head")!;
  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    body: new URLSearchParams({ email: head.email, password: DEMO_PASSWORD }),
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
  if (!cookie) throw new Error(`sign-in failed: ${login.status}`);

  const pages = ["/", `/review/${fiscalYearOf(businessDate, 1).fiscalYear}`, "/scoreboard"];
  const timePages = async (label: string) => {
    for (const page of pages) {
      const times: number[] = [];
      for (let i = 0; i < REPEATS; i += 1) {
        const started = performance.now();
        const response = await fetch(`${base}${page}`, { headers: { Cookie: cookie } });
        await response.text();
        if (response.status !== 200) throw new Error(`${page}: ${response.status}`);
        times.push(performance.now() - started);
      }
      const ms = times.map((t) => Math.round(t));
      console.log(`${label.padEnd(7)} ${page.padEnd(14)} p50 ${Math.round(percentile(times, 50))} ms, max ${Math.max(...ms)} ms  (${ms.join(", ")})`);
    }
  };
  const db = new SQLite(databaseFile, { readonly: true });
  const hasWaitingTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'kpi_summary_pending_customers'").get() !== undefined;
  const summaryState = () => ({
    rebuild_needed: (db.prepare("SELECT rebuild_needed FROM kpi_summary_status").get() as { rebuild_needed: number }).rebuild_needed,
    // (absent before the table existed: lets the same command measure an older build)
    customers_waiting: hasWaitingTable ? (db.prepare("SELECT count(*) AS n FROM kpi_summary_pending_customers").get() as { n: number }).n : "n/a",
  });

  console.log("KPI summaries:", summaryState());
  await timePages("before");
  // An undecided row whose suggestion changes the customer without waiting for a leader.
  const row = db
    .prepare(
      `SELECT i.id, i.review_id, c.code, i.current_grade, i.suggested_grade, i.current_limit, i.suggested_limit
       FROM credit_review_items i JOIN credit_reviews r ON r.id = i.review_id JOIN customers c ON c.id = i.customer_id
       WHERE r.status = 'open' AND i.decision IS NULL AND i.suggested_grade IS NOT NULL
         AND (i.suggested_grade IS NOT i.current_grade OR i.suggested_limit IS NOT i.current_limit)
         AND coalesce(i.suggested_limit, 0) <= coalesce(i.current_limit, 0)
       ORDER BY i.id LIMIT 1`,
    )
    .get() as { id: number; review_id: number; code: string; current_grade: string; suggested_grade: string; current_limit: number; suggested_limit: number };
  const started = performance.now();
  const decided = await fetch(`${base}/credit/review/${row.review_id}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ intent: "decide", itemId: String(row.id), decision: "accept" }),
  });
  await decided.text();
  const decisionMs = Math.round(performance.now() - started);
  const applied = db.prepare("SELECT credit_grade, credit_limit FROM customers WHERE code = ?").get(row.code);
  console.log(
    `accepted ${row.code}: ${row.current_grade} ${row.current_limit} -> ${row.suggested_grade} ${row.suggested_limit} (HTTP ${decided.status}, ${decisionMs} ms); customer now`,
    applied,
  );
  console.log("KPI summaries:", summaryState());
  await timePages("after");
  db.close();
} finally {
  server.kill("SIGTERM");
}

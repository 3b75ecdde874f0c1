import fs from "node:fs";
import type { AddressInfo } from "node:net";

/**
 * `npx tsx tests/bench/first-view-benchmark.ts DATABASE` — the first dashboard view of a server
 * freshly started on a database an import has just written (e.g. the one `bench:import` leaves,
 * or `tests/bench/import-child.ts` run by hand): wall-clock and this process's CPU time of the
 * first `/` and of the next few. The server runs in this process without the background jobs
 * (as in bench:import), so the first view does whatever the import left undone itself.
 * Run it under `node --cpu-prof --import tsx` to see where that time goes.
 */
const databaseFile = process.argv[2];
if (!databaseFile || !fs.existsSync(databaseFile)) throw new Error("usage: first-view-benchmark DATABASE");
process.env.DATABASE_URL = databaseFile;
process.env.NODE_ENV ??= "production";

// FIRST_VIEW_SQL=ms prints each statement of the first view that took at least that long.
const slowSql = process.env.FIRST_VIEW_SQL ? Number(process.env.FIRST_VIEW_SQL) : null;
let tracing = false;
if (slowSql !== null) {
  const { default: SQLite } = await import("better-sqlite3");
  const prepare = SQLite.prototype.prepare;
  SQLite.prototype.prepare = function (this: InstanceType<typeof SQLite>, source: string) {
    const statement = prepare.call(this, source);
    for (const method of ["all", "get", "run", "iterate"] as const) {
      const original = statement[method] as (...args: unknown[]) => unknown;
      (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        const started = performance.now();
        const stack = tracing && process.env.FIRST_VIEW_STACK ? new Error("where").stack : undefined;
        const result = original.apply(statement, args);
        const ms = performance.now() - started;
        if (tracing && ms >= slowSql) console.log(`  ${ms.toFixed(0).padStart(6)} ms ${method} ${source.replace(/\s+/g, " ").slice(0, 300)}`);
        if (stack && ms >= 1000) console.log(stack);
        return result;
      };
    }
    return statement;
  } as typeof prepare;
}

const { migrateToLatest } = await import("../../db/migrate");
const { getDb } = await import("~/server/db.server");
const { createUser, findUserForLogin } = await import("~/features/users/index.server");
const { hashPassword } = await import("~/server/password.server");
const { createHttpApp, loadServerBuild } = await import("~/server/http.server");

const email = "first-view@bench.test";
const password = "bench password 1";
await migrateToLatest(getDb());
if (!(await findUserForLogin(getDb(), email))) {
  await createUser(getDb(), { email, name: "Bench", role: "head", passwordHash: await hashPassword(password) }, null);
}
const app = createHttpApp(await loadServerBuild());
const server = await new Promise<import("node:http").Server>((resolve) => {
  const s = app.listen(0, "127.0.0.1", () => resolve(s));
});
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const login = await fetch(`${base}/login`, {
  method: "POST",
  redirect: "manual",
  headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
  body: new URLSearchParams({ email, password }),
});
const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
if (!cookie) throw new Error(`sign-in failed: ${login.status}`);

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
for (let i = 0; i < 4; i += 1) {
  tracing = i === 0;
  const cpu = cpuMs();
  const started = performance.now();
  const response = await fetch(`${base}/`, { headers: { Cookie: cookie } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`the dashboard answered ${response.status}`);
  console.log(`view ${i + 1}: ${(performance.now() - started).toFixed(0)} ms wall, ${(cpuMs() - cpu).toFixed(0)} ms CPU (this process)`);
}
server.close();
process.exit(0);

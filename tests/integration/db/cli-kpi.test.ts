import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { kpiAnswer } from "~/features/kpi/kpi.server";
import { kpiCommand } from "../../../db/cli/kpi-command";
import { makeUser } from "../../support/app";
import { KPI_AS_OF, importKpiLedger, kpiLedgerOwners } from "../../support/kpi-ledger";

const run = promisify(execFile);
const owners = kpiLedgerOwners("cli");

beforeAll(async () => {
  await makeUser("staff", { email: owners.a });
  await importKpiLedger(owners);
});

/** A real process (~0.8 s each): used for the few cases that prove the wiring of stdout, stderr and exit codes. */
async function kpiProcess(...args: string[]) {
  try {
    const { stdout, stderr } = await run("node_modules/.bin/tsx", ["db/cli/kpi.ts", ...args], { env: process.env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe("npm run kpi, as a process", () => {
  it("prints one JSON line equal to kpiAnswer (exit 0), and a message without a stack trace on bad input (exit 1)", async () => {
    const [ok, unknownCustomer, noJson] = await Promise.all([
      kpiProcess("--as-of", KPI_AS_OF, "--json"),
      kpiProcess("--as-of", KPI_AS_OF, "--scope", "customer:NOPE", "--json"),
      kpiProcess("--as-of", KPI_AS_OF),
    ]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout.endsWith("\n")).toBe(true);
    expect(ok.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(ok.stdout)).toEqual(plain(await kpiAnswer(getDb(), { asOf: KPI_AS_OF })));
    // hand-checked (tests/support/kpi-ledger.ts)
    expect(JSON.parse(ok.stdout)).toMatchObject({ ar_total: 3500.5, overdue_total: 1500.5, billed: 2500.5, collected: 700 });
    // every invoice is under a year old: 5 % of 3,500.50 = 175.025, rounded half up
    expect(JSON.parse(ok.stdout)).toMatchObject({ provision_total: 175.03, provision_ratio: 17503 / 350050 });

    expect(unknownCustomer).toEqual({ code: 1, stdout: "", stderr: "scope customer:NOPE names no known customer\n" });
    expect(noJson.code).toBe(1);
    expect(noJson.stdout).toBe("");
    expect(noJson.stderr).toMatch(/^--json is required: JSON is the only output format\.\nUsage: npm run -s kpi/);
  }, 90_000); // three tsx processes start at once: slow on a busy machine
});

describe("npm run kpi's command, in-process", () => {
  it("passes scope, period start and baseline through", async () => {
    const request = { asOf: KPI_AS_OF, scope: `owner:${owners.a}`, periodStart: "2026-02-01", baseline: "2026-01-31" };
    const result = await kpiCommand([
      "--json",
      "--as-of", request.asOf,
      "--scope", request.scope,
      "--period-start", request.periodStart,
      "--baseline", request.baseline,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual(plain(await kpiAnswer(getDb(), request)));
    expect(JSON.parse(result.stdout)).toMatchObject({ ar_total: 3100.5, overdue_at_baseline: 600, period: { start: "2026-02-01" } });
  });

  it.each([
    [["--as-of", "2026-02-30", "--json"], /^--as-of must be a real date written YYYY-MM-DD, got "2026-02-30"\n$/],
    [["--as-of", "31/03/2026", "--json"], /^--as-of must be a real date written YYYY-MM-DD/],
    [["--scope", "company", "--json"], /^--as-of is required \(YYYY-MM-DD\)\n$/],
    [["--as-of", "--json"], /^Option '--as-of' argument is ambiguous\.\nDid you forget to specify the option argument/],
    [["--as-of", KPI_AS_OF, "--scope", "customer:NOPE", "--json"], /^scope customer:NOPE names no known customer\n$/],
    [["--as-of", KPI_AS_OF, "--scope", "owner:nobody@example.test", "--json"], /^scope owner:nobody@example\.test names no known owner\n$/],
    [["--as-of", KPI_AS_OF, "--scope", "region:Mars", "--json"], /^scope region:Mars names no known region\n$/],
    [["--as-of", KPI_AS_OF, "--scope", "grade:Z", "--json"], /^scope grade:Z names no known grade\n$/],
    [["--as-of", KPI_AS_OF, "--scope", "planet:mars", "--json"], /^scope "planet:mars" is not one of company, customer:CODE/],
    [["--as-of", KPI_AS_OF, "--period-start", "2026-04-01", "--json"], /^--period-start 2026-04-01 is after --as-of 2026-03-31\n$/],
    [["--as-of", KPI_AS_OF, "--baseline", "last-year", "--json"], /^--baseline must be a real date/],
    [["--as-of", KPI_AS_OF, "--bogus", "--json"], /^Unknown option '--bogus'.*\nUsage: /s],
    [["--as-of", KPI_AS_OF, "extra", "--json"], /positional argument.*\nUsage: /s],
    [["--as-of", KPI_AS_OF], /^--json is required/],
  ])("refuses %j with a message (exit 1)", async (args, message) => {
    const result = await kpiCommand(args);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
  });

  it("prints the usage on --help (exit 0)", async () => {
    expect(await kpiCommand(["--help"])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Usage: npm run -s kpi/) });
  });
});

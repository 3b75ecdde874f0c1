import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { forecastFor, forecastJson, resolveForecastRequest } from "~/features/forecast/index.server";
import { forecastCommand } from "../../../db/cli/forecast-command";
import { makeUser } from "../../support/app";
import { FORECAST_AS_OF, forecastLedgerOwners, importForecastLedger } from "../../support/forecast-ledger";

const run = promisify(execFile);
const owners = forecastLedgerOwners("cli");

beforeAll(async () => {
  await makeUser("staff", { email: owners.a });
  await importForecastLedger(owners);
});

async function forecastProcess(...args: string[]) {
  try {
    const { stdout, stderr } = await run("node_modules/.bin/tsx", ["db/cli/forecast.ts", ...args], { env: process.env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe("npm run forecast", () => {
  it("prints one JSON line equal to the API's object (exit 0), and one message on bad input (exit 1)", async () => {
    const [ok, unknownCustomer] = await Promise.all([
      forecastProcess("--as-of", FORECAST_AS_OF, "--scope", `owner:${owners.a}`, "--weeks", "6", "--json"),
      forecastProcess("--as-of", FORECAST_AS_OF, "--scope", "customer:NOPE", "--json"),
    ]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout.trimEnd().split("\n")).toHaveLength(1);
    const request = resolveForecastRequest({ asOf: FORECAST_AS_OF, scope: `owner:${owners.a}`, weeks: "6" });
    expect(JSON.parse(ok.stdout)).toEqual(plain(forecastJson(await forecastFor(getDb(), request))));
    // owner A: I-1 (2,000.00 on 04-30) and I-2 (500.00 on 05-09)
    expect((JSON.parse(ok.stdout) as { weeks: { open: number }[] }).weeks.map((week) => week.open)).toEqual([0, 0, 0, 0, 2000, 500]);
    expect(unknownCustomer).toEqual({ code: 1, stdout: "", stderr: "scope customer:NOPE names no known customer\n" });
  }, 90_000); // two tsx processes start at once: slow on a busy machine

  it("refuses bad flags with one message and exit 1", async () => {
    expect(await forecastCommand(["--as-of", "2026-13-01", "--json"])).toEqual({ code: 1, stdout: "", stderr: '--as-of must be a real date written YYYY-MM-DD, got "2026-13-01"\n' });
    expect(await forecastCommand(["--json"])).toEqual({ code: 1, stdout: "", stderr: "--as-of is required (YYYY-MM-DD)\n" });
    expect(await forecastCommand(["--as-of", FORECAST_AS_OF, "--weeks", "53", "--json"])).toEqual({ code: 1, stdout: "", stderr: '--weeks must be a whole number from 1 to 52, got "53"\n' });
    const noJson = await forecastCommand(["--as-of", FORECAST_AS_OF]);
    expect(noJson.code).toBe(1);
    expect(noJson.stderr).toMatch(/^--json is required/);
    const unknownFlag = await forecastCommand(["--as-of", FORECAST_AS_OF, "--json", "--scopes", "company"]);
    expect(unknownFlag.code).toBe(1);
    expect(unknownFlag.stderr).toMatch(/Unknown option '--scopes'/);
  });
});

import fs from "node:fs";
import { parseArgs } from "node:util";

import { databasePath, getDb } from "../../app/server/db.server";
import { forecastFor, forecastJson, resolveForecastRequest } from "../../app/features/forecast/index.server";
import { AppError } from "../../app/kernel/app-error";
import { migrateToLatest } from "../migrate";
import type { CommandResult } from "./kpi-command";

export const FORECAST_USAGE = `Usage: npm run -s forecast -- --as-of YYYY-MM-DD [--scope company|customer:CODE|owner:EMAIL|region:NAME|grade:G]
                             [--weeks N] --json
Prints the collections forecast after the as-of date as one line of JSON on stdout: N weeks
(default 13), 12 months and the expected write-off, from the database named by DATABASE_URL.
--json is required (the only output format). Exit 1 with a message on bad input.`;

const failure = (message: string): CommandResult => ({ code: 1, stdout: "", stderr: `${message}\n` });

/** `npm run forecast` without the process around it (tests run it in-process); the caller closes the database. */
export async function forecastCommand(args: string[]): Promise<CommandResult> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        "as-of": { type: "string" },
        scope: { type: "string" },
        weeks: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return failure(`${error instanceof Error ? error.message : String(error)}\n${FORECAST_USAGE}`);
  }
  if (values.help) return { code: 0, stdout: `${FORECAST_USAGE}\n`, stderr: "" };
  if (!values.json) return failure(`--json is required: JSON is the only output format.\n${FORECAST_USAGE}`);
  try {
    // The words are checked before the database is opened, and named as the flags are.
    const request = resolveForecastRequest({ asOf: values["as-of"] ?? "", scope: values.scope, weeks: values.weeks }, { asOf: "--as-of", weeks: "--weeks" });
    const file = databasePath();
    if (!fs.existsSync(file)) {
      return failure(`No database at ${file}: set DATABASE_URL, or create it with npm run db:migrate and npm run import.`);
    }
    const db = getDb();
    await migrateToLatest(db);
    return { code: 0, stdout: `${JSON.stringify(forecastJson(await forecastFor(db, request)))}\n`, stderr: "" };
  } catch (error) {
    if (error instanceof AppError) return failure(error.messageKey);
    return failure(`forecast: ${error instanceof Error ? error.message : String(error)}`);
  }
}

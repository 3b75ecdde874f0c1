import fs from "node:fs";
import { parseArgs } from "node:util";

import { databasePath, getDb } from "../../app/server/db.server";
import { AppError } from "../../app/kernel/app-error";
import { CLI_NAMES, resolveProvisionRequest } from "../../app/features/provisions";
import { computeProvision, provisionJson } from "../../app/features/provisions/index.server";
import { migrateToLatest } from "../migrate";
import type { CommandResult } from "./kpi-command";

export const PROVISION_USAGE = `Usage: npm run -s provision -- --as-of YYYY-MM-DD --method ladder|matrix [--basis issue|due]
                              [--bands 365,730,1095,1460,1825 --rates 5,10,20,50,80,100]
                              [--scope company|customer:CODE|owner:EMAIL|region:NAME|grade:G] --json
Prints the bad-debt provision as one line of JSON on stdout (amounts in major units, rates as
fractions), from the database named by DATABASE_URL. --bands are the upper ages in days of every
band but the last (an invoice aged exactly 365 days is in the first band), --rates percentages, one
more than the bands; without them the stored rate table applies. Exit 1 with a message on bad input.`;

const failure = (message: string): CommandResult => ({ code: 1, stdout: "", stderr: `${message}\n` });

/** `npm run provision` without the process around it (tests run it in-process); the caller closes the database. */
export async function provisionCommand(args: string[]): Promise<CommandResult> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        "as-of": { type: "string" },
        method: { type: "string" },
        basis: { type: "string" },
        bands: { type: "string" },
        rates: { type: "string" },
        scope: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return failure(`${error instanceof Error ? error.message : String(error)}\n${PROVISION_USAGE}`);
  }
  if (values.help) return { code: 0, stdout: `${PROVISION_USAGE}\n`, stderr: "" };
  if (!values.json) return failure(`--json is required: JSON is the only output format.\n${PROVISION_USAGE}`);
  try {
    // The words are checked before the database is opened, and named as the flags are.
    const request = resolveProvisionRequest(
      { asOf: values["as-of"], method: values.method, basis: values.basis, bands: values.bands, rates: values.rates, scope: values.scope },
      CLI_NAMES,
    );
    const file = databasePath();
    if (!fs.existsSync(file)) return failure(`No database at ${file}: set DATABASE_URL, or create it with npm run db:migrate and npm run import.`);
    const db = getDb();
    await migrateToLatest(db);
    return { code: 0, stdout: `${JSON.stringify(provisionJson(await computeProvision(db, request)))}\n`, stderr: "" };
  } catch (error) {
    if (error instanceof AppError) return failure(error.messageKey);
    return failure(`provision: ${error instanceof Error ? error.message : String(error)}`);
  }
}

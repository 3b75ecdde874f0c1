import fs from "node:fs";
import { parseArgs } from "node:util";

import { databasePath, getDb } from "../../app/server/db.server";
import { kpiAnswer, resolveKpiRequest } from "../../app/features/kpi/kpi.server";
import { AppError } from "../../app/kernel/app-error";
import { migrateToLatest } from "../migrate";

export const KPI_USAGE = `Usage: npm run -s kpi -- --as-of YYYY-MM-DD [--scope company|customer:CODE|owner:EMAIL|region:NAME|grade:G]
                        [--period-start YYYY-MM-DD] [--baseline YYYY-MM-DD] --json
Prints the KPI object of KPIS.md section 5 as one line of JSON on stdout, from the database named
by DATABASE_URL. --json is required (the only output format). Exit 1 with a message on bad input.`;

export interface CommandResult {
  code: 0 | 1;
  stdout: string;
  stderr: string;
}

const failure = (message: string): CommandResult => ({ code: 1, stdout: "", stderr: `${message}\n` });

/**
 * `npm run kpi` without the process around it (so tests run it in-process): the arguments in,
 * what to print and the exit code out. Uses the shared database client; the caller closes it.
 */
export async function kpiCommand(args: string[]): Promise<CommandResult> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        "as-of": { type: "string" },
        scope: { type: "string" },
        "period-start": { type: "string" },
        baseline: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return failure(`${error instanceof Error ? error.message : String(error)}\n${KPI_USAGE}`);
  }
  if (values.help) return { code: 0, stdout: `${KPI_USAGE}\n`, stderr: "" };
  if (!values.json) return failure(`--json is required: JSON is the only output format.\n${KPI_USAGE}`);

  const request = {
    asOf: values["as-of"] ?? "",
    scope: values.scope,
    periodStart: values["period-start"],
    baseline: values.baseline,
  };
  try {
    // The words are checked before the database is opened, and named as the flags are.
    resolveKpiRequest(request, { asOf: "--as-of", periodStart: "--period-start", baseline: "--baseline" });
    const file = databasePath();
    if (!fs.existsSync(file)) {
      return failure(`No database at ${file}: set DATABASE_URL, or create it with npm run db:migrate and npm run import.`);
    }
    const db = getDb();
    await migrateToLatest(db);
    return { code: 0, stdout: `${JSON.stringify(await kpiAnswer(db, request))}\n`, stderr: "" };
  } catch (error) {
    // Unknown scope targets (customer, owner, region, grade) are refused the same way (404).
    if (error instanceof AppError) return failure(error.messageKey);
    return failure(`kpi: ${error instanceof Error ? error.message : String(error)}`);
  }
}

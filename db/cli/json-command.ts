import fs from "node:fs";
import { parseArgs } from "node:util";

import { databasePath, databaseUrl, getDb, isPostgresUrl, type Db } from "../../app/server/db.server";
import { AppError } from "../../app/kernel/app-error";
import { migrateToLatest } from "../migrate";

export interface CommandResult {
  code: 0 | 1;
  stdout: string;
  stderr: string;
}

/** One of the read-only commands that print a JSON answer (`npm run kpi`, `forecast`, `provision`). */
export interface JsonCommand<Request> {
  /** names an unexpected failure: "kpi: …" */
  name: string;
  usage: string;
  /** the options taking a value, e.g. "as-of"; `--json` and `--help` are every command's */
  flags: readonly string[];
  /** checks the words before the database is opened (an AppError names the flag); `flag` reads one */
  resolve: (flag: (name: string) => string | undefined) => Request;
  answer: (db: Db, request: Request) => Promise<unknown>;
}

const failure = (message: string): CommandResult => ({ code: 1, stdout: "", stderr: `${message}\n` });

/**
 * A JSON command without the process around it (tests run it in-process): the arguments in, what
 * to print and the exit code out. `--json` is required, the only output format. Uses the shared
 * database client; the caller closes it.
 */
export async function runJsonCommand<Request>(command: JsonCommand<Request>, args: string[]): Promise<CommandResult> {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(command.flags.map((flag) => [flag, { type: "string" as const }]));
    ({ values } = parseArgs({
      args,
      options: { ...options, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return failure(`${error instanceof Error ? error.message : String(error)}\n${command.usage}`);
  }
  if (values.help) return { code: 0, stdout: `${command.usage}\n`, stderr: "" };
  if (!values.json) return failure(`--json is required: JSON is the only output format.\n${command.usage}`);
  const flag = (name: string) => {
    const value = values[name];
    return typeof value === "string" ? value : undefined;
  };
  try {
    // The words are checked before the database is opened, and named as the flags are.
    const request = command.resolve(flag);
    const url = databaseUrl();
    if (!isPostgresUrl(url) && !fs.existsSync(databasePath(url))) {
      return failure(`No database at ${databasePath(url)}: set DATABASE_URL, or create it with npm run db:migrate and npm run import.`);
    }
    const db = getDb();
    await migrateToLatest(db);
    return { code: 0, stdout: `${JSON.stringify(await command.answer(db, request))}\n`, stderr: "" };
  } catch (error) {
    // Unknown scope targets (customer, owner, region, grade) are refused the same way (404).
    if (error instanceof AppError) return failure(error.messageKey);
    return failure(`${command.name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

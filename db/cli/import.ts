import { parseArgs } from "node:util";

import { databaseUrl, getDb, closeDb } from "../../app/server/db.server";
import type { FileKind } from "../../app/features/import/canonical";
import { englishMessage } from "../../app/features/import/issue-text";
import { type ImportJobFile, runImportJob } from "../../app/features/import/job.server";
import { AppError } from "../../app/kernel/app-error";
import { migrateToLatest } from "../migrate";

const USAGE = `Usage: npm run import -- [--customers F] [--invoices F] [--payments F] [--adjustments F] [--mapping NAME]
Imports into the database named by DATABASE_URL, all files in one transaction.
--mapping NAME reads the file of the mapping's kind through that saved or built-in column mapping.`;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      customers: { type: "string" },
      invoices: { type: "string" },
      payments: { type: "string" },
      adjustments: { type: "string" },
      mapping: { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
}

const kinds: FileKind[] = ["customers", "invoices", "payments", "adjustments"];
const given = kinds.filter((kind) => values[kind] !== undefined);
if (given.length === 0) fail(USAGE);

// The migration runs through the shared client before the job opens its own connection.
await migrateToLatest(getDb());
await closeDb();

let mappingTarget: FileKind | null = null;
if (values.mapping) {
  // Which file the mapping applies to is decided by the mapping's own target kind, checked in the job.
  mappingTarget = given.length === 1 ? (given[0] ?? null) : null;
  if (!mappingTarget) fail("--mapping applies to one file: give exactly one of --customers/--invoices/--payments/--adjustments.");
}

const files: ImportJobFile[] = given.map((kind) => ({
  // only the kinds given on the command line are listed (checked above)
  path: values[kind] as string,
  kind,
  mapping: kind === mappingTarget ? values.mapping : null,
}));

try {
  const result = await runImportJob(
    { databaseFile: databaseUrl(), files, userId: null, source: "cli" },
    process.stderr.isTTY
      ? (p) => process.stderr.write(`\r${Math.round((100 * p.bytesRead) / Math.max(1, p.totalBytes))}% `)
      : undefined,
  );
  if (process.stderr.isTTY) process.stderr.write("\r");
  if (!result.ok) {
    for (const file of result.files) if (file.sheet) console.error(`${file.file}: read the sheet "${file.sheet}"`);
    console.error(result.report);
    console.error(`Nothing was imported (${result.errorCount} ${result.errorCount === 1 ? "error" : "errors"}).`);
    process.exit(1);
  }
  for (const file of result.files) {
    const parts = Object.entries(file.counts).map(
      ([kind, c]) => `${kind}: ${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged`,
    );
    const sheet = file.sheet ? ` (sheet "${file.sheet}")` : "";
    console.log(`${file.file}${sheet}: ${file.rows} rows; ${parts.join("; ") || "nothing"}`);
    for (const warning of file.warnings) console.log(`  warning: ${englishMessage(warning.message)}`);
  }
} catch (error) {
  if (error instanceof AppError) fail(error.messageKey);
  // an ENOENT from fs is an ErrnoException, which has the path
  if (error instanceof Error && "code" in error && error.code === "ENOENT") fail(`No such file: ${(error as NodeJS.ErrnoException).path}`);
  throw error;
}

import { runImportJob } from "~/features/import/job.server";

/** The files a ledger generator writes (tests/bench/generate-ledger.ts); adjustments only in some profiles. */
type GeneratedFiles = { customers: string; invoices: string; payments: string; adjustments?: string };

/**
 * Imports generated ledger files into the test database (`DATABASE_URL`: an SQLite file or a
 * PostgreSQL URL) through the import job, as `npm run import` would; throws the report on refusal.
 */
export async function importGeneratedLedger(files: GeneratedFiles): Promise<void> {
  const result = await runImportJob({
    databaseFile: process.env.DATABASE_URL ?? "",
    userId: null,
    source: "cli",
    files: [
      { path: files.customers, kind: "customers" as const },
      { path: files.invoices, kind: "invoices" as const },
      { path: files.payments, kind: "payments" as const },
      ...(files.adjustments ? [{ path: files.adjustments, kind: "adjustments" as const }] : []),
    ],
  });
  if (!result.ok) throw new Error(result.report);
}

import path from "node:path";

import { openLedgerConnection } from "~/server/db.server";
import type { FileKind } from "~/features/import/canonical";
import { type ImportSource, sourceFromBuffer } from "~/features/import/source";
import { sourceFromFile } from "~/features/import/source-file.server";
import { type ImportOutcome, importLedger } from "~/features/import/import-ledger.server";

const FIXTURES = path.resolve("tests/fixtures/ledger");

/** The small hand-worked ledger in tests/fixtures/ledger (see its README). */
export const LEDGER_FIXTURE_FILES: Record<FileKind, string> = {
  customers: path.join(FIXTURES, "customers.csv"),
  invoices: path.join(FIXTURES, "invoices.csv"),
  payments: path.join(FIXTURES, "payments.csv"),
  adjustments: path.join(FIXTURES, "adjustments.csv"),
};

export function csvSource(name: string, lines: string[]): ImportSource {
  return sourceFromBuffer(name, Buffer.from(`${lines.join("\n")}\n`, "utf8"));
}

/**
 * Imports files through the real engine on the test database, so `open_items` and
 * `unapplied_credits` are filled exactly as in production. Throws with the row report on failure.
 */
export async function importIntoTestDb(files: { kind: FileKind; source: ImportSource }[]): Promise<ImportOutcome> {
  const sqlite = openLedgerConnection();
  try {
    const outcome = await importLedger(
      sqlite,
      files.map((f) => ({ source: f.source, layout: { kind: f.kind } })),
      { baseCurrency: "CNY", userId: null },
    );
    if (!outcome.ok) throw new Error(`fixture import failed:\n${outcome.report}`);
    return outcome;
  } finally {
    sqlite.close();
  }
}

export async function importLedgerFixture(): Promise<ImportOutcome> {
  const kinds: FileKind[] = ["customers", "invoices", "payments", "adjustments"];
  return importIntoTestDb(
    await Promise.all(kinds.map(async (kind) => ({ kind, source: await sourceFromFile(LEDGER_FIXTURE_FILES[kind]) }))),
  );
}

/** `count` customers BULK-001.. owned by `ownerEmail`, each with one open invoice of 1.00 × its number. */
export async function importBulkCustomers(count: number, ownerEmail: string): Promise<void> {
  const codes = Array.from({ length: count }, (_, i) => `BULK-${String(i + 1).padStart(3, "0")}`);
  await importIntoTestDb([
    {
      kind: "customers",
      source: csvSource("bulk-customers.csv", [
        "code,name,region,owner_email,credit_grade,credit_limit",
        ...codes.map((code) => `${code},Bulk customer ${code},Bulk,${ownerEmail},C,1000`),
      ]),
    },
    {
      kind: "invoices",
      source: csvSource("bulk-invoices.csv", [
        "invoice_no,customer_code,issue_date,due_date,amount",
        ...codes.map((code, i) => `INV-${code},${code},2025-01-15,2025-02-14,${i + 1}.00`),
      ]),
    },
  ]);
}

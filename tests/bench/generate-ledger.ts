import fs from "node:fs";
import path from "node:path";

import { addDays } from "~/kernel/dates";

/**
 * Writes the benchmark ledger as canonical CSV files: 10k customers, 1M invoices, 1M payments
 * (most naming their invoice, some unreferenced, a few partial), deterministic. Reused when present.
 */
/**
 * Written into a benchmark database's `<db>.complete` marker: a database imported before the
 * import kept the status positions (every customer then stale) is imported again by the status
 * and review benchmarks, so their "first request after a full import" is one.
 */
export const IMPORT_FORMAT = "status positions and invoice paid dates kept by the import";

export interface BenchFiles {
  customers: string;
  invoices: string;
  payments: string;
}

export function benchLedgerFiles(
  dir: string,
  { customers = 10_000, invoices = 1_000_000, payments = 1_000_000 } = {},
): BenchFiles {
  fs.mkdirSync(dir, { recursive: true });
  const files = {
    customers: path.join(dir, `customers-${customers}.csv`),
    invoices: path.join(dir, `invoices-${invoices}.csv`),
    payments: path.join(dir, `payments-${payments}.csv`),
  };
  if (Object.values(files).every((f) => fs.existsSync(f))) return files;

  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const regions = ["华东", "华北", "华南", "华中", "西南", "海外"];
  const lines: string[] = ["code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days"];
  for (let c = 1; c <= customers; c++) {
    const terms = [30, 60, 90][c % 3];
    lines.push(
      `C${String(c).padStart(6, "0")},Customer ${c},${regions[c % regions.length]},owner${c % 20}@bench.test,${"ABCD"[c % 4]},${(c % 50) * 10000},${terms}`,
    );
  }
  fs.writeFileSync(files.customers, lines.join("\n") + "\n");

  const start = "2024-11-24";
  const invoiceOut = fs.openSync(files.invoices, "w");
  const paymentOut = fs.openSync(files.payments, "w");
  fs.writeSync(invoiceOut, "invoice_no,customer_code,issue_date,amount\n");
  fs.writeSync(paymentOut, "payment_no,customer_code,date,amount,invoice_no\n");
  let invoiceChunk: string[] = [];
  let paymentChunk: string[] = [];
  for (let i = 1; i <= invoices; i++) {
    const customer = 1 + Math.floor(random() * customers);
    const code = `C${String(customer).padStart(6, "0")}`;
    const issue = addDays(start, Math.floor(((i - 1) / invoices) * 729));
    const cents = 100_000 + Math.floor(random() * 50_000_000);
    const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
    invoiceChunk.push(`I${String(i).padStart(8, "0")},${code},${issue},${amount}`);
    if (i <= payments) {
      const r = random();
      const paid = addDays(issue, 20 + Math.floor(random() * 100));
      // 85% pay the invoice in full, 10% pay a round sum without naming it, 5% pay part of it
      const payCents = r < 0.85 ? cents : r < 0.95 ? Math.round(cents / 100_000) * 100_000 || 100_000 : Math.floor(cents / 2);
      const payAmount = `${Math.floor(payCents / 100)}.${String(payCents % 100).padStart(2, "0")}`;
      const named = r < 0.85 || r >= 0.95 ? `I${String(i).padStart(8, "0")}` : "";
      paymentChunk.push(`P${String(i).padStart(8, "0")},${code},${paid},${payAmount},${named}`);
    }
    if (invoiceChunk.length === 50_000) {
      fs.writeSync(invoiceOut, invoiceChunk.join("\n") + "\n");
      fs.writeSync(paymentOut, paymentChunk.join("\n") + "\n");
      invoiceChunk = [];
      paymentChunk = [];
    }
  }
  if (invoiceChunk.length) fs.writeSync(invoiceOut, invoiceChunk.join("\n") + "\n");
  if (paymentChunk.length) fs.writeSync(paymentOut, paymentChunk.join("\n") + "\n");
  fs.closeSync(invoiceOut);
  fs.closeSync(paymentOut);
  return files;
}

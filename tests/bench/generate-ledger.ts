import fs from "node:fs";
import path from "node:path";

import { addDays } from "~/kernel/dates";

/**
 * Writes the benchmark ledger as canonical CSV files: 10k customers, 1M invoices, 1M payments
 * (most naming their invoice, some unreferenced, a few partial), deterministic. Each invoice is
 * paid 20–119 days after its issue, drawn afresh for every invoice whatever the customer or its
 * terms: a steady ledger, its weekly collections as flat as a trailing average assumes. Reused
 * when present.
 */
/**
 * Written into a benchmark database's `<db>.complete` marker: a database imported before the
 * import kept the status positions (every customer then stale) is imported again by the status
 * and review benchmarks, so their "first request after a full import" is one.
 */
export const IMPORT_FORMAT = "status positions, invoice paid dates and provision positions kept by the import; the even ledger drawn with mulberry32";

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
    customers: path.join(dir, `even-customers-${customers}.csv`),
    invoices: path.join(dir, `even-invoices-${invoices}.csv`),
    payments: path.join(dir, `even-payments-${payments}.csv`),
  };
  if (Object.values(files).every((f) => fs.existsSync(f))) return files;

  // mulberry32, as the uneven profile's: the LCG used before (seed × 1103515245 + 12345, mod 2^31)
  // fed its consecutive draws into the customer, the amount and the days to pay, and its lattice
  // tied them together: every customer paid after the same one to three lags, each time.
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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

export interface UnevenBenchFiles extends BenchFiles {
  adjustments: string;
}

/**
 * The second benchmark profile, shaped like a real department's ledger rather than an even one:
 * 5,000 customers (for 500k invoices; one per 100) whose sizes follow a Pareto (Zipf, s = 1)
 * spread, so the largest few hold tens of thousands of documents each; ~1.06 payments per
 * invoice, half of them naming no invoice; partial, split, late and over-payments, unpaid
 * invoices; credit notes, write-offs and offsets (~8% of invoices, some naming no invoice); a
 * fifth of the due dates left blank (the customer's terms apply). At 500k invoices: ~530k
 * payments and ~40k adjustments. Deterministic; reused when present.
 */
export function unevenLedgerFiles(dir: string, { invoices = 500_000 } = {}): UnevenBenchFiles {
  fs.mkdirSync(dir, { recursive: true });
  const customers = Math.max(50, Math.round(invoices / 100));
  const files = {
    customers: path.join(dir, `uneven-customers-${invoices}.csv`),
    invoices: path.join(dir, `uneven-invoices-${invoices}.csv`),
    payments: path.join(dir, `uneven-payments-${invoices}.csv`),
    adjustments: path.join(dir, `uneven-adjustments-${invoices}.csv`),
  };
  if (Object.values(files).every((f) => fs.existsSync(f))) return files;

  // mulberry32: 32-bit integer arithmetic throughout (a float LCG loses its low bits and would
  // leave most customers without a document).
  let seed = 7;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const regions = ["华东", "华北", "华南", "华中", "西南", "海外"];
  const code = (c: number) => `K${String(c).padStart(6, "0")}`;
  const terms: number[] = [0];
  const lines: string[] = ["code,name,region,owner_email,credit_grade,credit_limit,payment_terms_days"];
  for (let c = 1; c <= customers; c++) {
    const days = [30, 45, 60, 90][c % 4]!;
    terms.push(days);
    lines.push(`${code(c)},Customer ${c},${regions[c % regions.length]},owner${c % 25}@bench.test,${"ABCD"[c % 4]},${(c % 40) * 50000},${days}`);
  }
  fs.writeFileSync(files.customers, lines.join("\n") + "\n");

  // Zipf weights 1/rank over the customers, the ranks shuffled so the large ones are spread out.
  const rankOf = Array.from({ length: customers }, (_, i) => i + 1);
  for (let i = rankOf.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rankOf[i], rankOf[j]] = [rankOf[j]!, rankOf[i]!];
  }
  const cumulative = new Float64Array(customers);
  let total = 0;
  for (let c = 0; c < customers; c++) cumulative[c] = total += 1 / rankOf[c]!;
  const pickCustomer = (): number => {
    const target = random() * total;
    let lo = 0;
    let hi = customers - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
  const money = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

  const start = "2024-11-24";
  const outs = {
    invoices: fs.openSync(files.invoices, "w"),
    payments: fs.openSync(files.payments, "w"),
    adjustments: fs.openSync(files.adjustments, "w"),
  };
  fs.writeSync(outs.invoices, "invoice_no,customer_code,issue_date,due_date,amount\n");
  fs.writeSync(outs.payments, "payment_no,customer_code,date,amount,invoice_no\n");
  fs.writeSync(outs.adjustments, "adjustment_no,customer_code,date,amount,type,invoice_no\n");
  const chunks = { invoices: [] as string[], payments: [] as string[], adjustments: [] as string[] };
  let paymentNo = 0;
  let adjustmentNo = 0;
  const pay = (customer: string, date: string, cents: number, invoiceNo: string) => {
    paymentNo += 1;
    // Half the payments name no invoice: the customer's oldest open items take them.
    const named = random() < 0.5 ? invoiceNo : "";
    chunks.payments.push(`P${String(paymentNo).padStart(8, "0")},${customer},${date},${money(Math.max(1, cents))},${named}`);
  };
  const flush = (force = false) => {
    for (const kind of ["invoices", "payments", "adjustments"] as const) {
      if (chunks[kind].length && (force || chunks[kind].length >= 50_000)) {
        fs.writeSync(outs[kind], chunks[kind].join("\n") + "\n");
        chunks[kind] = [];
      }
    }
  };
  for (let i = 1; i <= invoices; i++) {
    const c = pickCustomer();
    const customer = code(c);
    const invoiceNo = `V${String(i).padStart(8, "0")}`;
    const issue = addDays(start, Math.floor(((i - 1) / invoices) * 729));
    const cents = 10_000 + Math.floor(random() * 20_000_000);
    // A fifth of the due dates blank (issue date + the customer's terms), the rest given.
    const due = random() < 0.2 ? "" : addDays(issue, terms[c]! + [0, 0, 15, -10][i % 4]!);
    chunks.invoices.push(`${invoiceNo},${customer},${issue},${due},${money(cents)}`);
    const dueDays = terms[c]!;
    const r = random();
    if (r < 0.08) {
      // unpaid
    } else if (r < 0.65) {
      // paid in full, on time or a little late
      pay(customer, addDays(issue, Math.floor(random() * (dueDays + 20))), cents, invoiceNo);
    } else if (r < 0.72) {
      // paid late, months after the due date
      pay(customer, addDays(issue, dueDays + 60 + Math.floor(random() * 300)), cents, invoiceNo);
    } else if (r < 0.76) {
      // over-paid: the surplus is unapplied credit
      pay(customer, addDays(issue, Math.floor(random() * dueDays)), cents + 1 + Math.floor(random() * 500_000), invoiceNo);
    } else if (r < 0.86) {
      // paid in one partial payment, the rest left open
      pay(customer, addDays(issue, Math.floor(random() * (dueDays + 40))), Math.floor(cents * (0.2 + 0.6 * random())), invoiceNo);
    } else {
      // paid in two instalments
      const first = Math.floor(cents * (0.3 + 0.4 * random()));
      pay(customer, addDays(issue, Math.floor(random() * dueDays)), first, invoiceNo);
      pay(customer, addDays(issue, dueDays + Math.floor(random() * 120)), cents - first, invoiceNo);
    }
    if (random() < 0.0795) {
      adjustmentNo += 1;
      const a = random();
      const type = a < 0.5 ? "credit_note" : a < 0.7 ? "write_off" : "offset";
      const adjCents = type === "write_off" ? Math.max(1, Math.floor(cents * random())) : Math.max(1, Math.floor(cents * 0.1 * random()));
      const named = random() < 0.75 ? invoiceNo : "";
      const date = addDays(issue, type === "write_off" ? dueDays + 180 + Math.floor(random() * 200) : Math.floor(random() * 90));
      chunks.adjustments.push(`A${String(adjustmentNo).padStart(8, "0")},${customer},${date},${money(adjCents)},${type},${named}`);
    }
    flush();
  }
  flush(true);
  for (const fd of Object.values(outs)) fs.closeSync(fd);
  return files;
}

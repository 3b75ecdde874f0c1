/**
 * Validated records in bulk between threads: the reading thread packs a few thousand records
 * into flat columns (one array of strings, one of numbers, typed arrays for kinds and lines),
 * which cost one structured clone per batch instead of one object graph per record; the
 * writing thread unpacks them in order. A null string stays null; a null number is NaN.
 */
import type { ImportedItem } from "./validate";

export interface ItemBatch {
  /** per record: 0 customers, 1 invoices, 2 payments, 3 adjustments */
  kinds: Uint8Array;
  lines: Int32Array;
  strings: (string | null)[];
  numbers: Float64Array;
  /** records in the batch */
  length: number;
}

/** The numbers each kind's record carries per row (see pack). */
const NUMBERS_PER_KIND = [2, 1, 1, 1] as const;

function orNaN(value: number | null): number {
  return value === null ? Number.NaN : value;
}

function orNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

/** Collects records until `take()`; the typed arrays grow to the largest batch seen. */
export class ItemBatchPacker {
  private kinds = new Uint8Array(1024);
  private lines = new Int32Array(1024);
  private numbers = new Float64Array(2048);
  private strings: (string | null)[] = [];
  private count = 0;
  private numberCount = 0;

  get length(): number {
    return this.count;
  }

  add(item: ImportedItem): void {
    if (this.count === this.kinds.length) {
      this.kinds = grown(this.kinds, new Uint8Array(this.kinds.length * 2));
      this.lines = grown(this.lines, new Int32Array(this.lines.length * 2));
    }
    if (this.numberCount + 2 > this.numbers.length) this.numbers = grown(this.numbers, new Float64Array(this.numbers.length * 2));
    this.lines[this.count] = item.line;
    const s = this.strings;
    const n = this.numbers;
    switch (item.kind) {
      case "customers": {
        const r = item.record;
        this.kinds[this.count] = 0;
        s.push(r.code, r.name, r.region, r.ownerEmail, r.creditGrade);
        n[this.numberCount++] = orNaN(r.creditLimit);
        n[this.numberCount++] = r.paymentTermsDays;
        break;
      }
      case "invoices": {
        const r = item.record;
        this.kinds[this.count] = 1;
        s.push(r.invoiceNo, r.customerCode, r.issueDate, r.dueDate);
        n[this.numberCount++] = r.amount;
        break;
      }
      case "payments": {
        const r = item.record;
        this.kinds[this.count] = 2;
        s.push(r.paymentNo, r.customerCode, r.date, r.invoiceNo);
        n[this.numberCount++] = r.amount;
        break;
      }
      case "adjustments": {
        const r = item.record;
        this.kinds[this.count] = 3;
        s.push(r.adjustmentNo, r.customerCode, r.date, r.type, r.invoiceNo);
        n[this.numberCount++] = r.amount;
        break;
      }
    }
    this.count += 1;
  }

  /** The batch so far (its typed arrays are copies, safe to transfer); the packer starts empty. */
  take(): ItemBatch {
    const batch: ItemBatch = {
      kinds: this.kinds.slice(0, this.count),
      lines: this.lines.slice(0, this.count),
      numbers: this.numbers.slice(0, this.numberCount),
      strings: this.strings,
      length: this.count,
    };
    this.strings = [];
    this.count = 0;
    this.numberCount = 0;
    return batch;
  }
}

function grown<T extends Uint8Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Hands each record of the batch to `onItem`, in the order they were packed. */
export function unpackItems(batch: ItemBatch, onItem: (item: ImportedItem) => void): void {
  const { kinds, lines, strings: s, numbers: n } = batch;
  let si = 0;
  let ni = 0;
  // Packed by ItemBatchPacker.add, which wrote each kind's strings and numbers in this order:
  // the casts below restore the types it took them from.
  for (let i = 0; i < batch.length; i += 1) {
    const line = lines[i] as number;
    switch (kinds[i]) {
      case 0:
        onItem({
          kind: "customers",
          line,
          record: {
            code: s[si] as string,
            name: s[si + 1] as string,
            region: s[si + 2] as string | null,
            ownerEmail: s[si + 3] as string | null,
            creditGrade: s[si + 4] as string | null,
            creditLimit: orNull(n[ni] as number),
            paymentTermsDays: n[ni + 1] as number,
          },
        });
        si += 5;
        break;
      case 1:
        onItem({
          kind: "invoices",
          line,
          record: { invoiceNo: s[si] as string, customerCode: s[si + 1] as string, issueDate: s[si + 2] as string, dueDate: s[si + 3] as string, amount: n[ni] as number },
        });
        si += 4;
        break;
      case 2:
        onItem({
          kind: "payments",
          line,
          record: { paymentNo: s[si] as string, customerCode: s[si + 1] as string, date: s[si + 2] as string, invoiceNo: s[si + 3] as string | null, amount: n[ni] as number },
        });
        si += 4;
        break;
      default:
        onItem({
          kind: "adjustments",
          line,
          record: {
            adjustmentNo: s[si] as string,
            customerCode: s[si + 1] as string,
            date: s[si + 2] as string,
            type: s[si + 3] as "credit_note" | "write_off" | "offset",
            invoiceNo: s[si + 4] as string | null,
            amount: n[ni] as number,
          },
        });
        si += 5;
    }
    ni += NUMBERS_PER_KIND[kinds[i] as 0 | 1 | 2 | 3];
  }
}

/**
 * Validated records in bulk between threads: the reading thread packs a few thousand records
 * into flat columns (every string of the batch joined into one, with their lengths; typed arrays
 * for kinds, lines and numbers), which cost one structured clone of a few buffers per batch
 * instead of one object graph per record; the writing thread cuts them out again in order. A
 * null string has length -1; a null number is NaN.
 */
import type { ImportedItem } from "./validate";

export interface ItemBatch {
  /** per record: 0 customers, 1 invoices, 2 payments, 3 adjustments */
  kinds: Uint8Array;
  lines: Int32Array;
  /** the batch's strings, one after another */
  text: string;
  /** each string's length in `text`; -1 for null */
  lengths: Int32Array;
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
  private strings: string[] = [];
  private lengths = new Int32Array(4096);
  private stringCount = 0;
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
    if (this.stringCount + 5 > this.lengths.length) this.lengths = grown(this.lengths, new Int32Array(this.lengths.length * 2));
    this.lines[this.count] = item.line;
    const n = this.numbers;
    switch (item.kind) {
      case "customers": {
        const r = item.record;
        this.kinds[this.count] = 0;
        this.put(r.code);
        this.put(r.name);
        this.put(r.region);
        this.put(r.ownerEmail);
        this.put(r.creditGrade);
        n[this.numberCount++] = orNaN(r.creditLimit);
        n[this.numberCount++] = r.paymentTermsDays;
        break;
      }
      case "invoices": {
        const r = item.record;
        this.kinds[this.count] = 1;
        this.put(r.invoiceNo);
        this.put(r.customerCode);
        this.put(r.issueDate);
        this.put(r.dueDate);
        n[this.numberCount++] = r.amount;
        break;
      }
      case "payments": {
        const r = item.record;
        this.kinds[this.count] = 2;
        this.put(r.paymentNo);
        this.put(r.customerCode);
        this.put(r.date);
        this.put(r.invoiceNo);
        n[this.numberCount++] = r.amount;
        break;
      }
      case "adjustments": {
        const r = item.record;
        this.kinds[this.count] = 3;
        this.put(r.adjustmentNo);
        this.put(r.customerCode);
        this.put(r.date);
        this.put(r.type);
        this.put(r.invoiceNo);
        n[this.numberCount++] = r.amount;
        break;
      }
    }
    this.count += 1;
  }

  private put(value: string | null): void {
    this.lengths[this.stringCount++] = value === null ? -1 : value.length;
    if (value !== null) this.strings.push(value);
  }

  /** The batch so far (its typed arrays are copies, safe to transfer); the packer starts empty. */
  take(): ItemBatch {
    const batch: ItemBatch = {
      kinds: this.kinds.slice(0, this.count),
      lines: this.lines.slice(0, this.count),
      numbers: this.numbers.slice(0, this.numberCount),
      text: this.strings.join(""),
      lengths: this.lengths.slice(0, this.stringCount),
      length: this.count,
    };
    this.strings = [];
    this.stringCount = 0;
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
  const { kinds, lines, text, lengths, numbers: n } = batch;
  let at = 0;
  let li = 0;
  const next = (): string | null => {
    // The reader asks for exactly as many strings as the packer wrote lengths for.
    const length = lengths[li++] as number;
    if (length < 0) return null;
    at += length;
    return text.slice(at - length, at);
  };
  let ni = 0;
  // Packed by ItemBatchPacker.add, which wrote each kind's strings and numbers in this order (an
  // object literal's values are read in source order): the casts restore the types it took them from.
  for (let i = 0; i < batch.length; i += 1) {
    // One line number per record: i stays below the batch's length.
    const line = lines[i] as number;
    switch (kinds[i]) {
      case 0:
        // Each kind's fields come back in the order the packer wrote them, so the casts restore their types.
        onItem({
          kind: "customers",
          line,
          record: {
            code: next() as string,
            name: next() as string,
            region: next() as string | null,
            ownerEmail: next() as string | null,
            creditGrade: next() as string | null,
            creditLimit: orNull(n[ni] as number),
            paymentTermsDays: n[ni + 1] as number,
          },
        });
        break;
      case 1:
        // Each kind's fields come back in the order the packer wrote them, so the casts restore their types.
        onItem({
          kind: "invoices",
          line,
          record: {
            invoiceNo: next() as string,
            customerCode: next() as string,
            issueDate: next() as string,
            dueDate: next() as string,
            amount: n[ni] as number,
          },
        });
        break;
      case 2:
        // Each kind's fields come back in the order the packer wrote them, so the casts restore their types.
        onItem({
          kind: "payments",
          line,
          record: {
            paymentNo: next() as string,
            customerCode: next() as string,
            date: next() as string,
            invoiceNo: next() as string | null,
            amount: n[ni] as number,
          },
        });
        break;
      default:
        // Each kind's fields come back in the order the packer wrote them, so the casts restore their types.
        onItem({
          kind: "adjustments",
          line,
          record: {
            adjustmentNo: next() as string,
            customerCode: next() as string,
            date: next() as string,
            type: next() as "credit_note" | "write_off" | "offset",
            invoiceNo: next() as string | null,
            amount: n[ni] as number,
          },
        });
    }
    // The packer writes only the kinds 0–3.
    ni += NUMBERS_PER_KIND[kinds[i] as 0 | 1 | 2 | 3];
  }
}

/**
 * The provision inputs kept current at import: every customer's open invoice amounts at every
 * month end, by age from the invoice date and from the due date, in fine bands that any band table
 * of the department's (monthly to 1 year, yearly to over 5 years) is a union of. Kept twice: as
 * open (the ladder's balances) and "gross", as if no write-off had happened (the matrix counts a
 * written-off amount as migrated on, never collected).
 *
 * Rows are kept only for the month ends before a customer's last document: from that date on, the
 * open items no longer change (only their age does), so `open_items` (and, for a customer with
 * write-offs, its gross items) answer any later date exactly and for any bands.
 */
import { fromEpochDay, monthEnd, toEpochDay } from "~/kernel/dates";
import { type HistoryInvoice, type HistorySettlement, type PositionHistorySink, sweepPositionHistory } from "~/kernel/ledger/position-history";

/** Upper ages in days of the fine bands but the last; age <= 0 (not yet due) is the first band. */
export const FINE_EDGES: readonly number[] = [0, 30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 330, 365, 730, 1095, 1460, 1825];
export const FINE_BANDS = FINE_EDGES.length + 1;

export type AgeBasis = "issue" | "due";
export const AGE_BASES: readonly AgeBasis[] = ["issue", "due"];

export function fineBandOf(ageDays: number): number {
  let low = 0;
  let high = FINE_EDGES.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (ageDays <= (FINE_EDGES[middle] ?? Infinity)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * For a band table (upper ages of all bands but the last), the table band of each fine band, or
 * null when some upper age is not a fine edge (the kept positions cannot answer it).
 */
export function fineToTable(upperDays: readonly number[]): number[] | null {
  if (upperDays.some((days) => !FINE_EDGES.includes(days))) return null;
  const map: number[] = [];
  for (let fine = 0; fine < FINE_BANDS; fine++) {
    // a fine band's ages lie above the previous fine edge; its largest is its own edge (or beyond the last)
    const top = FINE_EDGES[fine] ?? Infinity;
    let band = 0;
    // band < upperDays.length: an element
    while (band < upperDays.length && top > upperDays[band]!) band++;
    map.push(band);
  }
  return map;
}

/** Fine balances summed into the table's bands. */
export function collapseFine(map: readonly number[], fine: ArrayLike<number>, bandCount: number): number[] {
  const balances = new Array<number>(bandCount).fill(0);
  map.forEach((band, i) => {
    balances[band] = (balances[band] ?? 0) + (fine[i] ?? 0);
  });
  return balances;
}

export interface ProvisionMonthRow {
  monthEnd: string;
  basis: AgeBasis;
  /** open amounts by fine band (minor units) */
  open: number[];
  /** the same as if nothing had been written off */
  gross: number[];
}

export interface ProvisionItem {
  issueDay: number;
  dueDay: number;
  openAmount: number;
}

export interface ProvisionHistory {
  /** the last document's day (epoch); rows cover the month ends before it */
  lastDay: number;
  writeOffs: boolean;
  rows: ProvisionMonthRow[];
  /** what is still open after the last document as if nothing had been written off (only with write-offs) */
  grossItems: ProvisionItem[];
}

export interface ProvisionSettlement extends HistorySettlement {
  writeOff: boolean;
}

function isFlaggedWriteOff(settlement: HistorySettlement): boolean {
  return "writeOff" in settlement && settlement.writeOff === true;
}

/** Adds each open run's amount at every kept month end inside it, by age on both bases. */
function monthEndSink(ends: readonly number[], sums: Float64Array, onOpenEnd?: (run: ProvisionItem) => void): PositionHistorySink {
  return {
    openRun(invoice, from, to, openAmount) {
      if (to === Infinity) onOpenEnd?.({ issueDay: invoice.issueDay, dueDay: invoice.dueDay, openAmount });
      let i = firstAtOrAfter(ends, from);
      for (; i < ends.length; i++) {
        const end = ends[i] ?? Infinity;
        if (end > to) break;
        const base = i * 2 * FINE_BANDS;
        // sums holds 2 × FINE_BANDS values per month end and fineBandOf < FINE_BANDS: in range
        sums[base + fineBandOf(end - invoice.issueDay)]! += openAmount;
        // as above
        sums[base + FINE_BANDS + fineBandOf(end - invoice.dueDay)]! += openAmount;
      }
    },
    unappliedRun() {},
    overdueRun() {},
    overLimitRun() {},
  };
}

/** The month ends (epoch days) from the month of `fromDay` up to, not including, `beforeDay`. */
export function monthEndsBefore(fromDay: number, beforeDay: number): number[] {
  const ends: number[] = [];
  for (let end = toEpochDay(monthEnd(fromEpochDay(fromDay))); end < beforeDay; end = toEpochDay(monthEnd(fromEpochDay(end + 1)))) ends.push(end);
  return ends;
}

function firstAtOrAfter(values: readonly number[], day: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((values[mid] ?? Infinity) < day) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * A collector for a caller that sweeps the customer's documents itself (the import, once for
 * several consumers): sweep `invoices` and all `settlements` into `sink`, then `history()`, which
 * sweeps a second time without the write-offs when there are any (or `arrays()`, the same
 * figures without a row object per month end; call one of the two, once). Null without documents.
 */
export function provisionHistoryCollector<S extends HistorySettlement = ProvisionSettlement>(
  invoices: readonly HistoryInvoice[],
  settlements: readonly S[],
  /** Whether a settlement is a write-off: the import's sweep passes its own settlements, no copy with a flag each. */
  isWriteOff: (settlement: S) => boolean = isFlaggedWriteOff,
): { sink: PositionHistorySink; history(): ProvisionHistory; arrays(): ProvisionHistoryArrays } | null {
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (const invoice of invoices) {
    firstDay = Math.min(firstDay, invoice.issueDay);
    lastDay = Math.max(lastDay, invoice.issueDay);
  }
  for (const settlement of settlements) {
    firstDay = Math.min(firstDay, settlement.day);
    lastDay = Math.max(lastDay, settlement.day);
  }
  if (lastDay === -Infinity) return null;
  // The month ends strictly before the last document's day.
  const ends = monthEndsBefore(firstDay, lastDay);
  const open = new Float64Array(ends.length * 2 * FINE_BANDS);
  const sink = monthEndSink(ends, open);
  const writeOffs = settlements.some(isWriteOff);
  const arrays = (): ProvisionHistoryArrays => {
    let gross = open;
    const grossItems: ProvisionItem[] = [];
    if (writeOffs) {
      gross = new Float64Array(open.length);
      const kept = settlements.filter((settlement) => !isWriteOff(settlement));
      sweepPositionHistory(invoices, kept, null, monthEndSink(ends, gross, (item) => grossItems.push(item)));
    }
    return { lastDay, writeOffs, ends, open, gross, grossItems };
  };
  return {
    sink,
    arrays,
    history() {
      const { open: openBands, gross, grossItems } = arrays();
      const rows: ProvisionMonthRow[] = [];
      ends.forEach((end, i) => {
        const monthEnd = fromEpochDay(end);
        AGE_BASES.forEach((basis, b) => {
          const from = (i * 2 + b) * FINE_BANDS;
          rows.push({ monthEnd, basis, open: Array.from(openBands.subarray(from, from + FINE_BANDS)), gross: Array.from(gross.subarray(from, from + FINE_BANDS)) });
        });
      });
      return { lastDay, writeOffs, rows, grossItems };
    },
  };
}

/**
 * A ProvisionHistory as the sweep leaves it, without a row object per month end (the import's
 * writer reads a few hundred thousand of them): month end `i`'s bands on basis `AGE_BASES[b]`
 * start at `(i * 2 + b) * FINE_BANDS` in `open` and `gross` (the same array without write-offs).
 */
export interface ProvisionHistoryArrays {
  lastDay: number;
  writeOffs: boolean;
  /** the month ends (epoch days) */
  ends: readonly number[];
  open: Float64Array;
  gross: Float64Array;
  grossItems: ProvisionItem[];
}

/** The whole history of one customer's documents (tests and the background refresh). */
export function provisionHistory(invoices: readonly HistoryInvoice[], settlements: readonly ProvisionSettlement[]): ProvisionHistory | null {
  const collector = provisionHistoryCollector(invoices, settlements);
  if (!collector) return null;
  sweepPositionHistory(invoices, settlements, null, collector.sink);
  return collector.history();
}

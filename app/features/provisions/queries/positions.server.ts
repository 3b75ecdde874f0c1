import type SQLite from "better-sqlite3";

import { fromEpochDay } from "~/kernel/dates";
import { BatchedInsert } from "~/server/db.server";
import type { HistoryInvoice, HistorySettlement, PositionHistorySink } from "~/kernel/ledger/position-history";
import { AGE_BASES, FINE_BANDS, type ProvisionHistoryArrays, provisionHistoryCollector } from "~/features/provisions/positions";

/**
 * Writes the provision inputs (migration 2026-12-08-provisions-positions) of each customer handed
 * to it, inside the caller's write transaction: the status table's writer hands it every customer it
 * re-settles (the import's sweep and the background refresh), so they stay current together.
 * Each customer at most once per writer: its rows are cleared when it begins and queued for
 * multi-row INSERTs.
 */

const BAND_COLUMNS = [...Array.from({ length: FINE_BANDS }, (_, i) => `a${i}`), ...Array.from({ length: FINE_BANDS }, (_, i) => `g${i}`)];
const ROW_PARAMETERS = 3 + BAND_COLUMNS.length;
/** Rows per multi-row INSERT (39 parameters each). */
const ROW_BATCH = 16;

/** A settlement as the import's sweep holds it: payments and adjustments with their kind. */
type SweptSettlement = HistorySettlement & { kind?: string };

function isWriteOff(settlement: SweptSettlement): boolean {
  return settlement.kind === "write_off";
}

export class ProvisionPositionsWriter {
  private readonly pending: (number | string)[] = [];
  /** The customers begun: a second begin would queue its rows again (the tables have no key to refuse them). */
  private readonly begun = new Set<number>();
  private readonly statements;
  /** A row per customer, and one per item still open as if nothing had been written off: in multi-row INSERTs. */
  private readonly customers: BatchedInsert;
  private readonly grossItems: BatchedInsert;
  /** Whether the tables held any rows when this writer began: a first import need clear nothing. */
  private readonly clearing: { positions: boolean; customers: boolean; gross: boolean };

  constructor(sqlite: SQLite.Database) {
    const s = (text: string) => sqlite.prepare(text);
    const row = `(?, ?, ?, ${BAND_COLUMNS.map(() => "?").join(", ")})`;
    const insert = `INSERT INTO provision_positions (customer_id, month_end, basis, ${BAND_COLUMNS.join(", ")}) VALUES `;
    this.statements = {
      clearPositions: s("DELETE FROM provision_positions WHERE customer_id = ?"),
      clearCustomer: s("DELETE FROM provision_customers WHERE customer_id = ?"),
      clearGross: s("DELETE FROM provision_gross_items WHERE customer_id = ?"),
      insertRow: s(insert + row),
      insertRows: s(insert + Array(ROW_BATCH).fill(row).join(", ")),
    };
    this.customers = new BatchedInsert(sqlite, "provision_customers", ["customer_id", "last_document_date", "write_offs"]);
    this.grossItems = new BatchedInsert(sqlite, "provision_gross_items", ["customer_id", "issue_date", "due_date", "open_amount"]);
    const any = (table: string) => sqlite.prepare(`SELECT 1 FROM ${table} LIMIT 1`).pluck().get() !== undefined;
    this.clearing = { positions: any("provision_positions"), customers: any("provision_customers"), gross: any("provision_gross_items") };
  }

  /**
   * Clears the customer's rows and returns the sink to sweep its `invoices` and `settlements`
   * into, then `done()`, which writes the new rows. Null when it has no documents.
   */
  begin(customerId: number, invoices: readonly HistoryInvoice[], settlements: readonly SweptSettlement[]): { sink: PositionHistorySink; done(): void } | null {
    const s = this.statements;
    if (this.begun.has(customerId)) throw new Error(`ProvisionPositionsWriter: customer ${customerId} handed over twice`);
    this.begun.add(customerId);
    if (this.clearing.positions) s.clearPositions.run(customerId);
    if (this.clearing.customers) s.clearCustomer.run(customerId);
    if (this.clearing.gross) s.clearGross.run(customerId);
    const collector = provisionHistoryCollector(invoices, settlements, isWriteOff);
    if (!collector) return null;
    return { sink: collector.sink, done: () => this.write(customerId, collector.arrays()) };
  }

  private write(customerId: number, history: ProvisionHistoryArrays): void {
    const s = this.statements;
    this.customers.add(customerId, fromEpochDay(history.lastDay), history.writeOffs ? 1 : 0);
    for (const item of history.grossItems) this.grossItems.add(customerId, fromEpochDay(item.issueDay), fromEpochDay(item.dueDay), item.openAmount);
    const pending = this.pending;
    const { ends, open, gross } = history;
    // Straight from the sweep's arrays: a row per month end and basis with anything open (gross).
    for (let i = 0; i < ends.length; i++) {
      let monthEnd: string | null = null;
      for (let b = 0; b < AGE_BASES.length; b++) {
        const from = (i * AGE_BASES.length + b) * FINE_BANDS;
        const to = from + FINE_BANDS;
        let any = false;
        for (let k = from; k < to; k++) {
          if (gross[k] !== 0) {
            any = true;
            break;
          }
        }
        if (!any) continue;
        // i < ends.length (the loop's limit)
        monthEnd ??= fromEpochDay(ends[i]!);
        // b < AGE_BASES.length (the loop's limit)
        pending.push(customerId, monthEnd, AGE_BASES[b]!);
        // k < to <= open.length = gross.length (two bases of FINE_BANDS per month end)
        for (let k = from; k < to; k++) pending.push(open[k]!);
        // as above
        for (let k = from; k < to; k++) pending.push(gross[k]!);
        if (pending.length === ROW_BATCH * ROW_PARAMETERS) {
          s.insertRows.run(pending);
          pending.length = 0;
        }
      }
    }
  }

  finish(): void {
    const pending = this.pending;
    for (let i = 0; i < pending.length; i += ROW_PARAMETERS) this.statements.insertRow.run(pending.slice(i, i + ROW_PARAMETERS));
    pending.length = 0;
    this.customers.flush();
    this.grossItems.flush();
  }
}

import { parentPort, workerData } from "node:worker_threads";

import { ImportContext } from "~/features/import/context";
import { fullGarbageCollection } from "~/features/import/full-gc.server";
import { type FileImportResult, type FileLayout, importFile } from "~/features/import/import-file";
import { type ItemBatch, ItemBatchPacker } from "~/features/import/item-batch";
import { openLedgerLookup } from "~/features/import/queries/ledger-lookup.server";
import { type ImportSource, sourceFromBuffer } from "~/features/import/source";
import { sourceFromFile } from "~/features/import/source-file.server";

/**
 * The reading thread of a large import (import-ledger.server.ts starts it): reads and validates
 * every file in order while the writing thread inserts, and sends the valid records in packed
 * batches, each file's result after its last batch. The validator's questions about the ledger
 * go to a read-only connection; what the import itself defines is remembered here (context.ts).
 * At most a few batches are in flight: the writer acknowledges each one it has written.
 */

export interface ParseJobFile {
  name: string;
  /** a file on disk, or the bytes of an uploaded buffer */
  path?: string;
  bytes?: Uint8Array;
  layout: FileLayout;
  sheet?: string | null;
}

export interface ParseJob {
  module: string;
  databaseFile: string;
  baseCurrency: string;
  files: ParseJobFile[];
}

export type ParseMessage =
  | { type: "batch"; batch: ItemBatch; bytesRead: number }
  | { type: "file"; result: FileImportResult; bytesRead: number }
  | { type: "failed"; message: string; stack?: string };

/** Records per batch, and batches sent but not yet written. */
const BATCH_ITEMS = 4096;
const IN_FLIGHT = 4;

// This module only runs as a worker thread, where parentPort is always set.
const port = parentPort!;
const collectGarbage = fullGarbageCollection();
// workerData is the ParseJob the import passed when it started this thread.
const job = workerData as ParseJob;
let inFlight = 0;
let wake: (() => void) | null = null;
port.on("message", () => {
  inFlight -= 1;
  wake?.();
  wake = null;
});

function send(message: ParseMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

async function sendBatch(packer: ItemBatchPacker, bytesRead: number): Promise<void> {
  const batch = packer.take();
  inFlight += 1;
  // The batch's typed arrays are made over plain ArrayBuffers (never shared), which can be transferred.
  send({ type: "batch", batch, bytesRead }, [batch.kinds.buffer, batch.lines.buffer, batch.numbers.buffer, batch.lengths.buffer] as ArrayBuffer[]);
  while (inFlight >= IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
}

async function sourceOf(file: ParseJobFile): Promise<ImportSource> {
  if (file.path !== undefined) return sourceFromFile(file.path, file.name);
  return sourceFromBuffer(file.name, file.bytes ?? new Uint8Array(0));
}

async function run(): Promise<void> {
  const ledger = openLedgerLookup(job.databaseFile);
  try {
    const context = new ImportContext(ledger);
    for (const file of job.files) {
      const source = await sourceOf(file);
      let bytesRead = 0;
      const counted: ImportSource = {
        ...source,
        stream() {
          const stream = source.stream();
          stream.on("data", (chunk: Buffer) => (bytesRead += chunk.length));
          return stream;
        },
      };
      const packer = new ItemBatchPacker();
      const result = await importFile(counted, file.layout, context, { baseCurrency: job.baseCurrency, sheet: file.sheet }, (item) => {
        packer.add(item);
        if (packer.length >= BATCH_ITEMS) return sendBatch(packer, bytesRead);
      });
      if (packer.length > 0) await sendBatch(packer, bytesRead);
      send({ type: "file", result, bytesRead });
      // The file's keys (tens of MB for a million rows) are garbage now: freed before the next file.
      collectGarbage?.();
    }
  } finally {
    ledger.close();
  }
}

run().catch((error: unknown) => {
  send({
    type: "failed",
    message: error instanceof Error ? error.message : String(error),
    stack: error instanceof Error ? error.stack : undefined,
  });
});

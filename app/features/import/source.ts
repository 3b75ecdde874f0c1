/**
 * An import file as the readers need it: a name for the report, its size, random access to a
 * few bytes (magic numbers, the zip central directory at the end) and a fresh stream per pass.
 * A 1M-row export is read from disk in chunks (source-file.server.ts); an uploaded file can be a
 * Buffer. Pure: the file system is read by source-file.server.ts.
 */
import { Readable } from "node:stream";

export interface ImportSource {
  /** Shown in the report as `FILE:LINE: ...`, e.g. "invoices.csv". */
  name: string;
  size: number;
  /** Up to `length` bytes from `position` (fewer at the end of the file). */
  readRange(position: number, length: number): Promise<Buffer>;
  /** A new stream over the whole file in chunks of `chunkBytes` (default CHUNK); every call starts at byte 0. */
  stream(chunkBytes?: number): Readable;
  /** Where the bytes are, for a reader on another thread (import-ledger.server.ts); optional. */
  path?: string;
  bytes?: Uint8Array;
}

/** The chunk size of every source's stream (a file's and a buffer's alike). */
export const CHUNK = 64 * 1024;
/**
 * The chunk size of a pass over a whole file (encoding, plain CSV check, a plain CSV's rows): a
 * file read is a trip to libuv's thread pool and back, and a 1M-row file is ~700 trips at CHUNK,
 * each a wait for the main thread when the machine is busy. A plain CSV still hands its rows on
 * CHUNK at a time (read-table.ts), so its batches do not grow with it.
 */
export const READ_AHEAD = 1024 * 1024;

export function sourceFromBuffer(name: string, buffer: Buffer | Uint8Array): ImportSource {
  const bytes = Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return {
    name,
    size: bytes.length,
    bytes,
    readRange: async (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length)),
    // Chunked so that consumers see the same chunk boundaries as with a file (and tests cover them).
    stream: (chunkBytes = CHUNK) => Readable.from(chunks(bytes, chunkBytes), { objectMode: false }),
  };
}

function* chunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += size) {
    yield bytes.subarray(offset, offset + size);
  }
}

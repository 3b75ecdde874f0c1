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
  /** A new stream over the whole file; every call starts at byte 0. */
  stream(): Readable;
  /** Where the bytes are, for a reader on another thread (import-ledger.server.ts); optional. */
  path?: string;
  bytes?: Uint8Array;
}

/** The chunk size of every source's stream (a file's and a buffer's alike). */
export const CHUNK = 64 * 1024;

export function sourceFromBuffer(name: string, buffer: Buffer | Uint8Array): ImportSource {
  const bytes = Buffer.isBuffer(buffer) ? buffer : Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return {
    name,
    size: bytes.length,
    bytes,
    readRange: async (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length)),
    // Chunked so that consumers see the same chunk boundaries as with a file (and tests cover them).
    stream: () => Readable.from(chunks(bytes), { objectMode: false }),
  };
}

function* chunks(bytes: Buffer): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    yield bytes.subarray(offset, offset + CHUNK);
  }
}

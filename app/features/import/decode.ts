/**
 * Text encoding of CSV files (KPIS.md section 2): UTF-8 with or without BOM, or GB18030/GBK as
 * Chinese Excel writes it. We detect rather than ask: a file that is valid UTF-8 from start to
 * end is UTF-8 (Chinese GBK text is practically never valid UTF-8); anything else is GB18030
 * (a superset of GBK and GB2312) when its bytes read as Chinese text would, and refused when
 * they do not: a Latin-1/Windows-1252 file ("Café Müller") is neither, and decoding it as
 * GB18030 would store replacement characters and wrong Chinese ones without a word.
 */
import { isUtf8 } from "node:buffer";
import type { Readable, Transform } from "node:stream";

import iconv from "iconv-lite";

import { READ_AHEAD, type ImportSource } from "./source";

export type TextEncodingName = "utf-8" | "utf-8-bom" | "gb18030";

/** A file that is neither UTF-8 nor GBK text; `line` is where the first telling byte is. */
export interface NotGbk {
  notGbk: true;
  line: number;
}

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
}

function hasBom(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Decodes a whole buffer (small files, previews, tests). The BOM is removed from the text. */
export function decodeText(bytes: Buffer): DecodedText {
  if (hasBom(bytes)) return { text: bytes.subarray(3).toString("utf8"), encoding: "utf-8-bom" };
  if (isUtf8(bytes)) return { text: bytes.toString("utf8"), encoding: "utf-8" };
  return { text: iconv.decode(bytes, "gb18030"), encoding: "gb18030" };
}

/**
 * Detects the encoding of a file with one streaming pass (constant memory): one invalid UTF-8
 * sequence anywhere makes it GB18030, so the decision never changes halfway through a file.
 * Such a file is then read once more to check that it is GBK text at all (see `Gb18030Tally`).
 */
export async function detectEncoding(source: ImportSource): Promise<TextEncodingName | NotGbk> {
  const utf8 = await detectUtf8(source);
  if (utf8 !== null) return utf8;
  const tally = new Gb18030Tally();
  // Node's web streams are async iterable and yield Buffers from a file
  for await (const chunk of source.stream(READ_AHEAD) as AsyncIterable<Buffer>) {
    if (!tally.feed(chunk)) break;
  }
  const line = tally.end();
  return line === null ? "gb18030" : { notGbk: true, line };
}

async function detectUtf8(source: ImportSource): Promise<TextEncodingName | null> {
  const head = await source.readRange(0, 3);
  const bom = hasBom(head);
  let carry = Buffer.alloc(0);
  let skip = bom ? 3 : 0;
  // Node's web streams are async iterable and yield Buffers from a file
  for await (const chunk of source.stream(READ_AHEAD) as AsyncIterable<Buffer>) {
    let bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    if (skip > 0) {
      const dropped = Math.min(skip, bytes.length);
      bytes = bytes.subarray(dropped);
      skip -= dropped;
    }
    // A multi-byte character may straddle two chunks: check up to its start, keep the rest.
    const end = completeUtf8Length(bytes);
    if (!isUtf8(bytes.subarray(0, end))) return null;
    carry = Buffer.from(bytes.subarray(end));
  }
  if (carry.length > 0) return null;
  return bom ? "utf-8-bom" : "utf-8";
}

/**
 * Reads bytes as GB18030 and tells whether they are Chinese text. Chinese text in GBK is ASCII
 * and two-byte characters, most of them (all the common hanzi, punctuation and symbols of
 * GB2312) with both bytes at 0xA1 or above. Text in a Western single-byte encoding has its
 * accented letters (0xC0-0xFF) mostly followed by a plain letter, space or punctuation: a
 * "character" whose second byte is ASCII (0x40-0x7E: "Mü|ller" reads as 黮, a rare GBK-only
 * hanzi) or no valid character at all ("Caf|é |" ends in 0xE9 0x20). So a file is refused
 * when any byte sequence is invalid, or when characters with an ASCII second byte or in the
 * private-use areas make up half or more of its two-byte characters (the rare traditional or
 * GBK-only hanzi of a real Chinese file are a small share of it).
 */
class Gb18030Tally {
  private pairs = 0;
  private suspicious = 0;
  private line = 1;
  private firstSuspicious: number | null = null;
  private invalidAt: number | null = null;
  private pending: number[] = [];

  /** Takes the next bytes; false once the file is known not to be GB18030 (no need to go on). */
  feed(bytes: Buffer): boolean {
    for (const byte of bytes) {
      if (!this.take(byte)) {
        this.invalidAt = this.line;
        return false;
      }
    }
    return true;
  }

  /** The line to point at when the bytes are not GBK text; null when they are. */
  end(): number | null {
    if (this.invalidAt !== null) return this.invalidAt;
    if (this.pending.length > 0) return this.line;
    return this.suspicious * 2 >= this.pairs && this.suspicious > 0 ? this.firstSuspicious : null;
  }

  private take(byte: number): boolean {
    const pending = this.pending;
    const lead = pending[0];
    if (lead === undefined) {
      if (byte === 0x0a) this.line += 1;
      if (byte < 0x80) return true;
      if (byte === 0x80 || byte === 0xff) return false;
      pending.push(byte);
      return true;
    }
    if (pending.length === 1) {
      if (byte >= 0x30 && byte <= 0x39) {
        pending.push(byte); // the second byte of a four-byte character
        return true;
      }
      if (byte < 0x40 || byte === 0x7f || byte === 0xff) return false;
      this.pairs += 1;
      if (byte <= 0x7e || isPrivateUse(lead, byte)) {
        this.suspicious += 1;
        this.firstSuspicious ??= this.line;
      }
      pending.length = 0;
      return true;
    }
    if (pending.length === 2) {
      if (byte < 0x81 || byte === 0xff) return false;
      pending.push(byte);
      return true;
    }
    if (byte < 0x30 || byte > 0x39) return false;
    this.pairs += 1;
    pending.length = 0;
    return true;
  }
}

/** GBK's user-defined areas (AAA1-AFFE, F8A1-FEFE, A140-A7A0): private-use characters, never in exported data. */
function isPrivateUse(lead: number, trail: number): boolean {
  if (trail >= 0xa1) return (lead >= 0xaa && lead <= 0xaf) || lead >= 0xf8;
  return lead >= 0xa1 && lead <= 0xa7;
}

/** Length of `bytes` without a trailing, incomplete UTF-8 sequence. */
function completeUtf8Length(bytes: Buffer): number {
  const last = bytes.length - 1;
  for (let i = last; i >= 0 && i >= last - 3; i -= 1) {
    const byte = bytes[i] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return bytes.length - i < needed ? i : bytes.length;
  }
  return bytes.length;
}

/**
 * The file as a stream csv-parse can read: UTF-8 bytes pass through untouched (csv-parse drops
 * the BOM itself), GB18030 goes through iconv-lite's streaming decoder.
 */
export function textStream(source: ImportSource, encoding: TextEncodingName, chunkBytes?: number): Readable {
  const raw = source.stream(chunkBytes);
  if (encoding !== "gb18030") return raw;
  // iconv-lite's typings say ReadWriteStream; the object is a stream.Transform.
  const decoder = iconv.decodeStream("gb18030") as unknown as Transform;
  // pipe() does not forward errors: a failing file read must still end the import.
  raw.on("error", (error) => decoder.destroy(error));
  return raw.pipe(decoder);
}

/** Decodes the first bytes of a file, e.g. to look at its header line. */
export function decodeHead(bytes: Buffer, encoding: TextEncodingName): string {
  if (encoding === "gb18030") return iconv.decode(bytes, "gb18030");
  const text = bytes.toString("utf8");
  return encoding === "utf-8-bom" ? text.replace(/^\uFEFF/, "") : text;
}

/**
 * Text encoding of CSV files (KPIS.md section 2): UTF-8 with or without BOM, or GB18030/GBK as
 * Chinese Excel writes it. We detect rather than ask: a file that is valid UTF-8 from start to
 * end is UTF-8 (Chinese GBK text is practically never valid UTF-8); anything else is GB18030,
 * a superset of GBK and GB2312 that can decode any byte sequence.
 */
import { isUtf8 } from "node:buffer";
import type { Readable, Transform } from "node:stream";

import iconv from "iconv-lite";

import type { ImportSource } from "./source";

export type TextEncodingName = "utf-8" | "utf-8-bom" | "gb18030";

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
 */
export async function detectEncoding(source: ImportSource): Promise<TextEncodingName> {
  const head = await source.readRange(0, 3);
  const bom = hasBom(head);
  let carry = Buffer.alloc(0);
  let skip = bom ? 3 : 0;
  for await (const chunk of source.stream() as AsyncIterable<Buffer>) {
    let bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    if (skip > 0) {
      const dropped = Math.min(skip, bytes.length);
      bytes = bytes.subarray(dropped);
      skip -= dropped;
    }
    // A multi-byte character may straddle two chunks: check up to its start, keep the rest.
    const end = completeUtf8Length(bytes);
    if (!isUtf8(bytes.subarray(0, end))) return "gb18030";
    carry = Buffer.from(bytes.subarray(end));
  }
  if (carry.length > 0) return "gb18030";
  return bom ? "utf-8-bom" : "utf-8";
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
export function textStream(source: ImportSource, encoding: TextEncodingName): Readable {
  const raw = source.stream();
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

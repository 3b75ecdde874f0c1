/**
 * What kind of file is this, judged by its bytes and never by its name: users rename files,
 * and a picture called "invoices.csv" must get a clear message, not a page of parse errors.
 * XLSX files are zip archives: their central directory is checked here, before any unzipping,
 * so a zip bomb is refused on its declared sizes.
 */
import { message, type ImportMessage } from "./issue-text";
import type { ImportSource } from "./source";

export type TableFormat = "csv" | "xlsx";

export type SniffResult = { ok: true; format: TableFormat } | { ok: false; message: ImportMessage };

export interface SniffLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Largest total declared uncompressed size of an XLSX. */
  maxUncompressedBytes: number;
  /** Largest uncompressed/compressed ratio of one large zip entry. */
  maxCompressionRatio: number;
  /** Most zip entries in an XLSX. */
  maxZipEntries: number;
}

export const DEFAULT_SNIFF_LIMITS: SniffLimits = {
  maxFileBytes: 200 * 1024 * 1024,
  maxUncompressedBytes: 1024 * 1024 * 1024,
  // Worksheet XML compresses 10-30x, very repetitive sheets ~100x; zip bombs reach 1000x+.
  maxCompressionRatio: 200,
  maxZipEntries: 10_000,
};

// Entries smaller than this cannot hurt, whatever their ratio (styles.xml often exceeds 200x).
const RATIO_CHECK_MIN_BYTES = 10 * 1024 * 1024;

type What = "png" | "jpeg" | "gif" | "pdf" | "gzip" | "rar" | "sevenZip" | "elf" | "windowsProgram" | "tiff" | "riff" | "emptyZip" | "binary" | "word" | "powerpoint" | "openDocument" | "zip";

const SIGNATURES: { bytes: number[]; what: What }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: "png" },
  { bytes: [0xff, 0xd8, 0xff], what: "jpeg" },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: "gif" },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "pdf" },
  { bytes: [0x1f, 0x8b], what: "gzip" },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: "rar" },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: "sevenZip" },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: "elf" },
  { bytes: [0x4d, 0x5a], what: "windowsProgram" },
  { bytes: [0x49, 0x49, 0x2a, 0x00], what: "tiff" },
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], what: "tiff" },
  { bytes: [0x52, 0x49, 0x46, 0x46], what: "riff" },
];

function notTable(file: string, what: What): SniffResult {
  return { ok: false, message: message("notTable", { file, what: message(`what.${what}`) }) };
}

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export async function sniffFile(
  source: ImportSource,
  limits: SniffLimits = DEFAULT_SNIFF_LIMITS,
): Promise<SniffResult> {
  const file = source.name;
  if (source.size === 0) return { ok: false, message: message("fileEmpty") };
  if (source.size > limits.maxFileBytes) {
    return {
      ok: false,
      message: message("fileTooLarge", { file, size: megabytes(source.size), limit: megabytes(limits.maxFileBytes) }),
    };
  }
  const head = await source.readRange(0, 4096);

  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return checkXlsx(source, limits);
  if (startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return notTable(file, "emptyZip");
  if (startsWith(head, OLE2)) return { ok: false, message: message("oldExcel", { file }) };
  const known = SIGNATURES.find((signature) => startsWith(head, signature.bytes));
  if (known) return notTable(file, known.what);
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    return { ok: false, message: message("utf16", { file }) };
  }
  if (looksBinary(head)) return notTable(file, "binary");
  return { ok: true, format: "csv" };
}

function startsWith(bytes: Buffer, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, i) => bytes[i] === byte);
}

// Text files (UTF-8 or GBK) never contain NUL and rarely other C0 controls besides tab/CR/LF.
function looksBinary(head: Buffer): boolean {
  let controls = 0;
  for (const byte of head) {
    if (byte === 0) return true;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) controls += 1;
  }
  return controls > head.length / 100;
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "");
}

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  method: number;
  encrypted: boolean;
  /** where the entry's local header starts */
  localHeaderOffset: number;
}

/** Reads the zip central directory (including ZIP64) without decompressing anything. */
export async function readZipDirectory(source: ImportSource, maxEntries: number): Promise<ZipEntryInfo[] | ImportMessage> {
  const file = source.name;
  const damaged = (detail: "noDirectory" | "badZip64Locator" | "badZip64Record" | "truncated" | "badDirectory") =>
    message("zipDamaged", { file, detail: message(`zipDetail.${detail}`) });
  // The end-of-central-directory record is 22 bytes plus a comment of at most 65535 bytes.
  const tailLength = Math.min(source.size, 22 + 65535);
  const tailStart = source.size - tailLength;
  const tail = await source.readRange(tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i -= 1) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return damaged("noDirectory");
  let entryCount = tail.readUInt16LE(eocd + 10);
  let directorySize = tail.readUInt32LE(eocd + 12);
  let directoryOffset = tail.readUInt32LE(eocd + 16);
  if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) return damaged("badZip64Locator");
    const zip64Offset = Number(tail.readBigUInt64LE(locator + 8));
    if (zip64Offset + 56 > source.size) return damaged("badZip64Record");
    const zip64 = await source.readRange(zip64Offset, 56);
    if (zip64.length < 56 || zip64.readUInt32LE(0) !== 0x06064b50) return damaged("badZip64Record");
    entryCount = Number(zip64.readBigUInt64LE(32));
    directorySize = Number(zip64.readBigUInt64LE(40));
    directoryOffset = Number(zip64.readBigUInt64LE(48));
  }
  if (entryCount > maxEntries) return message("tooManyParts", { file, entries: entryCount, limit: maxEntries });
  if (directoryOffset + directorySize > source.size) return damaged("truncated");
  const directory = await source.readRange(directoryOffset, directorySize);
  const entries: ZipEntryInfo[] = [];
  let position = 0;
  for (let i = 0; i < entryCount; i += 1) {
    if (position + 46 > directory.length || directory.readUInt32LE(position) !== 0x02014b50) {
      return damaged("badDirectory");
    }
    const flags = directory.readUInt16LE(position + 8);
    const method = directory.readUInt16LE(position + 10);
    let compressedSize = directory.readUInt32LE(position + 20);
    let uncompressedSize = directory.readUInt32LE(position + 24);
    const nameLength = directory.readUInt16LE(position + 28);
    const extraLength = directory.readUInt16LE(position + 30);
    const commentLength = directory.readUInt16LE(position + 32);
    let localHeaderOffset = directory.readUInt32LE(position + 42);
    // A damaged length would read past the directory: that is a damaged zip, not a crash.
    if (position + 46 + nameLength + extraLength + commentLength > directory.length) return damaged("badDirectory");
    const name = directory.toString("utf8", position + 46, position + 46 + nameLength);
    // ZIP64 extra field: the 64-bit sizes, present only for fields saturated at 0xFFFFFFFF.
    let extra = position + 46 + nameLength;
    const extraEnd = extra + extraLength;
    while (extra + 4 <= extraEnd) {
      const id = directory.readUInt16LE(extra);
      const size = directory.readUInt16LE(extra + 2);
      if (id === 0x0001) {
        let field = extra + 4;
        if (uncompressedSize === 0xffffffff && field + 8 <= extraEnd) {
          uncompressedSize = Number(directory.readBigUInt64LE(field));
          field += 8;
        }
        if (compressedSize === 0xffffffff && field + 8 <= extraEnd) {
          compressedSize = Number(directory.readBigUInt64LE(field));
          field += 8;
        }
        if (localHeaderOffset === 0xffffffff && field + 8 <= extraEnd) {
          localHeaderOffset = Number(directory.readBigUInt64LE(field));
        }
      }
      extra += 4 + size;
    }
    entries.push({ name, compressedSize, uncompressedSize, method, encrypted: (flags & 1) === 1, localHeaderOffset });
    position = extraEnd + commentLength;
  }
  return entries;
}

async function checkXlsx(source: ImportSource, limits: SniffLimits): Promise<SniffResult> {
  const file = source.name;
  const entries = await readZipDirectory(source, limits.maxZipEntries);
  if (!Array.isArray(entries)) return { ok: false, message: entries };
  const names = new Set(entries.map((entry) => entry.name.toLowerCase()));
  if (!names.has("[content_types].xml") || !names.has("xl/workbook.xml")) {
    const what: What = names.has("word/document.xml")
      ? "word"
      : [...names].some((entry) => entry.startsWith("ppt/"))
      ? "powerpoint"
      : names.has("content.xml")
      ? "openDocument"
      : "zip";
    return notTable(file, what);
  }
  let total = 0;
  for (const entry of entries) {
    if (entry.encrypted) return { ok: false, message: message("encrypted", { file }) };
    if (entry.method !== 0 && entry.method !== 8) return { ok: false, message: message("unsupportedCompression", { file }) };
    total += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > RATIO_CHECK_MIN_BYTES && ratio > limits.maxCompressionRatio) {
      return { ok: false, message: message("zipBomb", { file, part: entry.name, ratio: Math.round(ratio) }) };
    }
  }
  if (total > limits.maxUncompressedBytes) {
    return {
      ok: false,
      message: message("tooLargeUnpacked", { file, size: megabytes(total), limit: megabytes(limits.maxUncompressedBytes) }),
    };
  }
  return { ok: true, format: "xlsx" };
}

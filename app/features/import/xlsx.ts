/**
 * Reads XLSX workbooks as people's tools write them (Excel, WPS, openpyxl, pandas/XlsxWriter,
 * ExcelJS): parts in any zip order, relationship targets relative or absolute, shared or inline
 * strings (rich text and phonetic runs included), rows and cells with or without their `r`
 * reference, and number cells shown as dates by their number format (built-in, Chinese-locale or
 * custom) turned into `YYYY-MM-DD`. The zip is read at random through its central directory, so
 * the workbook's sheet list comes first and only the sheets needed are inflated, one chunk at a
 * time: a large sheet streams with constant memory (the shared strings are kept, as they must).
 */
import { StringDecoder } from "node:string_decoder";
import { Readable } from "node:stream";
import { createInflateRaw } from "node:zlib";

import { fromEpochDay } from "~/kernel/dates";

import { englishMessage, message, type ImportMessage } from "./issue-text";
import { DEFAULT_SNIFF_LIMITS, readZipDirectory, type ZipEntryInfo } from "./sniff";
import type { ImportSource } from "./source";
import { attribute, XmlScanner, XmlTokenTooLongError, type XmlAttributes, type XmlHandler } from "./xml-scan";

export interface XlsxRow {
  /** the sheet's row number */
  line: number;
  values: string[];
}

export type SheetState = "visible" | "hidden" | "veryHidden";

export interface XlsxSheet {
  name: string;
  state: SheetState;
  /** the worksheet part in the zip; null for a chart sheet or a sheet whose part is missing */
  part: string | null;
}

/** A workbook that cannot be read (damaged zip data, broken XML, past a limit). */
export class XlsxReadError extends Error {
  /** What to tell the user in their language; null for low-level details shown as they are. */
  readonly problem: ImportMessage | null;

  constructor(problem: string | ImportMessage) {
    super(typeof problem === "string" ? problem : englishMessage(problem));
    this.name = "XlsxReadError";
    this.problem = typeof problem === "string" ? null : problem;
  }
}

/**
 * Bounds on what a workbook may make the server unpack and hold, counted on the bytes actually
 * inflated (a zip's directory can lie about its sizes). The sniffer's checks of the declared
 * sizes come first; these hold even when the declared sizes are small or false.
 */
export interface XlsxLimits {
  /** Most bytes one worksheet may unpack to. */
  maxSheetBytes: number;
  /** Most bytes any other part (shared strings, styles, workbook, relationships) may unpack to. */
  maxPartBytes: number;
  /** Most bytes unpacked in all, over every part read from one opened workbook. */
  maxTotalBytes: number;
  /** Longest text of one cell or one XML item, in characters (Excel's own cell limit is 32,767). */
  maxCellChars: number;
}

export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  maxSheetBytes: 200 * 1024 * 1024,
  maxPartBytes: 50 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxCellChars: 1024 * 1024,
};

/** Column XFD, the last one Excel and the OOXML standard allow. */
const MAX_COLUMNS = 16_384;

const READ_CHUNK = 256 * 1024;

/** Counts the bytes inflated from one workbook, over all its parts. */
interface Meter {
  limits: XlsxLimits;
  total: number;
}

export class XlsxWorkbook {
  private sharedStrings: string[] | null = null;

  private constructor(
    private readonly source: ImportSource,
    private readonly meter: Meter,
    private readonly entries: Map<string, ZipEntryInfo>,
    /** the workbook's sheets in tab order */
    readonly sheets: XlsxSheet[],
    private readonly dateStyles: boolean[],
    private readonly date1904: boolean,
    private readonly sharedStringsPart: string | null,
  ) {}

  static async open(
    source: ImportSource,
    limits: Partial<XlsxLimits> = {},
    maxZipEntries = DEFAULT_SNIFF_LIMITS.maxZipEntries,
  ): Promise<XlsxWorkbook> {
    const meter: Meter = { limits: { ...DEFAULT_XLSX_LIMITS, ...limits }, total: 0 };
    const directory = await readZipDirectory(source, maxZipEntries);
    if (!Array.isArray(directory)) throw new XlsxReadError(directory);
    const entries = new Map(directory.map((entry) => [entry.name.toLowerCase(), entry]));
    const read = (part: string) => partText(source, entries, part, meter);

    const workbookPart = "xl/workbook.xml";
    const workbook = await read(workbookPart);
    if (workbook === null) throw new XlsxReadError("the workbook part is missing");
    const relations = parseRelationships((await read(relationshipsOf(workbookPart))) ?? "", workbookPart, meter.limits);
    const { sheets: declared, date1904 } = parseWorkbook(workbook, meter.limits);
    const sheets = declared.map(({ name, state, relationId }): XlsxSheet => {
      const relation = relations.find((r) => r.id === relationId);
      const part = relation && relation.type.endsWith("/worksheet") && entries.has(relation.part.toLowerCase()) ? relation.part : null;
      return { name, state, part };
    });
    const partOfType = (type: string, fallback: string) =>
      relations.find((r) => r.type.endsWith(`/${type}`))?.part ?? (entries.has(fallback) ? fallback : null);
    const stylesPart = partOfType("styles", "xl/styles.xml");
    const styles = stylesPart ? await read(stylesPart) : null;
    return new XlsxWorkbook(
      source,
      meter,
      entries,
      sheets,
      styles ? parseDateStyles(styles, meter.limits) : [],
      date1904,
      partOfType("sharedStrings", "xl/sharedstrings.xml"),
    );
  }

  /** The sheet's non-blank rows, trailing empty cells dropped. Single use; stop early with `return()`. */
  async *rows(sheet: XlsxSheet): AsyncGenerator<XlsxRow> {
    if (sheet.part === null) return;
    const strings = await this.strings();
    const queue: XlsxRow[] = [];
    const { maxSheetBytes, maxCellChars } = this.meter.limits;
    const reader = new SheetReader(strings, this.dateStyles, this.date1904, maxCellChars, (row) => queue.push(row));
    const scanner = new XmlScanner(reader, maxCellChars);
    for await (const text of partChunks(this.source, this.entry(sheet.part), maxSheetBytes, this.meter)) {
      scan(scanner, text);
      yield* queue;
      queue.length = 0;
    }
    scanEnd(scanner);
    yield* queue;
  }

  /** The sheet's first non-blank row, or null when it has none. */
  async firstRow(sheet: XlsxSheet): Promise<XlsxRow | null> {
    const rows = this.rows(sheet);
    try {
      const first = await rows.next();
      return first.done ? null : first.value;
    } finally {
      await rows.return(undefined);
    }
  }

  private entry(part: string): ZipEntryInfo {
    const entry = this.entries.get(part.toLowerCase());
    if (!entry) throw new XlsxReadError(`the part ${part} is missing`);
    return entry;
  }

  private async strings(): Promise<string[]> {
    if (this.sharedStrings) return this.sharedStrings;
    const strings: string[] = [];
    if (this.sharedStringsPart && this.entries.has(this.sharedStringsPart.toLowerCase())) {
      const { maxPartBytes, maxCellChars } = this.meter.limits;
      const scanner = new XmlScanner(new SharedStringsReader(strings, maxCellChars), maxCellChars);
      const chunks = partChunks(this.source, this.entry(this.sharedStringsPart), maxPartBytes, this.meter);
      for await (const text of chunks) scan(scanner, text);
      scanEnd(scanner);
    }
    this.sharedStrings = strings;
    return strings;
  }
}

function scan(scanner: XmlScanner, text: string): void {
  try {
    scanner.write(text);
  } catch (error) {
    throw readError(error);
  }
}

function scanEnd(scanner: XmlScanner): void {
  try {
    scanner.end();
  } catch (error) {
    throw readError(error);
  }
}

function readError(error: unknown): XlsxReadError {
  if (error instanceof XlsxReadError) return error;
  if (error instanceof XmlTokenTooLongError) return cellTooLarge(error.limit);
  return new XlsxReadError(error instanceof Error ? error.message : String(error));
}

function cellTooLarge(limit: number): XlsxReadError {
  return new XlsxReadError(message("xlsxCellTooLarge", { limit }));
}

function megabytes(bytes: number): number {
  return Math.round((bytes / (1024 * 1024)) * 10) / 10;
}

// ---------------------------------------------------------------------------------------------
// zip parts

/**
 * A part's text, decoded as UTF-8 (a leading BOM dropped), one piece per inflated chunk. The
 * bytes are counted as they come out of the inflater: a part never yields more than its
 * declared size, nor more than `cap`, nor more than the workbook's total, and when read to the
 * end it must have exactly its declared size.
 */
async function* partChunks(source: ImportSource, entry: ZipEntryInfo, cap: number, meter: Meter): AsyncGenerator<string> {
  const part = entry.name;
  if (entry.uncompressedSize > cap) throw new XlsxReadError(message("xlsxPartTooLarge", { part, limit: megabytes(cap) }));
  let inflated = 0;
  const count = (bytes: Buffer): Buffer => {
    inflated += bytes.length;
    meter.total += bytes.length;
    if (inflated > entry.uncompressedSize) {
      throw new XlsxReadError(message("xlsxPartLarger", { part, declared: entry.uncompressedSize }));
    }
    if (meter.total > meter.limits.maxTotalBytes) {
      throw new XlsxReadError(message("xlsxTooLargeUnpacked", { limit: megabytes(meter.limits.maxTotalBytes) }));
    }
    return bytes;
  };
  const sizeMatches = () => {
    if (inflated !== entry.uncompressedSize) {
      throw new XlsxReadError(message("xlsxPartSizeDiffers", { part, actual: inflated, declared: entry.uncompressedSize }));
    }
  };
  const header = await source.readRange(entry.localHeaderOffset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== 0x04034b50) {
    throw new XlsxReadError(`the zip entry ${entry.name} is damaged`);
  }
  const start = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const end = start + entry.compressedSize;
  if (end > source.size) throw new XlsxReadError(`the zip entry ${entry.name} is cut short`);
  async function* compressed(): AsyncGenerator<Buffer> {
    for (let position = start; position < end; position += READ_CHUNK) {
      yield await source.readRange(position, Math.min(READ_CHUNK, end - position));
    }
  }
  const decoder = new StringDecoder("utf8");
  let first = true;
  const decode = (bytes: Buffer): string => {
    let text = decoder.write(bytes);
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  };
  if (entry.method === 0) {
    for await (const bytes of compressed()) yield decode(count(bytes));
    sizeMatches();
    yield decoder.end();
    return;
  }
  if (entry.method !== 8) throw new XlsxReadError(`the zip entry ${entry.name} uses an unsupported compression method`);
  const input = Readable.from(compressed());
  const inflate = createInflateRaw();
  input.on("error", (error) => inflate.destroy(error));
  input.pipe(inflate);
  try {
    // zlib's inflate stream is async iterable and yields Buffers
    for await (const bytes of inflate as AsyncIterable<Buffer>) yield decode(count(bytes));
  } catch (error) {
    if (error instanceof XlsxReadError) throw error;
    throw new XlsxReadError(`the zip entry ${entry.name} is damaged (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    input.destroy();
    inflate.destroy();
  }
  sizeMatches();
  yield decoder.end();
}

async function partText(source: ImportSource, entries: Map<string, ZipEntryInfo>, part: string, meter: Meter): Promise<string | null> {
  const entry = entries.get(part.toLowerCase());
  if (!entry) return null;
  let text = "";
  for await (const chunk of partChunks(source, entry, meter.limits.maxPartBytes, meter)) text += chunk;
  return text;
}

/** `xl/workbook.xml` → `xl/_rels/workbook.xml.rels` */
function relationshipsOf(part: string): string {
  const slash = part.lastIndexOf("/");
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

/** A relationship target as a zip path: absolute (`/xl/worksheets/sheet1.xml`) or relative to the source part. */
export function resolveTarget(from: string, target: string): string {
  const base = target.startsWith("/") ? [] : from.split("/").slice(0, -1);
  for (const segment of target.replace(/^\/+/, "").split("/")) {
    if (segment === "..") base.pop();
    else if (segment !== "." && segment !== "") base.push(segment);
  }
  return base.join("/");
}

// ---------------------------------------------------------------------------------------------
// workbook, relationships, styles

function collect(xml: string, limits: XlsxLimits, handler: Partial<XmlHandler>): void {
  const scanner = new XmlScanner({ open: () => {}, close: () => {}, text: () => {}, ...handler }, limits.maxCellChars);
  scan(scanner, xml);
  scanEnd(scanner);
}

function parseWorkbook(xml: string, limits: XlsxLimits) {
  const sheets: { name: string; state: SheetState; relationId: string | undefined }[] = [];
  let date1904 = false;
  collect(xml, limits, {
    open(name, attributes) {
      if (name === "workbookPr") date1904 = isTrue(attributes.date1904);
      if (name === "sheet") {
        const state = attributes.state === "hidden" || attributes.state === "veryHidden" ? attributes.state : "visible";
        sheets.push({ name: attributes.name ?? `Sheet${sheets.length + 1}`, state, relationId: attribute(attributes, "id") });
      }
    },
  });
  return { sheets, date1904 };
}

function parseRelationships(xml: string, from: string, limits: XlsxLimits) {
  const relations: { id: string; type: string; part: string }[] = [];
  collect(xml, limits, {
    open(name, attributes) {
      if (name !== "Relationship" || attributes.TargetMode === "External" || !attributes.Target) return;
      relations.push({ id: attributes.Id ?? "", type: attributes.Type ?? "", part: resolveTarget(from, attributes.Target) });
    },
  });
  return relations;
}

function isTrue(value: string | undefined): boolean {
  return value === "1" || value === "true";
}

/** Built-in number formats that show a date: the common ones and those of Chinese, Japanese and Korean Excel. */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58, 71, 72, 73, 74, 75, 78, 79, 80, 81]);

/** Whether a number format code shows a date (not only a time of day, not a number). */
export function isDateFormat(code: string): boolean {
  if (/^\s*general\s*$/i.test(code)) return false;
  const shown = (code.split(";")[0] ?? "")
    .replace(/"[^"]*"/g, "") // literal text: "年", "Date: "
    .replace(/\\./g, "") // escaped characters
    .replace(/\[(h+|m+|s+)\]/gi, "$1") // elapsed time: [h]:mm
    .replace(/\[[^\]]*\]/g, "") // colours, locales, conditions
    .replace(/[_*]./g, "") // padding and fill
    .replace(/[eE][+-]/g, ""); // scientific notation
  if (/[ydeg]/i.test(shown)) return true;
  // "m" alone is a month ("mmm"), next to hours or seconds it is minutes ("h:mm", "mm:ss")
  return /m/i.test(shown) && !/[hs]/i.test(shown);
}

/** For each cell style (`s` of a cell), whether it shows numbers as dates. */
function parseDateStyles(xml: string, limits: XlsxLimits): boolean[] {
  const custom = new Map<number, string>();
  const styles: number[] = [];
  let inCellXfs = false;
  collect(xml, limits, {
    open(name, attributes) {
      if (name === "numFmt") custom.set(Number(attributes.numFmtId), attributes.formatCode ?? "");
      else if (name === "cellXfs") inCellXfs = true;
      else if (name === "xf" && inCellXfs) styles.push(Number(attributes.numFmtId ?? 0));
    },
    close(name) {
      if (name === "cellXfs") inCellXfs = false;
    },
  });
  return styles.map((id) => {
    const code = custom.get(id);
    return code !== undefined ? isDateFormat(code) : BUILT_IN_DATE_FORMATS.has(id);
  });
}

// ---------------------------------------------------------------------------------------------
// strings and cells

/** OOXML escapes characters XML cannot hold as `_xHHHH_` (Excel writes a line feed as `_x000D_`...). */
function unescapeXstring(text: string): string {
  if (!text.includes("_x")) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * The text of a string item (`<si>` or a cell's `<is>`): its `<t>`, or its rich-text runs
 * joined, without phonetic guides (`<rPh>`).
 */
class StringItem {
  private parts: string[] = [];
  private length = 0;
  private inText = false;
  private phonetic = 0;

  constructor(private readonly maxChars: number) {}

  open(name: string): void {
    if (name === "rPh") this.phonetic += 1;
    else if (name === "t" && this.phonetic === 0) this.inText = true;
  }

  close(name: string): void {
    if (name === "rPh") this.phonetic -= 1;
    else if (name === "t") this.inText = false;
  }

  text(text: string): void {
    if (!this.inText) return;
    this.length += text.length;
    if (this.length > this.maxChars) throw cellTooLarge(this.maxChars);
    this.parts.push(text);
  }

  take(): string {
    const text = unescapeXstring(this.parts.join(""));
    this.parts = [];
    this.length = 0;
    this.inText = false;
    this.phonetic = 0;
    return text;
  }
}

class SharedStringsReader implements XmlHandler {
  private item: StringItem | null = null;

  constructor(
    private readonly strings: string[],
    private readonly maxChars: number,
  ) {}

  open(name: string): void {
    if (name === "si") this.item = new StringItem(this.maxChars);
    else this.item?.open(name);
  }

  close(name: string): void {
    if (name === "si" && this.item) {
      this.strings.push(this.item.take());
      this.item = null;
    } else this.item?.close(name);
  }

  text(text: string): void {
    this.item?.text(text);
  }
}

/** `B` → 2, `AA` → 27; the letters of a cell reference like `AA12`. */
export function columnNumber(reference: string): number {
  let column = 0;
  for (let i = 0; i < reference.length; i += 1) {
    const code = reference.charCodeAt(i) & ~0x20; // upper case
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
  }
  return column;
}

// Excel counts the non-existent 1900-02-29 (serial 60): from serial 61 on, epoch day = serial - 25569.
const EXCEL_EPOCH_OFFSET = 25569;
const DATE_1904_OFFSET = 24107;

/** The `YYYY-MM-DD` of an Excel date serial (a time of day is dropped); null when no real date. */
export function serialDate(serial: number, date1904 = false): string | null {
  if (!Number.isFinite(serial) || serial < 0) return null;
  const day = Math.floor(serial);
  if (date1904) return fromEpochDay(day - DATE_1904_OFFSET);
  if (day === 60 || day === 0) return null;
  return fromEpochDay(day < 60 ? day - EXCEL_EPOCH_OFFSET + 1 : day - EXCEL_EPOCH_OFFSET);
}

/**
 * The decimal text of a number cell without binary-float noise: Excel keeps 15 significant
 * digits, so 0.1+0.2 stored as 0.30000000000000004 reads "0.3" and 12345.670000000002 reads
 * "12345.67". Whole numbers are written out in full.
 */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
  const precise = value.toPrecision(15);
  if (precise.includes("e")) return String(value);
  return precise.replace(/0+$/, "").replace(/\.$/, "");
}

/** Turns `<sheetData>` into rows of cell text, as a CSV export of the sheet would show them. */
class SheetReader implements XmlHandler {
  private inSheetData = false;
  private row: string[] | null = null;
  private rowNumber = 0;
  private column = 0;
  private cell: { column: number; type: string; style: number } | null = null;
  private value: string[] = [];
  private valueLength = 0;
  private inValue = false;
  private inline: StringItem | null = null;

  constructor(
    private readonly strings: string[],
    private readonly dateStyles: boolean[],
    private readonly date1904: boolean,
    private readonly maxCellChars: number,
    private readonly emit: (row: XlsxRow) => void,
  ) {}

  open(name: string, attributes: XmlAttributes): void {
    if (name === "sheetData") {
      this.inSheetData = true;
    } else if (!this.inSheetData) {
      return;
    } else if (name === "row") {
      const number = Number(attributes.r);
      this.rowNumber = Number.isInteger(number) && number > 0 ? number : this.rowNumber + 1;
      this.row = [];
      this.column = 0;
    } else if (name === "c" && this.row) {
      const reference = attributes.r;
      const column = reference ? columnNumber(reference) : 0;
      this.column = column > 0 ? column : this.column + 1;
      // A damaged reference (or a run of cells without one) must not grow the row without end.
      if (this.column > MAX_COLUMNS) throw new XlsxReadError(message("xlsxTooManyColumns", { row: this.rowNumber, limit: "XFD" }));
      this.cell = { column: this.column, type: attributes.t ?? "n", style: Number(attributes.s ?? 0) };
      this.value = [];
      this.valueLength = 0;
    } else if (name === "v" && this.cell) {
      this.inValue = true;
    } else if (name === "is" && this.cell) {
      this.inline = new StringItem(this.maxCellChars);
    } else {
      this.inline?.open(name);
    }
  }

  close(name: string): void {
    if (!this.inSheetData) return;
    if (name === "sheetData") {
      this.inSheetData = false;
    } else if (name === "v") {
      this.inValue = false;
    } else if (name === "is") {
      if (this.inline) this.value = [this.inline.take()];
      this.inline = null;
    } else if (name === "c") {
      if (this.cell && this.row) {
        const text = this.cellText(this.cell, this.value.join(""));
        if (text !== "") {
          while (this.row.length < this.cell.column - 1) this.row.push("");
          this.row[this.cell.column - 1] = text;
        }
      }
      this.cell = null;
    } else if (name === "row") {
      const row = this.row;
      this.row = null;
      if (row && row.some((value) => value.trim() !== "")) this.emit({ line: this.rowNumber, values: row });
    } else {
      this.inline?.close(name);
    }
  }

  text(text: string): void {
    if (this.inValue) {
      this.valueLength += text.length;
      if (this.valueLength > this.maxCellChars) throw cellTooLarge(this.maxCellChars);
      this.value.push(text);
    } else this.inline?.text(text);
  }

  private cellText(cell: { type: string; style: number }, value: string): string {
    switch (cell.type) {
      case "s":
        return this.strings[Number(value)] ?? "";
      case "inlineStr":
        return value;
      case "str":
        return unescapeXstring(value);
      case "b":
        return value.trim() === "" ? "" : value.trim() === "0" ? "FALSE" : "TRUE";
      case "e":
        return value;
      case "d":
        // ISO 8601 date cells (strict OOXML, some writers)
        return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : value;
      default: {
        const trimmed = value.trim();
        if (trimmed === "") return "";
        const number = Number(trimmed);
        if (Number.isNaN(number)) return trimmed;
        if (this.dateStyles[cell.style]) return serialDate(number, this.date1904) ?? numberText(number);
        return numberText(number);
      }
    }
  }
}

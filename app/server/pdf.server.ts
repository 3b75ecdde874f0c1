import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { inflateSync } from "node:zlib";

import PDFDocument from "pdfkit";

import type { PdfAlign, PdfBlock, PdfDocumentSpec } from "~/kernel/pdf-document";
import { type SubsetTable, subsetTable, textRuns, wrapText } from "~/server/pdf-text";

export type { PdfAlign, PdfBlock, PdfColumn, PdfDocumentSpec, PdfSection } from "~/kernel/pdf-document";

/**
 * The one PDF writer of the app, the way spreadsheet.server.ts is the one XLSX writer: a feature
 * describes its document as blocks (headings, paragraphs, tables, signature lines) and never sees
 * pdfkit; this module lays them out on A4 with margins, breaks tables across pages repeating
 * their header row, numbers the pages of each section ("Page 2 of 3" / "第 2 页 共 3 页") and
 * draws every text with the Noto Sans SC subsets that hold its characters (pdf-text.ts).
 *
 * Usage (from a route): `pdfResponse(fileName, await pdfBytes(document))`.
 */

const A4: [number, number] = [595.28, 841.89];
const MARGIN = { top: 64, bottom: 64, left: 64, right: 64 };
const BODY_SIZE = 10.5;
const LINE_GAP = 1.45;
const CELL_PADDING = 4;

const fontDirectory = (() => {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve("@fontsource/noto-sans-sc/unicode.json")), "files");
})();

let table: SubsetTable | null = null;

/** The subset table of the font, read once. */
export function fontSubsets(): SubsetTable {
  if (!table) {
    const raw: unknown = JSON.parse(readFileSync(path.join(fontDirectory, "..", "unicode.json"), "utf8"));
    const entries = typeof raw === "object" && raw !== null ? Object.entries(raw).filter((entry): entry is [string, string] => typeof entry[1] === "string") : [];
    table = subsetTable(Object.fromEntries(entries));
  }
  return table;
}

type Weight = 400 | 700;

/**
 * A WOFF (1.0) font unwrapped to the plain TrueType file it packs: each table inflated and laid
 * out behind a new table directory. fontkit misreads the cmap of some of the font's WOFF files
 * (subset 101, which holds characters such as 簿), and its WOFF2 glyphs come out garbled, while
 * the same tables read as TrueType are right; unwrapping costs a few milliseconds per file.
 */
export function woffToTrueType(woff: Buffer): Buffer {
  if (woff.toString("latin1", 0, 4) !== "wOFF") throw new Error("not a WOFF font");
  const flavor = woff.readUInt32BE(4);
  const count = woff.readUInt16BE(12);
  const tables = Array.from({ length: count }, (_, index) => {
    const entry = 44 + index * 20;
    const offset = woff.readUInt32BE(entry + 4);
    const compressed = woff.readUInt32BE(entry + 8);
    const length = woff.readUInt32BE(entry + 12);
    const packed = woff.subarray(offset, offset + compressed);
    return { tag: woff.subarray(entry, entry + 4), checksum: woff.readUInt32BE(entry + 16), data: compressed < length ? inflateSync(packed) : packed };
  });
  const directory = Buffer.alloc(12 + 16 * count);
  let power = 1;
  while (power * 2 <= count) power *= 2;
  directory.writeUInt32BE(flavor, 0);
  directory.writeUInt16BE(count, 4);
  directory.writeUInt16BE(power * 16, 6);
  directory.writeUInt16BE(Math.log2(power), 8);
  directory.writeUInt16BE(count * 16 - power * 16, 10);
  let offset = directory.length;
  const bodies = tables.map((table, index) => {
    const entry = 12 + index * 16;
    table.tag.copy(directory, entry);
    directory.writeUInt32BE(table.checksum, entry + 4);
    directory.writeUInt32BE(offset, entry + 8);
    directory.writeUInt32BE(table.data.length, entry + 12);
    // tables start on 4-byte boundaries
    const padded = Buffer.alloc((table.data.length + 3) & ~3);
    table.data.copy(padded);
    offset += padded.length;
    return padded;
  });
  return Buffer.concat([directory, ...bodies]);
}

const fontFiles = new Map<string, Buffer>();

/** A subset's font file as TrueType, read and unwrapped once per process. */
function fontFile(subset: string, weight: Weight): Buffer {
  const key = `${subset}-${weight}`;
  let file = fontFiles.get(key);
  if (!file) {
    file = woffToTrueType(readFileSync(path.join(fontDirectory, `noto-sans-sc-${subset}-${weight}-normal.woff`)));
    fontFiles.set(key, file);
  }
  return file;
}

class Writer {
  readonly doc: PDFKit.PDFDocument;
  private readonly registered = new Set<string>();
  private readonly subsets = fontSubsets();
  y = MARGIN.top;
  /** the page index (in the buffer) where each section starts */
  readonly sectionStarts: number[] = [];
  private pageCount = 0;

  constructor(title: string) {
    this.doc = new PDFDocument({ size: A4, margins: MARGIN, bufferPages: true, autoFirstPage: false, info: { Title: title, Producer: "Quarterdeck", Creator: "Quarterdeck" } });
  }

  get left(): number {
    return MARGIN.left;
  }

  get width(): number {
    return A4[0] - MARGIN.left - MARGIN.right;
  }

  get bottom(): number {
    return A4[1] - MARGIN.bottom;
  }

  addPage(): void {
    this.doc.addPage();
    this.pageCount += 1;
    this.y = MARGIN.top;
  }

  startSection(): void {
    this.addPage();
    this.sectionStarts.push(this.pageCount - 1);
  }

  private font(subset: string, weight: Weight): string {
    const name = `noto-${subset}-${weight}`;
    if (!this.registered.has(name)) {
      this.doc.registerFont(name, fontFile(subset, weight));
      this.registered.add(name);
    }
    return name;
  }

  measure(text: string, size: number, weight: Weight): number {
    let width = 0;
    for (const run of textRuns(this.subsets, text)) width += this.doc.font(this.font(run.subset, weight)).fontSize(size).widthOfString(run.text);
    return width;
  }

  lines(text: string, width: number, size: number, weight: Weight): string[] {
    return wrapText(text, width, (t) => this.measure(t, size, weight));
  }

  /** Draws one line (no wrapping) at x..x+width, aligned. */
  drawLine(text: string, x: number, y: number, width: number, size: number, weight: Weight, align: PdfAlign = "left"): void {
    const textWidth = this.measure(text, size, weight);
    let at = align === "right" ? x + width - textWidth : align === "center" ? x + (width - textWidth) / 2 : x;
    for (const run of textRuns(this.subsets, text)) {
      this.doc.font(this.font(run.subset, weight)).fontSize(size);
      this.doc.text(run.text, at, y, { lineBreak: false });
      at += this.doc.widthOfString(run.text);
    }
  }

  /** Room for `height` more points on this page, or a new page. */
  ensure(height: number): boolean {
    if (this.y + height <= this.bottom) return false;
    this.addPage();
    return true;
  }

  paragraph(text: string, options: { size?: number; weight?: Weight; align?: PdfAlign; indent?: boolean }): void {
    const size = options.size ?? BODY_SIZE;
    const weight = options.weight ?? 400;
    const lineHeight = size * LINE_GAP;
    // a first-line indent of two characters, as Chinese letters are set
    const lines = this.lines(`${options.indent ? "\u3000\u3000" : ""}${text}`, this.width, size, weight);
    for (const line of lines) {
      this.ensure(lineHeight);
      this.drawLine(line, this.left, this.y, this.width, size, weight, options.align);
      this.y += lineHeight;
    }
  }

  table(block: Extract<PdfBlock, { kind: "table" }>): void {
    const size = BODY_SIZE - 1;
    const lineHeight = size * 1.35;
    const share = block.columns.reduce((sum, column) => sum + column.width, 0) || 1;
    const widths = block.columns.map((column) => (column.width / share) * this.width);
    const xs = widths.map((_, index) => this.left + widths.slice(0, index).reduce((a, b) => a + b, 0));
    const layout = (cells: readonly string[], weight: Weight) => {
      const cellLines = block.columns.map((_, index) => this.lines(cells[index] ?? "", (widths[index] ?? 0) - CELL_PADDING * 2, size, weight));
      const height = Math.max(1, ...cellLines.map((lines) => lines.length)) * lineHeight + CELL_PADDING * 2;
      return { cellLines, height };
    };
    const drawRow = (cells: readonly string[], weight: Weight, shaded: boolean) => {
      const { cellLines, height } = layout(cells, weight);
      if (shaded) this.doc.rect(this.left, this.y, this.width, height).fillColor("#eeeeee").fill().fillColor("#000000");
      block.columns.forEach((column, index) => {
        const x = xs[index] ?? this.left;
        const w = widths[index] ?? 0;
        this.doc.rect(x, this.y, w, height).lineWidth(0.5).strokeColor("#444444").stroke();
        (cellLines[index] ?? []).forEach((line, lineIndex) =>
          this.drawLine(line, x + CELL_PADDING, this.y + CELL_PADDING + lineIndex * lineHeight, w - CELL_PADDING * 2, size, weight, column.align),
        );
      });
      this.y += height;
    };
    const header = block.header !== false;
    const headerCells = block.columns.map((column) => column.header);
    const headerHeight = header ? layout(headerCells, 700).height : 0;
    const body: { cells: readonly string[]; weight: Weight }[] = [...block.rows.map((cells) => ({ cells, weight: 400 as const })), ...(block.totals ?? []).map((cells) => ({ cells, weight: 700 as const }))];
    // the header never stands alone at a page's foot
    const firstHeight = body[0] ? layout(body[0].cells, body[0].weight).height : 0;
    this.ensure(headerHeight + firstHeight);
    if (header) drawRow(headerCells, 700, true);
    for (const row of body) {
      const { height } = layout(row.cells, row.weight);
      if (this.ensure(height) && header) drawRow(headerCells, 700, true);
      drawRow(row.cells, row.weight, false);
    }
  }

  cut(text: string): void {
    const lineHeight = BODY_SIZE * LINE_GAP;
    this.ensure(lineHeight * 2);
    const middle = this.y + lineHeight / 2;
    const textWidth = this.measure(text, BODY_SIZE - 1.5, 400) + 12;
    const gapStart = this.left + (this.width - textWidth) / 2;
    this.doc.lineWidth(0.6).strokeColor("#444444").dash(4, { space: 3 });
    this.doc.moveTo(this.left, middle).lineTo(gapStart, middle).stroke();
    this.doc.moveTo(gapStart + textWidth, middle).lineTo(this.left + this.width, middle).stroke();
    this.doc.undash();
    this.drawLine(text, gapStart, this.y + 2, textWidth, BODY_SIZE - 1.5, 400, "center");
    this.y += lineHeight * 1.5;
  }

  writeLines(count: number): void {
    const lineHeight = BODY_SIZE * 2;
    for (let i = 0; i < count; i += 1) {
      this.ensure(lineHeight);
      this.y += lineHeight;
      this.doc.moveTo(this.left + BODY_SIZE * 2, this.y - 4).lineTo(this.left + this.width, this.y - 4).lineWidth(0.5).strokeColor("#888888").stroke();
    }
  }

  block(block: PdfBlock): void {
    switch (block.kind) {
      case "title":
        this.paragraph(block.text, { size: 18, weight: 700, align: "center" });
        this.y += 8;
        return;
      case "heading":
        this.y += 4;
        this.paragraph(block.text, { size: 12, weight: 700 });
        this.y += 2;
        return;
      case "paragraph":
        this.paragraph(block.text, { size: block.size, weight: block.bold ? 700 : 400, align: block.align, indent: block.indent });
        return;
      case "table":
        this.table(block);
        this.y += 6;
        return;
      case "space":
        this.y += (block.lines ?? 1) * BODY_SIZE * LINE_GAP;
        return;
      case "cut":
        this.cut(block.text);
        return;
      case "writeLines":
        this.writeLines(block.count);
        return;
      case "pageBreak":
        this.addPage();
        return;
    }
  }

  /** Each section's pages numbered in the footer. */
  numberPages(label: (page: number, pages: number) => string): void {
    const range = this.doc.bufferedPageRange();
    const ends = [...this.sectionStarts.slice(1), range.start + range.count];
    this.sectionStarts.forEach((start, index) => {
      const end = ends[index] ?? start + 1;
      for (let page = start; page < end; page += 1) {
        this.doc.switchToPage(page);
        // the footer sits in the bottom margin: keep pdfkit from starting a page for it
        const margins = this.doc.page.margins;
        this.doc.page.margins = { ...margins, bottom: 0 };
        this.drawLine(label(page - start + 1, end - start), this.left, A4[1] - MARGIN.bottom / 2 - 4, this.width, 8.5, 400, "center");
        this.doc.page.margins = margins;
      }
    });
  }
}

/** The document as PDF bytes. */
export function pdfBytes(spec: PdfDocumentSpec): Promise<Uint8Array<ArrayBuffer>> {
  const writer = new Writer(spec.title);
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array<ArrayBuffer>>((resolve, reject) => {
    writer.doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    writer.doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    writer.doc.on("error", reject);
  });
  for (const section of spec.sections.length > 0 ? spec.sections : [{ blocks: [] }]) {
    writer.startSection();
    for (const block of section.blocks) writer.block(block);
  }
  writer.numberPages(spec.pageLabel);
  writer.doc.end();
  return done;
}

export const PDF_CONTENT_TYPE = "application/pdf";

/** The download answer of a PDF: an attachment named `fileName` (ASCII), never cached. */
export function pdfResponse(fileName: string, body: Uint8Array<ArrayBuffer>, disposition: "attachment" | "inline" = "attachment"): Response {
  return new Response(body, {
    headers: {
      "Content-Type": PDF_CONTENT_TYPE,
      "Content-Disposition": `${disposition}; filename="${fileName}"`,
      "Cache-Control": "no-store",
    },
  });
}

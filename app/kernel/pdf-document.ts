/**
 * A PDF document as data: what a feature hands to the one PDF writer (server/pdf.server.ts), so
 * the features lay out their letters and statements in pure code and never see pdfkit or bytes.
 */

export type PdfAlign = "left" | "center" | "right";

export type PdfBlock =
  | { kind: "title"; text: string }
  | { kind: "heading"; text: string }
  | { kind: "paragraph"; text: string; align?: PdfAlign; bold?: boolean; size?: number; indent?: boolean }
  | { kind: "table"; columns: readonly PdfColumn[]; rows: readonly (readonly string[])[]; totals?: readonly (readonly string[])[]; header?: boolean }
  | { kind: "space"; lines?: number }
  /** a dashed line across the page with a word in its middle: where a reply slip is cut off */
  | { kind: "cut"; text: string }
  /** blank lines to write on */
  | { kind: "writeLines"; count: number }
  | { kind: "pageBreak" };

export interface PdfColumn {
  header: string;
  /** share of the text width; the shares of a table are scaled to fill it */
  width: number;
  align?: PdfAlign;
}

export interface PdfSection {
  blocks: readonly PdfBlock[];
}

export interface PdfDocumentSpec {
  title: string;
  /** the footer's words: `page(n, of)` */
  pageLabel: (page: number, pages: number) => string;
  /** each section starts on a new page and numbers its own pages (one letter of a merged file) */
  sections: readonly PdfSection[];
}

/** The company as a letter names it (the installation's settings); empty texts are left out. */
export interface Letterhead {
  name: string;
  address: string;
  contact: string;
}

/**
 * The head of a letter: the company's name centred in bold, its address and contact line under it
 * in small type, then a little space. Nothing when no name is set.
 */
export function letterheadBlocks(letterhead: Letterhead | null | undefined): PdfBlock[] {
  if (!letterhead || letterhead.name.trim() === "") return [];
  const small = [letterhead.address, letterhead.contact].filter((text) => text.trim() !== "");
  return [
    { kind: "paragraph", text: letterhead.name, bold: true, size: 13, align: "center" },
    ...small.map((text): PdfBlock => ({ kind: "paragraph", text, size: 8.5, align: "center" })),
    { kind: "space", lines: 0.6 },
  ];
}

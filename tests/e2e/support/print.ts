import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { Page } from "playwright-core";

/**
 * What a page looks like on A4 paper, measured two ways: in the page itself with print media
 * emulated at the width of the A4 content box (a table wider than the paper, a cell whose content
 * runs over its edge), and in the PDF Chromium prints, read back with poppler's pdftotext (which
 * rows of which table landed on which page).
 */

const MM_TO_CSS_PX = 96 / 25.4;

/**
 * Waits until React has hydrated the page: the row markers below change the document, and on a
 * loaded machine a page can still be hydrating after its load event (hydration mismatches).
 */
async function hydrated(page: Page): Promise<void> {
  await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
}

/**
 * The width of the printed page's content box in CSS pixels: A4 (portrait, or landscape if the
 * page's `@page` rule says so) less the side margins of its `@page` rules, the later rule winning.
 */
async function a4ContentWidth(page: Page): Promise<number> {
  // No named functions inside: a bundler's name-keeping helper does not exist in the page.
  const widthMm = await page.evaluate(() => {
    const mmPer: Record<string, number> = { mm: 1, cm: 10, in: 25.4, px: 25.4 / 96 };
    // Without an @page margin Chromium prints about 10 mm from each edge.
    const margins = { left: 10, right: 10 };
    let landscape = false;
    for (const sheet of Array.from(document.styleSheets)) {
      for (const rule of Array.from(sheet.cssRules)) {
        if (!(rule instanceof CSSPageRule) || rule.selectorText !== "") continue;
        if (rule.style.getPropertyValue("size")) landscape = /landscape/.test(rule.style.getPropertyValue("size"));
        for (const side of ["left", "right"] as const) {
          const match = /^([\d.]+)(mm|cm|in|px)$/.exec(side === "left" ? rule.style.marginLeft : rule.style.marginRight);
          if (match) margins[side] = Number(match[1]) * (mmPer[match[2] ?? ""] ?? NaN);
        }
      }
    }
    return (landscape ? 297 : 210) - margins.left - margins.right;
  });
  return Math.floor(widthMm * MM_TO_CSS_PX);
}

export interface PrintOverflow {
  table: string;
  cell: string;
  problem: string;
}

/**
 * With print media emulated at the A4 content width: every table that is shown fits the width,
 * and no cell's content reaches past its cell's edges. The viewport and media are restored after.
 */
export async function printOverflows(page: Page): Promise<PrintOverflow[]> {
  await hydrated(page);
  const viewport = page.viewportSize();
  const width = await a4ContentWidth(page);
  await page.emulateMedia({ media: "print" });
  await page.setViewportSize({ width, height: viewport?.height ?? 900 });
  try {
    return await page.evaluate((contentWidth) => {
      const problems: { table: string; cell: string; problem: string }[] = [];
      const tolerance = 0.5;
      document.querySelectorAll("table").forEach((table, index) => {
        const box = table.getBoundingClientRect();
        // Not on paper: hidden, or inside a closed <details>.
        if (box.width === 0 || !table.checkVisibility({ visibilityProperty: true })) return;
        const name = table.getAttribute("data-table") ?? table.getAttribute("aria-label") ?? table.className ?? `table ${index + 1}`;
        if (box.left < -tolerance || box.right > contentWidth + tolerance) {
          problems.push({ table: name, cell: "", problem: `table spans ${box.left.toFixed(1)}..${box.right.toFixed(1)} px, the page ${contentWidth} px` });
        }
        table.querySelectorAll("th, td").forEach((cell) => {
          const edge = cell.getBoundingClientRect();
          if (edge.width === 0) return;
          const lines: DOMRect[] = [];
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          for (let text = walker.nextNode(); text; text = walker.nextNode()) {
            // Text kept for screen readers only (a 1 px clipped box) is not on paper.
            const holder = text.parentElement!.getBoundingClientRect();
            if (holder.width <= 1 && holder.height <= 1) continue;
            const range = document.createRange();
            range.selectNodeContents(text);
            lines.push(...Array.from(range.getClientRects()));
          }
          for (const line of lines) {
            if (line.width === 0) continue;
            if (line.left < edge.left - tolerance || line.right > edge.right + tolerance) {
              problems.push({
                table: name,
                cell: (cell.textContent ?? "").trim().slice(0, 60),
                problem: `content ${line.left.toFixed(1)}..${line.right.toFixed(1)} px, cell ${edge.left.toFixed(1)}..${edge.right.toFixed(1)} px`,
              });
              break;
            }
          }
        });
      });
      return problems;
    }, width);
  } finally {
    await page.setViewportSize(viewport ?? { width: 1280, height: 900 });
    await page.emulateMedia({ media: null });
  }
}

export interface PrintedTable {
  table: string;
  rows: number;
  /** rows of the table on each page it appears on, in page order */
  rowsPerPage: number[];
}

function requirePdftotext() {
  try {
    execFileSync("pdftotext", ["-v"], { stdio: "ignore" });
  } catch {
    throw new Error("The print tests read the PDF with pdftotext: install Debian's poppler-utils (apt-get install -y poppler-utils).");
  }
}

/**
 * Prints the page to A4 as the user would (the stylesheet's `@page`) and says on which pages each
 * table's body rows landed. Each row's first cell gets an invisible marker first (absolutely placed
 * in the cell, so nothing moves); pdftotext finds the markers page by page.
 */
export async function printedTables(page: Page): Promise<{ pages: number; tables: PrintedTable[] }> {
  requirePdftotext();
  await hydrated(page);
  // Marked with print media emulated: only the tables on paper (a chart's table of figures is not).
  await page.emulateMedia({ media: "print" });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-print-"));
  try {
    const tables = await page.evaluate(() =>
      Array.from(document.querySelectorAll("table"))
        .filter((table) => table.checkVisibility({ visibilityProperty: true }))
        .map((table, t) => {
          const rows = Array.from(table.querySelectorAll(":scope > tbody > tr"));
          rows.forEach((row, r) => {
            const cell = row.firstElementChild as HTMLElement | null;
            if (!cell) return;
            const marker = document.createElement("span");
            marker.className = "print-test-marker";
            marker.textContent = ` QDROW${t}x${r}Q `;
            marker.style.cssText = "position:absolute;top:0;left:0;font-size:3px;line-height:1;color:#fefefe;white-space:nowrap;";
            cell.style.position = "relative";
            cell.prepend(marker);
          });
          return { table: table.getAttribute("data-table") ?? table.getAttribute("aria-label") ?? `table ${t + 1}`, rows: rows.length };
        }),
    );
    const file = path.join(dir, "page.pdf");
    fs.writeFileSync(file, await page.pdf({ format: "A4", preferCSSPageSize: true }));
    const pages = execFileSync("pdftotext", ["-layout", file, "-"]).toString().split("\f").slice(0, -1);
    const perTable = tables.map(() => new Map<number, number>());
    const seen = tables.map(() => new Set<number>());
    pages.forEach((text, p) => {
      for (const match of text.matchAll(/QDROW(\d+)x(\d+)Q/g)) {
        const counts = perTable[Number(match[1])];
        const rows = seen[Number(match[1])];
        if (!counts || !rows) throw new Error(`the PDF names table ${match[1]}, which the page does not have`);
        counts.set(p, (counts.get(p) ?? 0) + 1);
        rows.add(Number(match[2]));
      }
    });
    return {
      pages: pages.length,
      tables: tables.map((table, t) => {
        const found = seen[t]?.size ?? 0;
        if (found !== table.rows) throw new Error(`${table.table}: found ${found} of its ${table.rows} rows in the PDF`);
        return { ...table, rowsPerPage: [...(perTable[t] ?? new Map<number, number>()).entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n) };
      }),
    };
  } finally {
    await page.evaluate(() => document.querySelectorAll(".print-test-marker").forEach((marker) => marker.remove()));
    await page.emulateMedia({ media: null });
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The tables that leave one row alone on a page (a table of one row is not one). */
export function loneRows(tables: PrintedTable[]): string[] {
  return tables
    .filter((table) => table.rows > 1 && table.rowsPerPage.some((n) => n === 1))
    .map((table) => `${table.table}: ${table.rowsPerPage.join(" + ")} rows`);
}

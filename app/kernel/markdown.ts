/**
 * The small Markdown the head writes the report in: paragraphs, headings (`#`…), bullet and
 * numbered lists, **bold**, and pipe tables. It parses to a tree that the page renders as React
 * elements and the Word export as docx paragraphs, so nothing the head types ever becomes HTML:
 * `<script>` stays the text "<script>". Anything else (links, images, code) stays literal text,
 * which keeps the tree small and the report the same on screen, on paper and in Word.
 */

/** A run of text, bold or not. */
export interface Span {
  text: string;
  bold: boolean;
}

/** One line of inline text. */
export type Line = Span[];

export type Block =
  | { type: "paragraph"; lines: Line[] }
  | { type: "heading"; level: 1 | 2 | 3; line: Line }
  | { type: "list"; ordered: boolean; items: Line[] }
  | { type: "table"; header: Line[]; rows: Line[][]; /** per column, from the rule line's colons */ align: ("left" | "right" | "center")[] };

const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const NUMBERED = /^\s{0,3}\d{1,9}[.)、]\s*(.*)$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const TABLE_ROW = /^\s{0,3}\|/;
const TABLE_RULE = /^\s{0,3}\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** Splits a text line into bold and plain runs; a `**` without its pair stays as typed. */
export function parseInline(text: string): Line {
  const spans: Line = [];
  const push = (value: string, bold: boolean) => {
    if (value === "") return;
    const last = spans[spans.length - 1];
    if (last && last.bold === bold) last.text += value;
    else spans.push({ text: value, bold });
  };
  let rest = text;
  while (rest !== "") {
    const open = rest.indexOf("**");
    if (open < 0) break;
    const close = rest.indexOf("**", open + 2);
    if (close < 0 || close === open + 2) break;
    push(rest.slice(0, open), false);
    push(rest.slice(open + 2, close), true);
    rest = rest.slice(close + 2);
  }
  push(rest, false);
  return spans;
}

function tableCells(line: string): Line[] {
  let body = line.trim();
  if (body.startsWith("|")) body = body.slice(1);
  if (body.endsWith("|") && !body.endsWith("\\|")) body = body.slice(0, -1);
  // A "\|" inside a cell is a literal bar.
  return body.split(/(?<!\\)\|/).map((cell) => parseInline(cell.trim().replace(/\\\|/g, "|")));
}

/** Parses the head's text into blocks. Never throws: text it does not know stays text. */
export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    if (line.trim() === "") {
      i += 1;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const hashes = (heading[1] ?? "#").length;
      blocks.push({ type: "heading", level: hashes === 1 ? 1 : hashes === 2 ? 2 : 3, line: parseInline(heading[2] ?? "") });
      i += 1;
      continue;
    }
    const next = lines[i + 1];
    if (TABLE_ROW.test(line) && next !== undefined && TABLE_RULE.test(next) && next.includes("-")) {
      const header = tableCells(line);
      const rules = next.trim().replace(/^\|/, "").replace(/\|$/, "").split("|").map((rule) => rule.trim());
      const align = header.map((_, index) => {
        const rule = rules[index] ?? "";
        if (rule.startsWith(":") && rule.endsWith(":")) return "center" as const;
        return rule.endsWith(":") ? ("right" as const) : ("left" as const);
      });
      const rows: Line[][] = [];
      i += 2;
      while (i < lines.length && TABLE_ROW.test(lines[i] ?? "")) {
        const cells = tableCells(lines[i] ?? "");
        // every row has the header's number of cells: missing ones empty, extra ones dropped
        rows.push(header.map((_, index) => cells[index] ?? []));
        i += 1;
      }
      blocks.push({ type: "table", header, rows, align });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      const ordered = numbered !== null;
      const pattern = ordered ? NUMBERED : BULLET;
      const items: Line[] = [];
      while (i < lines.length) {
        const current = lines[i] ?? "";
        const match = pattern.exec(current);
        const last = items[items.length - 1];
        if (match) {
          items.push(parseInline(match[1] ?? ""));
        } else if (current.trim() !== "" && /^\s{2,}/.test(current) && last) {
          // an indented line continues the item above
          items[items.length - 1] = parseInline(`${lineSource(last)} ${current.trim()}`);
        } else {
          break;
        }
        i += 1;
      }
      blocks.push({ type: "list", ordered, items });
      continue;
    }
    const paragraph: Line[] = [];
    while (i < lines.length) {
      const current = lines[i] ?? "";
      if (current.trim() === "" || HEADING.test(current) || BULLET.test(current) || NUMBERED.test(current)) break;
      if (TABLE_ROW.test(current) && TABLE_RULE.test(lines[i + 1] ?? "") && (lines[i + 1] ?? "").includes("-")) break;
      paragraph.push(parseInline(current.trim()));
      i += 1;
    }
    blocks.push({ type: "paragraph", lines: paragraph });
  }
  return blocks;
}

/** A line back as the Markdown it came from, to parse it again with more text. */
function lineSource(line: Line): string {
  return line.map((span) => (span.bold ? `**${span.text}**` : span.text)).join("");
}

/** The plain text of a line (for tests, titles and the Word export's fallbacks). */
export function lineText(line: Line): string {
  return line.map((span) => span.text).join("");
}

/** Makes a value safe to put in a table cell of the generated drafts. */
export function cellText(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

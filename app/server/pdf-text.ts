/**
 * The pure half of the PDF writer: which font file draws each character, and how a text breaks
 * into lines of a given width. No I/O here, so the rules are unit-tested without a document.
 *
 * The CJK font (@fontsource/noto-sans-sc) comes split into numbered unicode-range subsets, one
 * file each; its unicode.json maps a subset's name to CSS unicode-range text such as
 * "U+4e00-4e20,U+4e2a". A text is drawn as runs, each run in the one subset that holds all its
 * characters, so only the subsets a document uses are embedded (and of those only the glyphs used).
 */

export interface SubsetRange {
  from: number;
  to: number;
  subset: string;
}

/** A sorted, non-overlapping lookup table built from unicode.json; the first subset listing a code point wins. */
export interface SubsetTable {
  ranges: readonly SubsetRange[];
  /** where characters no subset holds are drawn (the font's .notdef there, never a crash) */
  fallback: string;
}

const RANGE = /^U\+([0-9a-f]+)(?:-([0-9a-f]+))?$/i;

/**
 * Parses unicode.json's entries. Subsets named like "[12]" are the numbered CJK ones; the named
 * ones ("latin", "cyrillic", …) come first in the lookup, so ASCII and punctuation are drawn from
 * the small latin file even where a CJK subset repeats them.
 */
export function subsetTable(unicode: Record<string, string>, fallback = "latin"): SubsetTable {
  const named = Object.keys(unicode).filter((name) => !name.startsWith("["));
  const numbered = Object.keys(unicode).filter((name) => name.startsWith("["));
  const order = [...named.filter((n) => n === fallback), ...named.filter((n) => n !== fallback), ...numbered];
  const ranges: SubsetRange[] = [];
  const taken: SubsetRange[] = [];
  for (const subset of order) {
    for (const part of (unicode[subset] ?? "").split(",")) {
      const match = RANGE.exec(part.trim());
      if (!match?.[1]) continue;
      const from = Number.parseInt(match[1], 16);
      const to = match[2] ? Number.parseInt(match[2], 16) : from;
      // keep only the parts no earlier subset holds
      for (const piece of uncovered(from, to, taken)) {
        ranges.push({ ...piece, subset: subset.replace(/^\[(\d+)\]$/, "$1") });
        taken.push({ ...piece, subset });
      }
    }
    taken.sort((a, b) => a.from - b.from);
  }
  ranges.sort((a, b) => a.from - b.from);
  return { ranges, fallback };
}

function uncovered(from: number, to: number, taken: readonly SubsetRange[]): { from: number; to: number }[] {
  const pieces: { from: number; to: number }[] = [];
  let start = from;
  for (const range of taken) {
    if (range.to < start) continue;
    if (range.from > to) break;
    if (range.from > start) pieces.push({ from: start, to: range.from - 1 });
    start = Math.max(start, range.to + 1);
    if (start > to) return pieces;
  }
  if (start <= to) pieces.push({ from: start, to });
  return pieces;
}

/** The subset holding a code point (binary search), or the table's fallback. */
export function subsetOf(table: SubsetTable, codePoint: number): string {
  let low = 0;
  let high = table.ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = table.ranges[middle];
    if (!range) break;
    if (codePoint < range.from) high = middle - 1;
    else if (codePoint > range.to) low = middle + 1;
    else return range.subset;
  }
  return table.fallback;
}

export interface TextRun {
  subset: string;
  text: string;
}

/**
 * The text cut into runs of consecutive characters of one subset. Spaces and other characters
 * every subset would draw the same (white space) join the run they stand in, so a Chinese
 * sentence with spaces stays one run.
 */
export function textRuns(table: SubsetTable, text: string): TextRun[] {
  const runs: TextRun[] = [];
  for (const char of text) {
    const last = runs[runs.length - 1];
    if (last && /^\s$/u.test(char)) {
      last.text += char;
      continue;
    }
    const subset = subsetOf(table, char.codePointAt(0) ?? 0);
    if (last && last.subset === subset) last.text += char;
    else runs.push({ subset, text: char });
  }
  return runs;
}

/**
 * Break opportunities: a Latin word (with the spaces after it) stays whole; each CJK character
 * (and each full-width punctuation mark) is a token of its own, and a closing mark such as ，。）
 * sticks to the character before it, so a line never starts with one.
 */
export function breakTokens(text: string): string[] {
  const tokens: string[] = [];
  let word = "";
  const flush = () => {
    if (word !== "") tokens.push(word);
    word = "";
  };
  for (const char of text) {
    if (isWide(char)) {
      flush();
      const last = tokens.length - 1;
      if (last >= 0 && CLOSING.test(char)) tokens[last] += char;
      else tokens.push(char);
    } else if (/\s/u.test(char)) word += char;
    else {
      // a new word starts after spaces
      if (/\s$/u.test(word)) flush();
      else if (word === "" && CLOSING.test(char) && tokens.length > 0) {
        tokens[tokens.length - 1] += char;
        continue;
      }
      word += char;
    }
  }
  flush();
  return tokens;
}

const CLOSING = /^[，。、；：？！）》」』”’]$/u;

/** CJK ideographs, kana, hangul, CJK and full-width punctuation: a line may break before and after each. */
function isWide(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (
    (code >= 0x2e80 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7af) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xffef) || (code >= 0x20000 && code <= 0x3ffff)
  );
}

/**
 * Greedy line breaking: the text's paragraphs (split at "\n") broken into lines no wider than
 * `width` as `measure` says; a single token wider than the line is cut by characters. Trailing
 * spaces do not count against the width.
 */
export function wrapText(text: string, width: number, measure: (text: string) => number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const token of breakTokens(paragraph)) {
      const candidate = line + token;
      if (line === "" || measure(candidate.trimEnd()) <= width) {
        line = candidate;
        if (measure(line.trimEnd()) > width) {
          // one token longer than the line: cut it by characters
          const pieces = cutByCharacters(line, width, measure);
          lines.push(...pieces.slice(0, -1));
          line = pieces[pieces.length - 1] ?? "";
        }
        continue;
      }
      lines.push(line.trimEnd());
      line = token.trimStart();
      if (measure(line.trimEnd()) > width) {
        const pieces = cutByCharacters(line, width, measure);
        lines.push(...pieces.slice(0, -1));
        line = pieces[pieces.length - 1] ?? "";
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

function cutByCharacters(text: string, width: number, measure: (text: string) => number): string[] {
  const pieces: string[] = [];
  let piece = "";
  for (const char of text) {
    if (piece !== "" && measure(piece + char) > width) {
      pieces.push(piece);
      piece = char;
    } else piece += char;
  }
  pieces.push(piece);
  return pieces;
}

/**
 * Rows in PostgreSQL's COPY text format (`COPY … FROM STDIN`, the default format): one line per
 * row, fields separated by a tab, NULL written `\N`. Backslash, tab, newline and carriage return
 * inside a value are written as backslash escapes, so nothing in a value (commas, quotes, Chinese
 * text, a lone `\.`) can end a field, a row or the data early. Pure: the import's writer encodes
 * its rows with it and hands the text to the PostgreSQL connection (pg-sync.server.ts, copyFrom).
 */

export type CopyValue = string | number | bigint | boolean | null | undefined;

const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** One field in COPY's text format. */
export function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return "\\N";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`${value} cannot be copied into a number column`);
    return String(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? "t" : "f";
  // PostgreSQL's text columns cannot hold a NUL character at all: refuse it here, by name.
  if (value.includes("\0")) throw new RangeError("A NUL character cannot be stored in PostgreSQL text");
  return value.replace(/[\\\t\n\r]/g, (char) => ESCAPES[char] ?? char);
}

/** Rows as COPY text: each row's fields tab-separated, each row ended by a newline. */
export function encodeCopyRows(rows: readonly (readonly CopyValue[])[]): string {
  let text = "";
  for (const row of rows) text += row.map(copyField).join("\t") + "\n";
  return text;
}

/**
 * Collects rows and hands them on as COPY text in pieces of about `chunkRows` rows, so a million
 * rows never sit in memory as one string.
 */
export class CopyBuffer {
  private rows: string[] = [];

  constructor(
    private readonly send: (text: string) => void,
    private readonly chunkRows = 5_000,
  ) {}

  get size(): number {
    return this.rows.length;
  }

  push(row: readonly CopyValue[]): void {
    this.rows.push(row.map(copyField).join("\t") + "\n");
    if (this.rows.length >= this.chunkRows) this.flush();
  }

  flush(): void {
    if (this.rows.length === 0) return;
    const text = this.rows.join("");
    this.rows = [];
    this.send(text);
  }
}

/**
 * Text going into a spreadsheet (CSV or XLSX) must not be read as a formula: a customer named
 * `=HYPERLINK("http://x","y")` would otherwise become a live link (or worse) in Excel. OWASP's
 * rule: a cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single
 * quote, so it shows as the text it is. Amounts are never text: they stay numbers.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** The text as a spreadsheet should hold it: prefixed with `'` when it could start a formula. */
export function neutraliseCellText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV text cell: neutralised, then quoted as needed. */
export function csvText(text: string | null): string {
  return text === null ? "" : csvField(neutraliseCellText(text));
}

/** A CSV line from already-encoded fields, with the CRLF Excel expects. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.join(",")}\r\n`;
}

/** UTF-8 byte order mark: without it Excel opens a UTF-8 CSV as the local code page and garbles Chinese. */
export const UTF8_BOM = "\uFEFF";

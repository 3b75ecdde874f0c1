/**
 * Import problems and how they are shown (KPIS.md section 2): `FILE:LINE: column: message`,
 * the first 100, then a count of the rest. Messages are keys with values (messages.ts), shown
 * in the reader's language; without a translator, in English.
 */
import { englishMessage, message, renderMessage, type ImportMessage, type Translate } from "./issue-text";

export interface ImportIssue {
  file: string;
  /** null for problems with the file as a whole (empty, not a spreadsheet) */
  line: number | null;
  /** the column as headed in the file; null when the problem is not about one column */
  column: string | null;
  message: ImportMessage;
}

export const REPORT_LIMIT = 100;

function render(text: ImportMessage, t?: Translate): string {
  return t ? renderMessage(text, t) : englishMessage(text);
}

export function formatIssue(issue: ImportIssue, t?: Translate): string {
  const place = issue.line === null ? issue.file : `${issue.file}:${issue.line}`;
  const text = render(issue.message, t);
  return issue.column === null ? `${place}: ${text}` : `${place}: ${issue.column}: ${text}`;
}

/**
 * The report: one line per issue, at most `limit`, then "… and N more errors". `total` is the
 * number of errors found, which may exceed `issues.length` when only the first were kept.
 */
export function formatReport(
  issues: readonly ImportIssue[],
  total = issues.length,
  limit = REPORT_LIMIT,
  t?: Translate,
): string {
  const lines = issues.slice(0, limit).map((issue) => formatIssue(issue, t));
  const more = total - lines.length;
  if (more > 0) lines.push(render(message("moreErrors", { count: more }), t));
  return lines.join("\n");
}

/**
 * Collects errors and warnings for one import. Every error is counted, but only the first
 * `keep` are stored, so a million bad rows do not fill the memory.
 */
export class IssueLog {
  readonly errors: ImportIssue[] = [];
  readonly warnings: ImportIssue[] = [];
  errorCount = 0;

  constructor(readonly keep = 1000) {}

  error(issue: ImportIssue): void {
    this.errorCount += 1;
    if (this.errors.length < this.keep) this.errors.push(issue);
  }

  warning(issue: ImportIssue): void {
    this.warnings.push(issue);
  }

  report(limit = REPORT_LIMIT): string {
    return formatReport(this.errors, this.errorCount, limit);
  }
}

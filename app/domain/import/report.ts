/**
 * Import problems and how they are shown (KPIS.md section 2): `FILE:LINE: column: message`,
 * the first 100, then a count of the rest.
 */

export interface ImportIssue {
  file: string;
  /** null for problems with the file as a whole (empty, not a spreadsheet) */
  line: number | null;
  /** the column as headed in the file; null when the problem is not about one column */
  column: string | null;
  message: string;
}

export const REPORT_LIMIT = 100;

export function formatIssue(issue: ImportIssue): string {
  const place = issue.line === null ? issue.file : `${issue.file}:${issue.line}`;
  return issue.column === null ? `${place}: ${issue.message}` : `${place}: ${issue.column}: ${issue.message}`;
}

/**
 * The report: one line per issue, at most `limit`, then "… and N more errors". `total` is the
 * number of errors found, which may exceed `issues.length` when only the first were kept.
 */
export function formatReport(issues: readonly ImportIssue[], total = issues.length, limit = REPORT_LIMIT): string {
  const lines = issues.slice(0, limit).map(formatIssue);
  const more = total - lines.length;
  if (more > 0) lines.push(`… and ${more} more ${more === 1 ? "error" : "errors"}`);
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

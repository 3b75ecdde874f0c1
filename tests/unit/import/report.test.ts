import { describe, expect, it } from "vitest";

import { formatIssue, formatReport, IssueLog, type ImportIssue } from "~/domain/import/report";

const issue = (line: number): ImportIssue => ({
  file: "invoices.csv",
  line,
  column: "amount",
  message: "must be greater than 0",
});

describe("report", () => {
  it("formats FILE:LINE: column: message, leaving out what does not apply", () => {
    expect(formatIssue(issue(7))).toBe("invoices.csv:7: amount: must be greater than 0");
    expect(formatIssue({ file: "a.csv", line: 3, column: null, message: "bad row" })).toBe("a.csv:3: bad row");
    expect(formatIssue({ file: "a.csv", line: null, column: null, message: "The file is empty" })).toBe(
      "a.csv: The file is empty",
    );
  });

  it("shows the first 100 errors, then how many more", () => {
    const issues = Array.from({ length: 150 }, (_, i) => issue(i + 2));
    const lines = formatReport(issues).split("\n");
    expect(lines).toHaveLength(101);
    expect(lines[99]).toBe("invoices.csv:101: amount: must be greater than 0");
    expect(lines[100]).toBe("… and 50 more errors");
    expect(formatReport(issues.slice(0, 101)).split("\n")[100]).toBe("… and 1 more error");
    expect(formatReport(issues.slice(0, 3)).split("\n")).toHaveLength(3);
  });

  it("counts every error but keeps only the first ones", () => {
    const log = new IssueLog(5);
    for (let line = 2; line < 2002; line += 1) log.error(issue(line));
    expect(log.errorCount).toBe(2000);
    expect(log.errors).toHaveLength(5);
    const lines = log.report(3).split("\n");
    expect(lines).toEqual([
      "invoices.csv:2: amount: must be greater than 0",
      "invoices.csv:3: amount: must be greater than 0",
      "invoices.csv:4: amount: must be greater than 0",
      "… and 1997 more errors",
    ]);
  });
});

import { describe, expect, it } from "vitest";

import { message } from "~/features/import/issue-text";
import { formatIssue, formatReport, IssueLog, type ImportIssue } from "~/features/import/report";
import { createI18n } from "~/i18n";

const issue = (line: number): ImportIssue => ({
  file: "invoices.csv",
  line,
  column: "amount",
  message: message("notPositive", { value: "0" }),
});

describe("report", () => {
  it("formats FILE:LINE: column: message, leaving out what does not apply", () => {
    expect(formatIssue(issue(7))).toBe("invoices.csv:7: amount: must be greater than 0 (got 0)");
    expect(formatIssue({ file: "a.csv", line: 3, column: null, message: message("headerOnly") })).toBe(
      "a.csv:3: the file has a header row but no data rows",
    );
    expect(formatIssue({ file: "a.csv", line: null, column: null, message: message("fileEmpty") })).toBe(
      "a.csv: The file is empty",
    );
  });

  it("renders the same issues in Chinese, file, line and column as they are", () => {
    const { t } = createI18n("zh-CN");
    expect(formatIssue(issue(7), t)).toBe("invoices.csv:7: amount: 必须大于 0（实际为 0）");
    const ignored: ImportIssue = {
      file: "客户.csv",
      line: 1,
      column: null,
      message: message("ignoredColumns", { count: 1, columns: '"备注"' }),
    };
    expect(formatIssue(ignored, t)).toBe('客户.csv:1: 已忽略列 "备注"');
    expect(formatIssue(ignored)).toBe('客户.csv:1: ignored column "备注"');
    // values that are messages themselves are translated too
    const png: ImportIssue = {
      file: "logo.xlsx",
      line: null,
      column: null,
      message: message("notTable", { file: "logo.xlsx", what: message("what.png") }),
    };
    expect(formatIssue(png, t)).toBe("logo.xlsx: “logo.xlsx”不是 CSV 或 XLSX 文件（看起来是PNG 图片）");
    expect(formatIssue(png)).toBe('logo.xlsx: "logo.xlsx" is not a CSV or XLSX file (looks like a PNG image)');
    expect(formatReport([issue(2), issue(3)], 5, 100, t).split("\n")).toEqual([
      "invoices.csv:2: amount: 必须大于 0（实际为 0）",
      "invoices.csv:3: amount: 必须大于 0（实际为 0）",
      "……另有 3 个错误",
    ]);
  });

  it("shows the first 100 errors, then how many more", () => {
    const issues = Array.from({ length: 150 }, (_, i) => issue(i + 2));
    const lines = formatReport(issues).split("\n");
    expect(lines).toHaveLength(101);
    expect(lines[99]).toBe("invoices.csv:101: amount: must be greater than 0 (got 0)");
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
      "invoices.csv:2: amount: must be greater than 0 (got 0)",
      "invoices.csv:3: amount: must be greater than 0 (got 0)",
      "invoices.csv:4: amount: must be greater than 0 (got 0)",
      "… and 1997 more errors",
    ]);
  });
});

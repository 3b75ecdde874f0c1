import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { describe, expect, inject, it } from "vitest";

import { baseURL, expectAccessible, signedInPage, useBrowser } from "./support/browser";

const browser = useBrowser();
const dir = mkdtempSync(path.join(tmpdir(), "qd-e2e-letters-"));

function pdfText(file: string): string {
  return execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
}

describe("customer documents", () => {
  it("head: downloads a customer's statement and a dunning letter from the customer page", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    // the customer with the most overdue: a dunning letter is only offered while something is overdue
    await page.goto(`${baseURL()}/customers?sort=overdue`);
    const firstCustomer = page.locator("main table tbody tr a[href^='/customers/']").first();
    const href = await firstCustomer.getAttribute("href");
    if (!href) throw new Error("no customer link");
    const code = decodeURIComponent(href.slice("/customers/".length));
    await page.goto(`${baseURL()}${href}`);
    await expect.poll(() => page.getByRole("heading", { name: "Statement of account" }).count()).toBe(1);
    await expectAccessible(page);

    // the statement as of today, in English
    const today = inject("today");
    await expect.poll(() => page.locator("#statement-asOf").inputValue()).toBe(today);
    await page.locator("#statement-lang").selectOption("en");
    const [statement] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Statement (PDF)" }).click()]);
    expect(statement.suggestedFilename()).toBe(`statement-${code.replace(/[^A-Za-z0-9_-]/g, "_")}-${today}-en.pdf`);
    const statementFile = path.join(dir, "statement.pdf");
    await statement.saveAs(statementFile);
    const statementText = pdfText(statementFile);
    expect(statementText).toContain("Statement of account");
    expect(statementText).toContain(code);

    // a demand letter in Chinese; the page stays where it was
    await page.locator("#dunning-level").selectOption("demand");
    await page.locator("#dunning-lang").selectOption("zh-CN");
    const [letter] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Print letter (PDF)" }).click()]);
    expect(letter.suggestedFilename()).toBe(`demand-${code.replace(/[^A-Za-z0-9_-]/g, "_")}-${today}-zh-CN.pdf`);
    const letterFile = path.join(dir, "letter.pdf");
    await letter.saveAs(letterFile);
    const letterText = pdfText(letterFile).replace(/\s+/g, "");
    expect(letterText).toContain("催款函");
    expect(letterText).toContain(code);
    expect(new URL(page.url()).pathname).toBe(href);
    assertClean();
    await page.close();
  });
});

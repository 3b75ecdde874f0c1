import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Browser, baseURL, expectAccessible, followMenu, newPage, openBrowser, signIn } from "./support/browser";

let browser: Browser;

beforeAll(async () => {
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe("importing the ledger in the browser", () => {
  it("head uploads the IBM export, sees it recognised and previewed, imports it and reads the summary", async () => {
    await browser.context.clearCookies();
    const { page, assertClean } = await newPage(browser);
    await signIn(page, "head");
    await followMenu(page, "Ledger", "Import");
    await page.waitForURL(`${baseURL()}/import`);
    await expectAccessible(page);

    await page.getByLabel("Ledger files (CSV or XLSX)").setInputFiles(path.resolve("tests/fixtures/import/ibm-accounts-receivable.csv"));
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.waitForURL(/\/import\/runs\/\d+$/);
    await expect
      .poll(() => page.getByLabel("Layout of ibm-accounts-receivable.csv").inputValue())
      .toBe("mapping:IBM accounts receivable export");
    await expect.poll(() => page.getByRole("table", { name: "First rows of ibm-accounts-receivable.csv" }).locator("tbody tr").count()).toBe(10);
    await expectAccessible(page);

    await page.getByRole("button", { name: "Start the import" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent(), { timeout: 30_000 }).toContain("Imported.");
    const summary = page.getByRole("table", { name: "What changed" });
    await expect.poll(() => summary.locator("tbody tr").allInnerTexts()).toEqual([
      expect.stringMatching(/^ibm-accounts-receivable\.csv\s+Customers\s+2466\s+100\s+0\s+0$/),
      expect.stringMatching(/^\s*Invoices\s+2466\s+0\s+0$/),
      expect.stringMatching(/^\s*Payments\s+2466\s+0\s+0$/),
    ]);
    await expectAccessible(page);

    // the same page in Chinese
    await page.getByRole("button", { name: /简体中文/ }).click();
    await expect.poll(() => page.getByRole("table", { name: "变更情况" }).count()).toBe(1);
    await expectAccessible(page);
    await page.getByRole("button", { name: /English/ }).click();
    await expect.poll(() => page.getByRole("table", { name: "What changed" }).count()).toBe(1);
    assertClean();
    await page.close();
  });

  it("shows the row report of a bad file and that nothing was imported", async () => {
    await browser.context.clearCookies();
    const { page, assertClean } = await newPage(browser);
    await signIn(page, "head");
    await page.goto(`${baseURL()}/import`);
    await page.getByLabel("Ledger files (CSV or XLSX)").setInputFiles({
      name: "payments.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("payment_no,customer_code,date,amount\nX1,NOPE,2026-01-01,10\nX2,NOPE,2026-01-02,12.345\n"),
    });
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.waitForURL(/\/import\/runs\/\d+$/);
    await page.getByRole("button", { name: "Start the import" }).click();
    await expect.poll(() => page.getByRole("alert").first().textContent(), { timeout: 30_000 }).toContain("Nothing was imported");
    const report = await page.locator("pre.report").textContent();
    expect(report).toContain("payments.csv:2: customer_code: unknown customer NOPE");
    expect(report).toContain("payments.csv:3: amount:");
    await expectAccessible(page);
    assertClean();
    await page.close();
  });
});

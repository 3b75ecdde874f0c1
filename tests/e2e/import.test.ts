import path from "node:path";

import { describe, expect, it } from "vitest";

import { PNG_BYTES } from "../fixtures/import/helpers";
import { baseURL, expectAccessible, followMenu, signedInPage, switchLanguage, useBrowser } from "./support/browser";

const browser = useBrowser();

describe("importing the ledger in the browser", () => {
  it("head uploads the IBM export, sees it recognised and previewed, imports it and reads the summary", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
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
    await switchLanguage(page, "zh-CN");
    await expect.poll(() => page.getByRole("table", { name: "变更情况" }).count()).toBe(1);
    await expectAccessible(page);
    await switchLanguage(page, "en");
    await expect.poll(() => page.getByRole("table", { name: "What changed" }).count()).toBe(1);
    assertClean();
    await page.close();
  });

  it("refuses more files than one upload may carry at the files field, in English and Chinese, and stages nothing", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(`${baseURL()}/import`);
    const files = Array.from({ length: 9 }, (_, i) => ({ name: `part-${i}.csv`, mimeType: "text/csv", buffer: Buffer.from("customer_code,customer_name,region\nC1,One,North\n") }));
    await expect.poll(() => page.getByText("You can choose up to 8 files at once, up to 200 MB each and 400 MB in all.").count()).toBe(1);

    await page.getByLabel("Ledger files (CSV or XLSX)").setInputFiles(files);
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await expect.poll(() => page.locator("#files-error").textContent()).toBe("Choose at most 8 files at once. Nothing was uploaded.");
    expect(new URL(page.url()).pathname).toBe("/import");
    await expectAccessible(page);

    await switchLanguage(page, "zh-CN");
    await expect.poll(() => page.getByRole("button", { name: "上传并预览" }).count()).toBe(1);
    await page.getByLabel("台账文件（CSV 或 XLSX）").setInputFiles(files);
    await page.getByRole("button", { name: "上传并预览" }).click();
    await expect.poll(() => page.locator("#files-error").textContent()).toBe("一次最多选择 8 个文件，未上传任何文件。");
    expect(new URL(page.url()).pathname).toBe("/import");
    await expectAccessible(page);
    await switchLanguage(page, "en");
    await expect.poll(() => page.getByRole("button", { name: "Upload and preview" }).count()).toBe(1);
    assertClean();
    await page.close();
  });

  it("shows the row report of a bad file and that nothing was imported", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
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

describe("importing workbooks and fixing the preview in the browser", () => {
  it("imports a workbook from openpyxl whose sheet is not Sheet1, naming the sheet on the preview and in the summary", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(`${baseURL()}/import`);
    // 300 columns wide, customers on a sheet named 客户档案
    await page.getByLabel("Ledger files (CSV or XLSX)").setInputFiles(path.resolve("tests/fixtures/import/xlsx/openpyxl-wide.xlsx"));
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.waitForURL(/\/import\/runs\/\d+$/);
    await expect.poll(() => page.getByText("Read as XLSX, from the sheet “客户档案”.").count()).toBe(1);
    await expect.poll(() => page.getByLabel("Layout of openpyxl-wide.xlsx").inputValue()).toBe("kind:customers");
    await expect.poll(() => page.getByRole("table", { name: "First rows of openpyxl-wide.xlsx" }).locator("tbody tr").count()).toBe(2);
    await expectAccessible(page);

    await page.getByRole("button", { name: "Start the import" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent(), { timeout: 30_000 }).toContain("Imported.");
    await expect
      .poll(() => page.getByRole("table", { name: "What changed" }).locator("tbody tr").first().innerText())
      .toMatch(/^openpyxl-wide\.xlsx \(sheet “客户档案”\)\s+Customers\s+2\s+\d+\s+\d+\s+\d+$/);
    await expect.poll(() => page.getByRole("heading", { name: "Warnings" }).count()).toBe(1);
    await expectAccessible(page);
    assertClean();
    await page.close();
  });

  it("shows a failed import's row errors in Chinese on the Chinese page", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(`${baseURL()}/import`);
    await switchLanguage(page, "zh-CN");
    await expect.poll(() => page.getByRole("heading", { name: "导入应收台账" }).count()).toBe(1);
    await page.getByLabel("台账文件（CSV 或 XLSX）").setInputFiles({
      name: "收款.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("收款单号,客户编码,收款日期,金额,备注\nX1,NOPE,2026-01-01,10,a\nX2,NOPE,2026-02-30,12.345,b\n"),
    });
    await page.getByRole("button", { name: "上传并预览" }).click();
    await page.waitForURL(/\/import\/runs\/\d+$/);
    await expect.poll(() => page.getByText("按 CSV 读取，编码 UTF-8。").count()).toBe(1);
    await page.getByRole("button", { name: "开始导入" }).click();
    await expect.poll(() => page.getByRole("alert").first().textContent(), { timeout: 30_000 }).toContain("未导入任何数据");
    const report = await page.locator("pre.report").textContent();
    expect(report?.split("\n")).toEqual([
      "收款.csv:2: 客户编码: 未知客户 NOPE（台账中没有，本次导入的客户文件中也没有）",
      "收款.csv:3: 客户编码: 未知客户 NOPE（台账中没有，本次导入的客户文件中也没有）",
      "收款.csv:3: 收款日期: “2026-02-30”不是真实存在的日期",
      "收款.csv:3: 金额: “12.345”的小数超过 2 位",
    ]);
    await expectAccessible(page);
    // the same run read in English
    await switchLanguage(page, "en");
    await expect
      .poll(() => page.locator("pre.report").textContent())
      .toContain("收款.csv:3: 收款日期: \"2026-02-30\" is not a real date");
    assertClean();
    await page.close();
  });

  it("replaces a file that cannot be read instead of offering a start that cannot work, and cancels the preview", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(`${baseURL()}/import`);
    await page.getByLabel("Ledger files (CSV or XLSX)").setInputFiles({
      name: "invoices.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: PNG_BYTES,
    });
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.waitForURL(/\/import\/runs\/\d+$/);
    const runUrl = page.url();
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain('"invoices.xlsx" is not a CSV or XLSX file (looks like a PNG image)');
    expect(await page.getByRole("button", { name: "Start the import" }).count()).toBe(0);
    await expectAccessible(page);

    await page.getByLabel("Replace invoices.xlsx with another file").setInputFiles(path.resolve("tests/fixtures/import/xlsx/pandas-invoices.xlsx"));
    await page.getByRole("button", { name: "Replace the file" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "pandas-invoices.xlsx" }).count()).toBe(1);
    expect(page.url()).toBe(runUrl);
    await expect.poll(() => page.getByText("Read as XLSX, from the sheet “应收发票” (2 visible sheets: 说明, 应收发票).").count()).toBe(1);
    await expect.poll(() => page.getByLabel("Layout of pandas-invoices.xlsx").inputValue()).toBe("kind:invoices");
    await expect.poll(() => page.getByRole("button", { name: "Start the import" }).count()).toBe(1);
    await expectAccessible(page);

    await page.getByRole("button", { name: "Cancel this import" }).click();
    await page.waitForURL(`${baseURL()}/import`);
    const runId = runUrl.split("/").pop();
    await expect
      .poll(() => page.getByRole("table", { name: "Recent imports" }).locator("tbody tr").filter({ has: page.getByRole("link", { name: runId, exact: true }) }).innerText())
      .toContain("Cancelled");
    assertClean();
    await page.close();
  });
});

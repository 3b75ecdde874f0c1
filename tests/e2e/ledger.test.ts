import { execFile } from "node:child_process";
import { promisify } from "node:util";

import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";

import { baseURL, expectAccessible, expectArrived, followMenu, signedInPage, switchLanguage, useBrowser } from "./support/browser";

const FIXTURES = "tests/fixtures/ledger";
const browser = useBrowser();
const noScript = useBrowser({ javaScriptEnabled: false });

// The served database may already hold the demo ledger; the fixture customers (FX…) are loaded on
// top through the import CLI, the way a nightly job would, and the assertions stay within them.
beforeAll(async () => {
  await promisify(execFile)(
    "node_modules/.bin/tsx",
    [
      "db/cli/import.ts",
      ...["customers", "invoices", "payments", "adjustments"].flatMap((kind) => [
        `--${kind}`,
        `${FIXTURES}/${kind}.csv`,
      ]),
    ],
    { env: { ...process.env, DATABASE_URL: inject("databaseFile") } },
  );
});

const firstColumn = (page: Page) => page.locator("table.ledger-table tbody tr td:first-child").allTextContents();

describe("the ledger screens", () => {
  it("head: searches customers, sorts by overdue, pages, and opens a customer's open invoices", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await followMenu(page, "Ledger", "Customers");
    await expectArrived(page, "/customers", "Customers");

    // "FX0": the fixture's codes; other browser tests import customers such as 3831-FXWYK.
    await page.getByLabel("Code or name").fill("FX0");
    await page.getByLabel("Code or name").press("Enter");
    await page.waitForURL(/\/customers\?q=FX0$/);
    await expect.poll(() => firstColumn(page)).toEqual(["FX001", "FX002", "FX003", "FX004", "FX005", "FX006"]);

    await page.getByRole("link", { name: /^Overdue/ }).click();
    await page.waitForURL(/q=FX0&sort=overdue$/);
    // FX004 owes the most but none of it is due yet (2036)
    await expect.poll(() => firstColumn(page)).toEqual(["FX002", "FX001", "FX006", "FX003", "FX004", "FX005"]);
    expect(await page.getByRole("columnheader", { name: /^Overdue/ }).getAttribute("aria-sort")).toBe("descending");
    await expectAccessible(page);

    await page.getByRole("link", { name: "FX001", exact: true }).click();
    await page.waitForURL(`${baseURL()}/customers/FX001`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("Harbour Trading Co.");
    const openInvoices = page.getByRole("table", { name: /^Open invoices as of/ });
    await expect
      .poll(() => openInvoices.locator("tbody tr td:first-child").allTextContents())
      .toEqual(["FX-INV-1002", "FX-INV-1003", "FX-INV-1004"]);
    // every document counted (the fixture's dates are long past): 2,699.75 + 2,500.50 + 1,234.56
    expect(await openInvoices.locator("tbody tr").first().locator("data").nth(1).getAttribute("value")).toBe("2699.75");
    expect(await page.locator(".stat").first().locator("data").getAttribute("value")).toBe("6434.81");
    await expectAccessible(page);

    // page links keep the sort
    await page.goto(`${baseURL()}/customers?sort=overdue`);
    const pages = page.getByRole("navigation", { name: "Customer list pages" });
    await pages.getByRole("link", { name: /Next/ }).click();
    await page.waitForURL(/sort=overdue&page=2$/);
    await expect.poll(() => pages.locator("[aria-current=page]").textContent()).toBe("2");
    assertClean();
    await page.close();
  });

  it("staff: sees only their own customers and is refused another owner's", async () => {
    const { page, assertClean } = await signedInPage(browser, "staff");
    await page.goto(`${baseURL()}/customers?q=FX0`);
    await expect.poll(() => firstColumn(page)).toEqual(["FX001", "FX003"]);
    expect(await page.getByLabel("Owner").count()).toBe(0);
    await expectAccessible(page);

    // A search that finds nothing says so once, in the table, not again under it.
    await page.goto(`${baseURL()}/customers?q=no-such-customer`);
    await expect.poll(() => page.locator("main").textContent()).toContain("No customers match these filters.");
    expect(await page.locator("main").textContent()).not.toContain("Nothing to show.");

    await page.goto(`${baseURL()}/customers`);
    const owners = await page.locator("table.ledger-table tbody tr td:nth-child(4)").allTextContents();
    expect(owners.length).toBeGreaterThan(0);
    expect(new Set(owners)).toEqual(new Set(["Li Wei 李伟"]));

    const response = await page.goto(`${baseURL()}/customers/FX002`);
    expect(response?.status()).toBe(403);
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toContain("FX002 is not one of your customers");
    await expectAccessible(page);
    assertClean();
    await page.close();
  });

  it("shows the customer page in English and in Chinese", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(`${baseURL()}/customers/FX003`);
    await expect
      .poll(() => page.getByRole("heading", { level: 2 }).allTextContents())
      .toEqual([
        "Hold and credit",
        expect.stringMatching(/^Position as of /),
        "Aging",
        "Open invoices",
        "Contact e-mail",
        "Statement of account",
        "Payments and adjustments",
        "Credit review decisions",
        "Collection actions",
        "Dunning letter",
      ]);
    await expect.poll(() => page.getByText("No open invoices.").count()).toBe(1);
    await expectAccessible(page);

    await switchLanguage(page, "zh-CN");
    await expect
      .poll(() => page.getByRole("heading", { level: 2 }).allTextContents())
      .toEqual(["发货控制与信用额度", expect.stringMatching(/^截至.*的应收情况$/), "账龄", "未结发票", "联系邮箱", "对账单", "收款记录", "授信评审决定", "催收记录", "催款函"]);
    await expect.poll(() => page.getByText("未核销预收款").count()).toBeGreaterThan(0);
    // FX003 overpaid: 200.00 unapplied
    expect(await page.locator(".stat").nth(2).locator("data").getAttribute("value")).toBe("200.00");
    await expectAccessible(page);

    await switchLanguage(page, "en");
    assertClean();
    await page.close();
  });

  it("filters invoices by customer and status", async () => {
    const { page, assertClean } = await signedInPage(browser, "leader");
    await followMenu(page, "Ledger", "Invoices");
    await page.waitForURL(`${baseURL()}/invoices`);
    await page.getByLabel("Customer code").fill("FX001");
    await page.getByLabel("Status").selectOption("settled");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/customer=FX001&status=settled/);
    await expect.poll(() => firstColumn(page)).toEqual(["FX-INV-1001"]);
    await expectAccessible(page);
    assertClean();
    await page.close();
  });

  it("works without JavaScript: the filters are a plain GET form", async () => {
    const { page, assertClean } = await signedInPage(noScript, "head");
    await page.goto(`${baseURL()}/customers?sort=balance`);
    await page.getByLabel("Code or name").fill("fx00");
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/q=fx00/);
    expect(new URL(page.url()).searchParams.get("sort")).toBe("balance");
    expect(await firstColumn(page)).toEqual(["FX004", "FX002", "FX001", "FX006", "FX003", "FX005"]);
    assertClean();
    await page.close();
  });
});

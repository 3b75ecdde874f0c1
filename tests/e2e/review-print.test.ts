import { describe, expect, inject, it } from "vitest";

import { fiscalYearOf } from "~/kernel/dates";
import { appFiscalStartMonth } from "./support/app-db";
import { baseURL, signedInPage, useBrowser } from "./support/browser";
import { loneRows, printOverflows, printedTables } from "./support/print";

/**
 * The year-end review on A4 paper, in both languages: last year's (the document the department
 * prints) and this year's (a quarter "to date"). No table is wider than the paper, no cell's
 * content runs into the next, and a table cut by a page break leaves no row alone on a page.
 */

const browser = useBrowser();

describe("the printed year-end review", () => {
  it("fits A4 portrait in English and Chinese, last year's and this year's, with no lone row on a page", async () => {
    const thisYear = fiscalYearOf(inject("today"), appFiscalStartMonth()).fiscalYear;
    const { page, assertClean } = await signedInPage(browser, "leader");

    for (const language of ["en", "zh-CN"] as const) {
      if (language === "zh-CN") {
        await page.locator(".language-switch button").click();
        await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("zh-CN");
      }
      for (const year of [thisYear - 1, thisYear]) {
        await page.goto(`${baseURL()}/review/${year}`);
        await page.locator("[data-table=quarters]").waitFor();
        await page.locator("canvas").first().waitFor();
        // The charts' first drawing is animated; the PDF is taken once it is over.
        await page.waitForTimeout(1200);
        const where = `${language} ${year}`;

        expect(await page.locator("[data-table=quarters] tbody tr").count(), where).toBeGreaterThan(0);
        expect(await printOverflows(page), where).toEqual([]);

        const printed = await printedTables(page);
        expect(printed.pages, where).toBeGreaterThanOrEqual(2);
        expect(printed.tables.map((table) => table.table), where).toEqual(expect.arrayContaining(["overdue", "quarters"]));
        expect(loneRows(printed.tables), where).toEqual([]);
      }
    }

    // Back to English for whoever signs in as the demo leader next.
    await page.locator(".language-switch button").click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    assertClean();
  });
});

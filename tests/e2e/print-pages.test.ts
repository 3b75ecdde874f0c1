import { describe, expect, it } from "vitest";

import { readAppDb } from "./support/app-db";
import { baseURL, signedInPage, useBrowser } from "./support/browser";
import { loneRows, printOverflows, printedTables } from "./support/print";

/**
 * The pages a user prints besides the year review, on A4 in both languages: the status table and
 * the scoreboard (landscape, by their stylesheets), the plan board, a customer's page, the holds
 * list and the dashboard. No table is wider than the paper, no cell's content runs past its edge,
 * and no table leaves a row alone on a page.
 */

const browser = useBrowser();

/** The current quarter's plan (or the latest one) and the customer with the most invoices. */
function demoPages(): { planId: number; customerCode: string } {
  return readAppDb((db) => {
    const plan = db.prepare("SELECT id FROM plans ORDER BY fiscal_year DESC, quarter DESC LIMIT 1").get() as { id: number };
    const customer = db
      .prepare("SELECT c.code AS code FROM customers c JOIN invoices i ON i.customer_id = c.id GROUP BY c.id ORDER BY count(*) DESC, c.code LIMIT 1")
      .get() as { code: string };
    return { planId: plan.id, customerCode: customer.code };
  });
}

describe("printing the department's pages", () => {
  it("status table, scoreboard, plan board, customer page, holds and dashboard fit A4 in English and Chinese", async () => {
    const { planId, customerCode } = demoPages();
    const pages = ["/status", "/scoreboard", `/plans/${planId}`, `/customers/${encodeURIComponent(customerCode)}`, "/credit/holds", "/"];
    const { page, assertClean } = await signedInPage(browser, "head");
    // A slow machine's page is still hydrating after its load event; the printing checks must
    // wait for it (they mark rows in the document), so the page runs at a third of the CPU.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 3 });

    for (const language of ["en", "zh-CN"] as const) {
      if (language === "zh-CN") {
        await page.locator(".language-switch button").click();
        await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("zh-CN");
      }
      for (const path of pages) {
        const response = await page.goto(`${baseURL()}${path}`);
        expect(response?.status(), path).toBe(200);
        await page.locator("h1").first().waitFor();
        // Charts draw with an animation; the PDF is taken once it is over.
        if ((await page.locator("canvas").count()) > 0) await page.waitForTimeout(1000);
        const where = `${language} ${path}`;

        expect(await printOverflows(page), where).toEqual([]);
        const printed = await printedTables(page);
        expect(printed.tables.length, where).toBeGreaterThan(0);
        expect(loneRows(printed.tables), where).toEqual([]);
      }
    }

    // Back to English for whoever signs in as the demo head next.
    await page.locator(".language-switch button").click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    assertClean();
  }, 180_000);
});

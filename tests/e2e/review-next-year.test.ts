import { describe, expect, inject, it } from "vitest";

import { fiscalYearOf } from "~/kernel/dates";
import { appFiscalStartMonth } from "./support/app-db";
import { baseURL, expectAccessible, signedInPage, switchLanguage, useBrowser } from "./support/browser";

/**
 * Next year's receivables in the year review: the head reads the projection in Chinese, changes
 * the sales growth in the scenario form (the figures follow, the scenario in the URL), and a bad
 * DSO target gets its field's error while the page stays whole.
 */

const browser = useBrowser();

const minorOf = async (locator: import("playwright-core").Locator) => Number(await locator.getAttribute("data-minor"));

describe("the year review's next-year projection", () => {
  it("shows in Chinese and follows the scenario form", async () => {
    await browser.context.clearCookies();
    const lastYear = fiscalYearOf(inject("today"), appFiscalStartMonth()).fiscalYear - 1;
    const { page, assertClean } = await signedInPage(browser, "head");
    await switchLanguage(page, "zh-CN");
    try {
      await page.goto(`${baseURL()}/review/${lastYear}`);
      const section = page.getByTestId("next-year");
      await expect.poll(() => section.getByRole("heading", { level: 3 }).textContent()).toBe("下一年度应收账款预测（按月）");
      const table = section.locator("table[data-table=next-year]");
      await expect.poll(() => table.locator("tbody tr").count()).toBe(12);
      await expect.poll(() => table.locator("thead th").allTextContents()).toEqual(expect.arrayContaining(["月份", "销售额", "回款额", "月末应收账款"]));
      const yearSales = table.locator("tfoot td[data-col=sales]");
      const before = await minorOf(yearSales);
      const closingBefore = await minorOf(section.getByTestId("next-year-closing"));
      expect(before).toBeGreaterThan(0);

      await section.getByLabel("销售增长率（%）").fill("10");
      await section.getByRole("button", { name: "重新计算" }).click();
      await page.waitForURL(/[?&]growth=10(&|$)/);
      // the year's sales are the reviewed year's × 1.1; more sales leave more open at the year's end
      await expect.poll(() => minorOf(yearSales)).toBe(Math.round(before * 1.1));
      expect(await minorOf(section.getByTestId("next-year-closing"))).toBeGreaterThan(closingBefore);
      await expect.poll(() => page.locator("a[download]").first().getAttribute("href")).toContain("growth=10");

      await section.getByLabel("DSO 目标（天）").fill("很多");
      await section.getByRole("button", { name: "重新计算" }).click();
      await page.waitForURL(/dsoTarget=/);
      await expect.poll(() => section.locator(".field__error").textContent()).toBe("请输入 DSO 目标天数，如 45。");
      // the growth still counts; no target columns without a valid target
      await expect.poll(() => minorOf(yearSales)).toBe(Math.round(before * 1.1));
      expect(await table.locator("thead th").count()).toBe(5);

      await section.getByLabel("DSO 目标（天）").fill("30");
      await section.getByRole("button", { name: "重新计算" }).click();
      await expect.poll(() => table.locator("thead th").count()).toBe(7);
      await expect.poll(() => section.locator(".field__error").count()).toBe(0);
      await expectAccessible(page);
      assertClean();
    } finally {
      await switchLanguage(page, "en");
    }
  });
});

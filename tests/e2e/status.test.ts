import fs from "node:fs";

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { writeAppDb } from "./support/app-db";
import { baseURL, expectAccessible, expectArrived, followMenu, signedInPage, useBrowser } from "./support/browser";

const browser = useBrowser();

/** The totals row's amount in a column, as the machine-readable `<data value>` (major units). */
async function total(page: Page, column: string): Promise<number> {
  const value = await page.locator(`tfoot td[data-column="${column}"] data`).getAttribute("value");
  return Number(value);
}

describe("the receivables status table", () => {
  it("head: opens the month, totals equal the KPIs, filters, switches to Chinese and downloads the CSV", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await followMenu(page, "Reports", "Status table");
    await expectArrived(page, "/status", "Receivables status");

    // The last complete month by default; its totals are the company KPIs at that month end.
    const month = await page.getByLabel("Month").inputValue();
    expect(month).toMatch(/^\d{4}-\d{2}$/);
    const [year = 0, monthNumber = 0] = month.split("-").map(Number);
    const monthEnd = new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10);
    const kpiResponse = await page.request.get(`${baseURL()}/api/kpis?asOf=${monthEnd}&periodStart=${month}-01`);
    expect(kpiResponse.status()).toBe(200);
    const kpis = (await kpiResponse.json()) as Record<string, number> & { aging: Record<string, number> };
    expect(await total(page, "closing")).toBe(kpis.ar_total);
    expect(await total(page, "overdue")).toBe(kpis.overdue_total);
    expect(await total(page, "billed")).toBe(kpis.billed);
    expect(await total(page, "collected")).toBe(kpis.collected);
    expect(await total(page, "aging_over_365")).toBe(kpis.aging.over_365);

    // Only overdue customers, sorted by overdue: the overdue total stays, the count drops.
    const allCount = await page.locator("tfoot th").textContent();
    await page.getByLabel("Only customers with overdue").check();
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/overdue=1/);
    expect(await total(page, "overdue")).toBe(kpis.overdue_total);
    await expect.poll(() => page.locator("tfoot th").textContent()).not.toBe(allCount);
    await page.getByRole("link", { name: /^Overdue/ }).click();
    await page.waitForURL(/sort=overdue/);
    const overdueColumn = () =>
      page.locator("tbody tr td:nth-child(12) data").evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute("value"))));
    await expect.poll(async () => {
      const values = await overdueColumn();
      return values.length > 0 && values.every((value, i) => value > 0 && (i === 0 || (values[i - 1] ?? 0) >= value));
    }).toBe(true);
    expect(await page.getByRole("columnheader", { name: /^Overdue/ }).getAttribute("aria-sort")).toBe("descending");
    await expectAccessible(page);

    await page.getByRole("button", { name: /简体中文/ }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("应收账款情况表");
    await expectAccessible(page);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "下载 CSV" }).click()]);
    expect(download.suggestedFilename()).toBe(`receivables-status-${month}.csv`);
    const file = await download.path();
    const bytes = fs.readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").trim().split("\r\n");
    expect(lines[0]?.startsWith("客户编码,客户名称,负责人")).toBe(true);
    expect(lines.at(-1)?.startsWith("合计,")).toBe(true);
    // every exported customer is overdue (the filter went with the link)
    expect(lines.slice(1, -1).every((line) => !line.includes(",0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,"))).toBe(true);

    // leave head in English for the other browser tests
    await page.getByRole("button", { name: /English/ }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Receivables status");
    assertClean();
    await page.close();
  });

  it("staff: sees only their customers and no owner filter", async () => {
    const { page, assertClean } = await signedInPage(browser, "staff");
    await page.goto(`${baseURL()}/status`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Receivables status");
    expect(await page.getByLabel("Owner").count()).toBe(0);
    const owners = await page.locator("tbody tr td:nth-child(3)").allTextContents();
    expect(owners.length).toBeGreaterThan(0);
    expect(new Set(owners)).toEqual(new Set(["Li Wei 李伟"]));
    assertClean();
    await page.close();
  });

  it("in 万元 the caption states the unit once and the cells show numbers only", async () => {
    writeAppDb((db) => db.prepare("UPDATE users SET locale = 'zh-CN', amount_unit = 'wan' WHERE email = 'head@demo.quarterdeck'").run());
    try {
      const { page, assertClean } = await signedInPage(browser, "head");
      await page.goto(`${baseURL()}/status`);
      await expect.poll(() => page.locator(".status-table caption").textContent()).toContain("（单位：万元）");
      const cells = await page.locator(".status-table tbody td.num, .status-table tfoot td.num").allTextContents();
      expect(cells.length).toBeGreaterThan(100);
      expect(cells.filter((text) => text.includes("万"))).toEqual([]);
      // the numbers are 万元 with two decimals: the totals row's closing balance matches its exact value
      const closing = page.locator('tfoot td[data-column="closing"] data');
      const exact = Number(await closing.getAttribute("value"));
      expect(Number((await closing.textContent())!.replace(/,/g, ""))).toBeCloseTo(exact / 10_000, 2);
      await expectAccessible(page);
      assertClean();
      await page.close();
    } finally {
      writeAppDb((db) => db.prepare("UPDATE users SET locale = 'en', amount_unit = 'yuan' WHERE email = 'head@demo.quarterdeck'").run());
    }
  });
});

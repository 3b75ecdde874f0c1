import fs from "node:fs";

import { describe, expect, inject, it } from "vitest";

import { baseURL, expectAccessible, expectArrived, followMenu, signedInPage, useBrowser } from "./support/browser";

const browser = useBrowser();

describe("the owner scoreboard", () => {
  it("head: picks last fiscal year, sees ranked owners and the chart's table, switches to Chinese, downloads the CSV", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await followMenu(page, "Reports", "Scoreboard");
    await expectArrived(page, "/scoreboard", "Owner scoreboard");

    await page.getByRole("link", { name: "Last fiscal year" }).click();
    await page.waitForURL(/preset=lastYear/);
    // The demo's fiscal year is the calendar year. Wait for last year's dates themselves: in
    // January this quarter's default already starts on a 1 January.
    const lastYear = Number(inject("today").slice(0, 4)) - 1;
    await expect.poll(() => page.getByLabel("From", { exact: true }).inputValue()).toBe(`${lastYear}-01-01`);
    const start = await page.getByLabel("From", { exact: true }).inputValue();
    const end = await page.getByLabel("To", { exact: true }).inputValue();
    expect(start).toMatch(/^\d{4}-01-01$/);
    expect(end).toBe(`${start.slice(0, 4)}-12-31`);

    // ranked owners, 1 first; the totals equal the company's collected from the KPI API
    const ranks = await page.locator(".scoreboard-table tbody td[data-column=rank]").allTextContents();
    expect(ranks.length).toBeGreaterThan(2);
    expect(ranks[0]).toBe("1");
    const kpis = (await (await page.request.get(`${baseURL()}/api/kpis?asOf=${end}&periodStart=${start}`)).json()) as { collected: number };
    const totalCollected = await page.locator("tfoot .scoreboard__totals td[data-column=collected] data").getAttribute("value");
    expect(Number(totalCollected)).toBe(kpis.collected);
    await expect.poll(() => page.locator(".scoreboard-table tfoot").textContent()).toContain("Customers without an owner");

    // two charts, each on its own axis (collections would flatten the change in overdue), and their figures as a table
    await expect.poll(() => page.locator(".scoreboard-chart canvas[aria-label]").count()).toBe(2);
    expect(await page.locator(".scoreboard-chart canvas").first().getAttribute("aria-label")).toMatch(/^Bar chart of the amount each owner collected/);
    expect(await page.locator(".scoreboard-chart canvas").last().getAttribute("aria-label")).toMatch(/^Bar chart of the change in each owner's overdue/);
    await page.getByText("Show the figures as a table").click();
    await expect.poll(() => page.locator(".scoreboard-chart .chart-table tbody tr").count()).toBe(ranks.length);
    await expectAccessible(page);

    await page.getByRole("button", { name: /简体中文/ }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("负责人考核排名");
    await expectAccessible(page);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "下载 CSV" }).click()]);
    expect(download.suggestedFilename()).toBe(`owner-scoreboard-${start}-to-${end}.csv`);
    const bytes = fs.readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString("utf8").trim().split("\r\n");
    expect(lines[0]?.startsWith("名次,负责人,邮箱")).toBe(true);
    expect(lines[1]?.startsWith("1,")).toBe(true);
    expect(lines.at(-1)?.startsWith(",公司合计,")).toBe(true);

    // leave head in English for the other browser tests
    await page.getByRole("button", { name: /English/ }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Owner scoreboard");
    assertClean();
    await page.close();
  });

  it("says what is wrong with a bad period, with a 400 and the form to correct it", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    const response = await page.goto(`${baseURL()}/scoreboard?start=2025-06-01&end=2025-03-31`);
    expect(response?.status()).toBe(400);
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("The start date must be on or before the end date.");
    await expectAccessible(page);
    assertClean();
    await page.close();
  });

  it("staff: see their own row and their rank", async () => {
    const { page, assertClean } = await signedInPage(browser, "staff");
    await page.goto(`${baseURL()}/scoreboard?preset=lastYear`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Owner scoreboard");
    await expect.poll(() => page.locator(".scoreboard-table tbody tr").count()).toBe(1);
    await expect.poll(() => page.locator(".scoreboard-standing").textContent()).toMatch(/^You rank \d+ of \d+\.$/);
    await expectAccessible(page);
    assertClean();
    await page.close();
  });
});

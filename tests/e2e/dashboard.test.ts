import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { previousQuarterEnd } from "~/kernel/dates";
import { baseURL, demoEmail, expectAccessible, signedInPage, switchLanguage, useBrowser } from "./support/browser";

const browser = useBrowser();
const noScript = useBrowser({ javaScriptEnabled: false });

// Tuples, so each title is known to be there.
const CHART_TITLES = {
  en: ["DSO and overdue amount by month", "Aging by month", "Collection rate and CEI by quarter", "Top overdue customers"],
  zh: ["各月 DSO 与逾期金额", "各月账龄结构", "各季度回款率与 CEI", "逾期金额最大的客户"],
} as const;

const heading = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();
const canvasLabels = (page: Page) =>
  page.locator("canvas").evaluateAll((canvases) => canvases.map((canvas) => canvas.getAttribute("aria-label") ?? ""));
const panel = (page: Page, title: string) => page.getByRole("region", { name: title, exact: true });

/** Opens a chart's table view and returns its body rows. */
async function openTable(page: Page, title: string) {
  await panel(page, title).getByText(/^(Show the figures as a table|以表格查看数据)$/).click();
  const table = panel(page, title).getByRole("table");
  await expect.poll(() => table.isVisible()).toBe(true);
  return table.locator("tbody tr");
}

describe("the dashboard", () => {
  it("head: KPI cards and four charts, each with its figures as a table", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await expect.poll(() => heading(page)).toBe("Dashboard");
    await expect.poll(() => page.locator(".kpi-card").count()).toBe(17);
    for (const name of ["Accounts receivable total", "Days sales outstanding (DSO)", "Collection rate", "Written off in period"]) {
      expect(await page.getByRole("heading", { name, exact: true }).count()).toBe(1);
    }
    // every card compares with the previous quarter end and the same day a year earlier (17 × 2)
    expect(await page.locator(".kpi-card__change").count()).toBe(34);

    // drawn in the browser: one labelled canvas per chart
    await expect.poll(() => canvasLabels(page)).toEqual([
      expect.stringMatching(/^Bar and line chart: overdue amount \(bars\) and DSO/),
      expect.stringMatching(/^Stacked bar chart: open receivables by days past due/),
      expect.stringMatching(/^Bar chart: collection rate and collection effectiveness index/),
      expect.stringMatching(/^Horizontal bar chart: the 10 customers with the largest overdue amounts/),
    ]);
    await expectAccessible(page);

    // a chart's table is made when its <details> is opened, from the figures the chart has
    expect(await page.locator(".chart-table").count()).toBe(0);
    const months = await openTable(page, CHART_TITLES.en[0]);
    await expect.poll(() => months.count()).toBe(24);
    const aging = await openTable(page, CHART_TITLES.en[1]);
    await expect.poll(() => aging.count()).toBe(24);
    const quarters = await openTable(page, CHART_TITLES.en[2]);
    await expect.poll(() => quarters.count()).toBe(8);
    // the last month is the as-of date itself, and its overdue amount is the card's
    const cardOverdue = await page.locator(".kpi-card", { has: page.getByRole("heading", { name: "Overdue amount", exact: true }) }).locator("data").getAttribute("value");
    expect(await months.last().locator("data").first().getAttribute("value")).toBe(cardOverdue);
    await expectAccessible(page);
    assertClean();
    await page.close();
  });

  it("head: changes the as-of date and the scope with the form, and the URL keeps them", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    const asOfField = page.getByLabel("As of", { exact: true });
    const today = await asOfField.inputValue();
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const quarterEnd = previousQuarterEnd(today);
    const scope = page.getByRole("combobox", { name: "Scope" });
    // A demo region: other browser tests import small ledgers whose regions may owe nothing then.
    const region = "region:华东";
    expect(await scope.locator(`option[value="${region}"]`).count()).toBe(1);

    await asOfField.fill(quarterEnd);
    await scope.selectOption(region!);
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL((url) => url.searchParams.get("asOf") === quarterEnd && url.searchParams.get("scope") === region);
    const [year, month = 0, day] = quarterEnd.split("-").map(Number);
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    await expect
      .poll(() => page.locator(".lead").first().textContent())
      .toBe(`Receivables KPIs for region ${region!.slice(7)}, as of the end of ${day} ${months[month - 1]} ${year}.`);
    expect(await asOfField.inputValue()).toBe(quarterEnd);
    expect(await scope.inputValue()).toBe(region);
    await expect.poll(() => page.locator("canvas").count()).toBe(4);

    // back to today keeps the scope
    await page.getByRole("link", { name: "Back to today" }).click();
    await page.waitForURL((url) => url.searchParams.get("asOf") === today && url.searchParams.get("scope") === region);
    await expect.poll(() => asOfField.inputValue()).toBe(today);
    await expectAccessible(page);
    assertClean();
    await page.close();
  });

  it("head: follows a top overdue customer to the customer's page", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    const rows = await openTable(page, CHART_TITLES.en[3]);
    await expect.poll(() => rows.count()).toBe(10);
    const first = rows.first().getByRole("link");
    const name = (await first.textContent()) ?? "";
    const href = (await first.getAttribute("href")) ?? "";
    expect(href).toMatch(/^\/customers\/[^/]+$/);
    await first.click();
    await page.waitForURL(`${baseURL()}${href}`);
    await expect.poll(() => heading(page)).toContain(name);
    assertClean();
    await page.close();
  });

  it("head: the same dashboard in Chinese", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await switchLanguage(page, "zh-CN");
    try {
      await expect.poll(() => heading(page)).toBe("仪表盘");
      expect(await page.getByRole("heading", { name: "应收账款周转天数 DSO", exact: true }).count()).toBe(1);
      expect(await page.locator(".kpi-card__change dt").first().textContent()).toMatch(/^较\d{4}年第\d季度末$/);
      await expect.poll(() => canvasLabels(page)).toEqual([
        expect.stringMatching(/^柱线组合图/),
        expect.stringMatching(/^堆积柱状图/),
        expect.stringMatching(/^柱状图/),
        expect.stringMatching(/^条形图/),
      ]);
      await expectAccessible(page);
      const quarters = await openTable(page, CHART_TITLES.zh[2]);
      await expect.poll(() => quarters.first().locator("th").textContent()).toMatch(/^\d{4}年第\d季度$/);
      await expectAccessible(page);
    } finally {
      // the language is kept on the user: leave head in English for the other browser tests
      await switchLanguage(page, "en");
    }
    assertClean();
    await page.close();
  });

  it("staff: starts on their own customers and is refused another owner's", async () => {
    const { page, assertClean } = await signedInPage(browser, "staff");
    const scope = page.getByRole("combobox", { name: "Scope" });
    expect(await scope.inputValue()).toBe(`owner:${demoEmail("staff")}`);
    expect(await scope.locator("option").allTextContents()).toEqual(["Whole company", "My customers"]);
    await expect.poll(() => page.locator(".lead").first().textContent()).toMatch(/^Receivables KPIs for your customers/);
    expect(await page.getByText("Only your own customers are listed.").count()).toBe(1);
    await expectAccessible(page);

    const response = await page.goto(`${baseURL()}/?${new URLSearchParams({ scope: `owner:${demoEmail("head")}` })}`);
    expect(response?.status()).toBe(403);
    await expect.poll(() => heading(page)).toContain("Not allowed");
    assertClean();
    await page.close();
  });

  it("says what is wrong with a bad as-of date on the page", async () => {
    const { page, assertClean } = await signedInPage(browser, "leader");
    const response = await page.goto(`${baseURL()}/?asOf=2026-02-30`);
    expect(response?.status()).toBe(400);
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toBe('"2026-02-30" is not a date. Write the as-of date as YYYY-MM-DD, for example 2026-06-30.');
    expect(await page.getByLabel("As of", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator(".kpi-card").count()).toBe(0);
    await expectAccessible(page);
    assertClean();
    await page.close();
  });

  it("works without JavaScript: cards, tables and the form", async () => {
    const { page, assertClean } = await signedInPage(noScript, "leader");
    await expect.poll(() => page.locator(".kpi-card").count()).toBe(17);
    expect(await page.locator("canvas").count()).toBe(0);
    // each chart's place says where its figures are (Playwright's text matching skips <noscript>)
    expect(await page.locator(".chart__placeholder noscript").allTextContents()).toEqual(
      Array(4).fill("Charts need JavaScript; the table below holds the same figures."),
    );
    // the tables are made on request: the opened <details> links to the page with them in place
    expect(await page.locator(".chart-table").count()).toBe(0);
    await panel(page, CHART_TITLES.en[2]).getByText("Show the figures as a table").click();
    await panel(page, CHART_TITLES.en[2]).getByRole("link", { name: "Show every chart's table (loads the page again)" }).click();
    await page.waitForURL((url) => url.searchParams.get("tables") === "1");
    await expect.poll(() => panel(page, CHART_TITLES.en[2]).locator("tbody tr").count()).toBe(8);
    await expect.poll(() => page.locator(".chart-table").count()).toBe(4);
    await page.getByRole("combobox", { name: "Scope" }).selectOption({ index: 1 });
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL((url) => (url.searchParams.get("scope") ?? "").startsWith("region:"));
    await expect.poll(() => page.locator(".lead").first().textContent()).toMatch(/^Receivables KPIs for region /);
    assertClean();
  });
});

describe("the KPI help page", () => {
  it("is linked from each card and states every definition and the worked example, in both languages", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.getByRole("link", { name: "How Days sales outstanding (DSO) is calculated" }).click();
    await page.waitForURL(`${baseURL()}/help/kpis#kpi-dso`);
    await expect.poll(() => heading(page)).toBe("How the KPIs are calculated");
    expect(await page.locator("article.definition").count()).toBe(29);
    expect(await page.locator("#kpi-dso").textContent()).toContain("Accounts receivable total divided by credit sales of the last 90 days, times 90.");
    for (const text of [
      "An invoice due on the as-of day is not overdue yet",
      "Credit notes and write-offs reduce the receivables but are not collections.",
      "The collection rate can exceed 100% when customers prepay",
      "DSO = 13,300.00 ÷ 18,000.00 × 90 = 66.5 days.",
      "CEI = (10,000.00 + 18,000.00 − 13,300.00) ÷ (10,000.00 + 18,000.00 − 7,000.00) × 100 = 70.0.",
    ]) {
      expect(await page.getByText(text).count(), text).toBe(1);
    }
    await expectAccessible(page);

    await switchLanguage(page, "zh-CN");
    try {
      await expect.poll(() => heading(page)).toBe("各项指标的计算方法");
      expect(await page.locator("#kpi-dso h3").textContent()).toBe("应收账款周转天数 DSO Days sales outstanding (DSO)");
      expect(await page.getByText("DSO = 13,300.00 ÷ 18,000.00 × 90 = 66.5 天。").count()).toBe(1);
      expect(await page.getByText("到期日为统计日当天的发票尚未逾期，次日起才算逾期。").count()).toBe(1);
      await expectAccessible(page);
    } finally {
      await switchLanguage(page, "en");
    }
    assertClean();
    await page.close();
  });

  it("is open to the administrator too", async () => {
    const { page, assertClean } = await signedInPage(browser, "admin");
    await expect.poll(() => heading(page)).toMatch(/^Welcome, /);
    await page.goto(`${baseURL()}/help/kpis`);
    await expect.poll(() => heading(page)).toBe("How the KPIs are calculated");
    await expectAccessible(page);
    assertClean();
    await page.close();
  });
});

import crypto from "node:crypto";
import fs from "node:fs";

import { describe, expect, inject, it } from "vitest";

import { addDays, fiscalQuarter, fiscalYearOf } from "~/kernel/dates";
import { appFiscalStartMonth, readAppDb } from "./support/app-db";
import { baseURL, expectAccessible, followMenu, newPage, signedInPage, signIn, useBrowser } from "./support/browser";
import { defined } from "../support/defined";

/**
 * The year-end review end to end: leadership opens last fiscal year's review (the
 * demo seeds it with today's real date), its overdue figures equal /api/kpis for the same dates,
 * it reads in both languages, and it prints to a PDF of several A4 pages.
 * REVIEW_PDF_OUT=<file> keeps the PDF (and a screenshot of the page on screen) for a look.
 */

const browser = useBrowser();

function firstDocumentDate(): string | null {
  return readAppDb((db) => {
    const row = db
      .prepare("SELECT min(d) AS first FROM (SELECT min(issue_date) AS d FROM invoices UNION ALL SELECT min(date) FROM payments UNION ALL SELECT min(date) FROM adjustments)")
      .get() as { first: string | null };
    return row.first;
  });
}

describe("the year-end review", () => {
  it("shows leadership last year's overdue as /api/kpis gives it, in both languages, and prints to A4", async () => {
    const startMonth = appFiscalStartMonth();
    const today = inject("today");
    const lastYear = fiscalYearOf(today, startMonth).fiscalYear - 1;
    const endOf = (year: number) => fiscalQuarter(year, 4, startMonth).end;
    const { page, assertClean } = await newPage(browser);
    await signIn(page, "leader");

    await followMenu(page, "Reports", "Year review");
    await page.waitForURL(`${baseURL()}/review/${lastYear}`);
    await expect.poll(() => page.locator("h1").textContent()).toBe(`Year-end review ${lastYear}`);
    await expect.poll(() => page.locator(".review-dates").textContent()).toContain("the last day of fiscal year");

    // The three dates of the comparison, each figure as the API gives it for the same date.
    const cells = await page.locator("[data-table=overdue] td[data-overdue]").evaluateAll((elements) =>
      elements.map((element) => ({
        year: Number(element.closest("tr")!.getAttribute("data-fiscal-year")),
        kind: element.getAttribute("data-overdue"),
        date: element.getAttribute("data-date"),
        minor: Number(element.getAttribute("data-minor")),
      })),
    );
    const dated = cells.filter((cell) => cell.date !== null);
    expect(dated.map((cell) => [cell.year, cell.kind, cell.date])).toEqual([
      [lastYear, "start", endOf(lastYear - 1)],
      [lastYear, "end", endOf(lastYear)],
      [lastYear - 1, "start", endOf(lastYear - 2)],
      [lastYear - 1, "end", endOf(lastYear - 1)],
    ]);
    expect(addDays(endOf(lastYear - 1), 1)).toBe(fiscalQuarter(lastYear, 1, startMonth).start);
    for (const cell of dated) {
      const response = await page.request.get(`${baseURL()}/api/kpis?asOf=${cell.date}`);
      expect(response.status()).toBe(200);
      const kpis = (await response.json()) as { overdue_total: number };
      expect(cell.minor, `${cell.kind} of ${cell.year} (${cell.date})`).toBe(Math.round(kpis.overdue_total * 100));
    }
    const reduction = cells.find((cell) => cell.year === lastYear && cell.kind === "reduction")!;
    const yearStart = defined(dated[0], "the year's start");
    const yearEnd = defined(dated[1], "the year's end");
    const priorStart = defined(dated[2], "the prior year's start");
    const priorEnd = defined(dated[3], "the prior year's end");
    expect(reduction.minor).toBe(yearStart.minor - yearEnd.minor);
    expect(yearStart.minor).toBeGreaterThan(0);
    // The seed's story on any date: the last complete year is the collection drive, overdue
    // clearly lower at its end than at its start, after a year in which it rose.
    expect(yearEnd.minor).toBeLessThan(yearStart.minor * 0.8);
    expect(priorEnd.minor).toBeGreaterThan(priorStart.minor);
    await expect.poll(() => page.getByTestId("overdue-sentence").textContent()).toMatch(/, down CN¥[\d,.]+\. In \d{4} it rose by CN¥[\d,.]+: this year did better\.$/);

    // The demo's closed quarters give the other sections something to show.
    await expect.poll(() => page.locator("[data-table=quarters] tbody tr").count()).toBe(4);
    await expect.poll(() => page.locator("[data-table=kpi-items] tbody tr").count()).toBeGreaterThan(0);
    expect(await page.locator("section[aria-labelledby=work] table").count()).toBeGreaterThan(1);
    await page.locator("canvas").first().waitFor();
    await expectAccessible(page);

    // 中文
    await page.locator(".language-switch button").click();
    await expect.poll(() => page.locator("h1").textContent()).toBe(`${lastYear}年度逾期账款管理评审总结`);
    expect(await page.locator("main h2").allTextContents()).toEqual(
      expect.arrayContaining(["一、逾期账款变化情况", "二、应收账款的工作情况", "三、工作中遇到的问题", `四、${lastYear + 1}年的措施`, "领导评语"]),
    );
    expect(await page.locator("[data-table=overdue] td[data-overdue=start]").first().getAttribute("data-minor")).toBe(String(yearStart.minor));
    await page.locator("canvas").first().waitFor();
    await expectAccessible(page);

    // Print: A4 pages from the print stylesheet (charts drawn first, animations over).
    await page.waitForTimeout(1200);
    const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true });
    expect(pdf.length).toBeGreaterThan(20_000);
    const pages = pdf.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(2);
    if (process.env.REVIEW_PDF_OUT) {
      fs.writeFileSync(process.env.REVIEW_PDF_OUT, pdf);
      await page.screenshot({ path: `${process.env.REVIEW_PDF_OUT}.screen.png`, fullPage: true });
      await page.screenshot({ path: `${process.env.REVIEW_PDF_OUT}.top.png`, clip: { x: 0, y: 0, width: 1280, height: 1300 } });
      await page.locator("[data-table=kpi-items]").screenshot({ path: `${process.env.REVIEW_PDF_OUT}.kpi.png` });
    }

    // Back to English for whoever signs in as the demo leader next.
    await page.locator(".language-switch button").click();
    await expect.poll(() => page.locator("h1").textContent()).toBe(`Year-end review ${lastYear}`);
    assertClean();
  });

  it("says the ledger's first year has no opening position, and offers no year before it", async () => {
    const startMonth = appFiscalStartMonth();
    const today = inject("today");
    // The demo ledger starts on 1 July four years before today's year; another browser test may
    // have imported older documents since, so ask the ledger.
    const firstYear = fiscalYearOf(firstDocumentDate() ?? today, startMonth).fiscalYear;
    expect(firstYear).toBeLessThanOrEqual(fiscalYearOf(`${Number(today.slice(0, 4)) - 4}-07-01`, startMonth).fiscalYear);
    const { page, assertClean } = await signedInPage(browser, "leader");
    await page.goto(`${baseURL()}/review/${firstYear}`);
    await expect.poll(() => page.locator("h1").textContent()).toBe(`Year-end review ${firstYear}`);
    const sentence = page.getByTestId("overdue-sentence");
    expect(await sentence.getAttribute("data-opening")).toBe("missing");
    await expect.poll(() => sentence.textContent()).toContain("the ledger has no position at the start of the year");
    expect(await sentence.textContent()).not.toMatch(/down|up CN¥/);
    expect(await page.locator("[data-table=overdue] td[data-overdue=start]").first().getAttribute("data-minor")).toBeNull();
    await expect.poll(() => page.getByTestId("movers-no-opening").count()).toBe(1);
    await expectAccessible(page);

    // The next year has its opening position: a reduction, measured from the first year's end.
    await page.goto(`${baseURL()}/review/${firstYear + 1}`);
    expect(await page.getByTestId("overdue-sentence").getAttribute("data-opening")).toBe("known");

    const before = await page.goto(`${baseURL()}/review/${firstYear - 1}`);
    expect(before?.status()).toBe(404);
    assertClean();
  });

  it("leadership's comment is listed after posting, and the box is empty for the next one", async () => {
    const lastYear = fiscalYearOf(inject("today"), appFiscalStartMonth()).fiscalYear - 1;
    const { page, assertClean } = await signedInPage(browser, "leader");
    await page.goto(`${baseURL()}/review/${lastYear}`);
    const box = page.getByLabel("Your comment on the year");
    const text = `Collections held up well (${crypto.randomUUID().slice(0, 8)}).`;
    await box.fill(text);
    await page.getByRole("button", { name: "Add the comment" }).click();
    await expect.poll(() => page.locator(".review-comment__body").filter({ hasText: text }).count()).toBe(1);
    await expect.poll(() => box.inputValue()).toBe("");
    assertClean();
  });
});

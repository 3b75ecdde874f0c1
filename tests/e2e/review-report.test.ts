import mammoth from "mammoth";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";

import { fiscalYearOf } from "~/kernel/dates";
import { appFiscalStartMonth, readAppDb, withAppDb } from "./support/app-db";
import { baseURL, demoEmail, expectAccessible, signedInPage, switchLanguage, useBrowser } from "./support/browser";

/**
 * The head's written report end to end, in Chinese: the head edits the draft generated from last
 * year's figures and submits it; leadership returns it with a comment on one section; the head
 * answers and submits again; leadership accepts; the Word document carries the accepted text.
 * The measures' counts on the page equal the records in the database.
 */

const browser = useBrowser();

function lastFiscalYear(): { year: number; start: string; end: string } {
  const startMonth = appFiscalStartMonth();
  const year = fiscalYearOf(inject("today"), startMonth).fiscalYear - 1;
  const start = `${startMonth === 1 ? year : year - 1}-${String(startMonth).padStart(2, "0")}-01`;
  const next = `${startMonth === 1 ? year + 1 : year}-${String(startMonth).padStart(2, "0")}-01`;
  const end = new Date(Date.parse(`${next}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  return { year, start, end };
}

/** Signs in, opens `path` and reads it in Chinese. */
async function signInAs(role: "head" | "leader", path: string) {
  const tab = await signedInPage(browser, role);
  await tab.page.goto(`${baseURL()}${path}`);
  // the language is kept on the user: the second time round they are in Chinese already
  if ((await tab.page.getAttribute("html", "lang")) !== "zh-CN") await switchLanguage(tab.page, "zh-CN");
  return tab;
}

async function reportState(page: Page) {
  return page.locator("#report-state").getAttribute("data-state");
}

describe("the written year-end report", () => {
  it("goes from the head's edited draft to leadership, back once with a comment, and is accepted; the .docx carries the accepted text", async () => {
    const { year, start, end } = lastFiscalYear();
    // The test's own starting point: no report of that year yet, and the demo users back in English after.
    const locales = readAppDb((db) => db.prepare("SELECT email, locale FROM users WHERE email IN (?, ?)").all(demoEmail("head"), demoEmail("leader")) as { email: string; locale: string }[]);
    await withAppDb(async (db) => {
      const ids = (await db.selectFrom("review_reports").select("id").where("fiscal_year", "=", year).execute()).map((row) => row.id);
      if (ids.length > 0) {
        await db.deleteFrom("review_report_comments").where("report_id", "in", ids).execute();
        await db.deleteFrom("review_report_versions").where("report_id", "in", ids).execute();
        await db.deleteFrom("review_reports").where("id", "in", ids).execute();
      }
    });
    try {
      // The head: from the review to the report, the draft in Chinese, edited and submitted.
      let { page, assertClean } = await signInAs("head", `/review/${year}`);
      await page.getByRole("link", { name: "书面工作总结" }).click();
      await page.waitForURL(`${baseURL()}/review/${year}/report`);
      await expect.poll(() => page.locator("h1").textContent()).toBe(`${year}年度逾期账款管理工作总结`);
      expect(await reportState(page)).toBe("none");
      const overdue = page.getByRole("textbox", { name: "一、逾期账款变化情况", exact: true });
      const draft = await overdue.inputValue();
      expect(draft).toMatch(new RegExp(`${year}年末逾期账款[\\d,.]+万元`));
      await overdue.fill(`${draft}\n\n**领导重视**：全年走访重点客户十二次。`);
      await expectAccessible(page);
      await page.getByRole("button", { name: "提交领导审阅" }).click();
      await expect.poll(() => reportState(page)).toBe("submitted");
      await expect.poll(() => page.locator("[data-section=overdue] .report-text strong").first().textContent()).toBe("领导重视");
      assertClean();
      await page.close();

      // Leadership returns it with a comment on the problems.
      ({ page, assertClean } = await signInAs("leader", `/review/${year}/report`));
      await expect.poll(() => reportState(page)).toBe("submitted");
      await expect.poll(() => page.locator("[data-section=overdue] .report-text").textContent()).toContain("领导重视：全年走访重点客户十二次。");
      await page.getByRole("textbox", { name: "对“三、工作中遇到的问题”的意见" }).fill("请写明仍未回款的客户。");
      await expectAccessible(page);
      await page.getByRole("button", { name: "退回修改" }).click();
      await expect.poll(() => reportState(page)).toBe("returned");
      assertClean();
      await page.close();

      // The head sees the comment at its section, answers it and submits again.
      ({ page, assertClean } = await signInAs("head", `/review/${year}/report`));
      await expect.poll(() => reportState(page)).toBe("returned");
      await expect.poll(() => page.locator("[data-section=problems] .report-comment__body").textContent()).toBe("请写明仍未回款的客户。");
      const problems = page.getByRole("textbox", { name: "三、工作中遇到的问题", exact: true });
      await problems.fill(`${await problems.inputValue()}\n\n- 大连大客仍未回款，已发律师函。`);
      await page.getByRole("button", { name: "提交领导审阅" }).click();
      await expect.poll(() => reportState(page)).toBe("submitted");
      assertClean();
      await page.close();

      // Leadership accepts; the accepted text is frozen and the .docx carries it.
      ({ page, assertClean } = await signInAs("leader", `/review/${year}/report`));
      await page.getByRole("button", { name: "审阅通过" }).click();
      await expect.poll(() => reportState(page)).toBe("accepted");
      await expect.poll(() => page.locator("#report-state").textContent()).toContain("已审阅通过");
      await expect(page.getByRole("button", { name: "审阅通过" }).count()).resolves.toBe(0);

      // The measures' counts are the database's.
      const actions = readAppDb(
        (db) => db.prepare("SELECT kind, count(*) AS n FROM collection_actions WHERE action_date >= ? AND action_date <= ? GROUP BY kind").all(start, end) as { kind: string; n: number }[],
      );
      for (const kind of ["call", "visit", "email", "lawyer_letter", "repayment_agreement", "promise_to_pay"]) {
        const shown = await page.locator(`[data-measure=measure-actions] tr[data-kind=${kind}] td [data-count]`).first().getAttribute("data-count");
        expect(Number(shown), kind).toBe(actions.find((row) => row.kind === kind)?.n ?? 0);
      }
      const confirmations = readAppDb(
        (db) =>
          db
            .prepare("SELECT count(*) AS n FROM balance_confirmations c JOIN confirmation_batches b ON b.id = c.batch_id WHERE b.period_end >= ? AND b.period_end <= ?")
            .get(start, end) as { n: number },
      );
      const totalRow = page.locator("[data-measure=measure-confirmations-owner] tbody tr").last();
      expect(Number(await totalRow.locator("[data-count]").first().getAttribute("data-count"))).toBe(confirmations.n);

      const response = await page.request.get(`${baseURL()}/review/${year}/report/docx`);
      expect(response.status()).toBe(200);
      const buffer = Buffer.from(await response.body());
      const { value: text } = await mammoth.extractRawText({ buffer });
      expect(text).toContain(`${year}年度逾期账款管理工作总结`);
      expect(text).toContain("领导重视：全年走访重点客户十二次。");
      expect(text).toContain("• 大连大客仍未回款，已发律师函。");
      expect(text).toMatch(new RegExp(`${year}年末逾期账款[\\d,.]+万元`));
      expect(text).toContain("附：全年清欠措施统计");
      assertClean();
      await page.close();
    } finally {
      await withAppDb(async (db) => {
        for (const row of locales) await db.updateTable("users").set({ locale: row.locale as "en" | "zh-CN" }).where("email", "=", row.email).execute();
      });
    }
  });
});

import { describe, expect, inject, it } from "vitest";

import { readAppDb, withAppDb } from "./support/app-db";
import { baseURL, demoEmail, expectAccessible, followMenu, signedInPage, switchLanguage, useBrowser } from "./support/browser";

/**
 * The published status table end to end, in Chinese: the head publishes March's table with a
 * note; leadership opens the list from the menu, then March, reads the note and the frozen table, and comments.
 */

const browser = useBrowser();

/** The latest March that is over on the business date. */
function lastMarch(): string {
  const today = inject("today");
  const year = Number(today.slice(0, 4));
  return `${Number(today.slice(5, 7)) > 3 ? year : year - 1}-03`;
}

async function signInAs(role: "head" | "leader", path: string) {
  const tab = await signedInPage(browser, role);
  await tab.page.goto(`${baseURL()}${path}`);
  if ((await tab.page.getAttribute("html", "lang")) !== "zh-CN") await switchLanguage(tab.page, "zh-CN");
  return tab;
}

async function clearMonth(month: string) {
  await withAppDb(async (db) => {
    const ids = (await db.selectFrom("status_publications").select("id").where("month", "=", month).execute()).map((row) => row.id);
    if (ids.length === 0) return;
    const versions = (await db.selectFrom("status_publication_versions").select("id").where("publication_id", "in", ids).execute()).map((row) => row.id);
    if (versions.length > 0) await db.deleteFrom("status_publication_rows").where("version_id", "in", versions).execute();
    await db.deleteFrom("status_publication_comments").where("publication_id", "in", ids).execute();
    await db.deleteFrom("status_publication_versions").where("publication_id", "in", ids).execute();
    await db.deleteFrom("status_publications").where("id", "in", ids).execute();
  });
}

describe("the published status table", () => {
  it("is published by the head with a note for March, and leadership opens it and comments", async () => {
    const month = lastMarch();
    const locales = readAppDb((db) => db.prepare("SELECT email, locale FROM users WHERE email IN (?, ?)").all(demoEmail("head"), demoEmail("leader")) as { email: string; locale: string }[]);
    await clearMonth(month);
    try {
      // The head: from the status table to the published tables, publishes March with a note.
      let { page, assertClean } = await signInAs("head", "/status");
      await page.getByRole("link", { name: "已发布的情况表" }).click();
      await page.waitForURL(`${baseURL()}/status/published`);
      await expect.poll(() => page.locator("h1").textContent()).toBe("已发布的应收账款情况表");
      await page.getByLabel("月份", { exact: true }).fill(month);
      await page.getByRole("textbox", { name: "致经管会的说明" }).fill("## 三月情况\n\n逾期账款**有所上升**，重点客户已约谈。\n\n- 跟进华东区回款\n- 复核超额度客户");
      await expectAccessible(page);
      await page.getByRole("button", { name: "发布", exact: true }).click();
      await page.waitForURL(`${baseURL()}/status/published/${month}`);
      await expect.poll(() => page.locator("h1").textContent()).toBe(`${month} 应收账款情况表（已发布）`);
      await expect.poll(() => page.locator(".publication-note strong").first().textContent()).toBe("有所上升");
      await expect.poll(() => page.locator(".publication-version").getAttribute("data-version")).toBe("1");
      const stored = readAppDb((db) =>
        db
          .prepare("SELECT v.customers AS n FROM status_publication_versions v JOIN status_publications p ON p.id = v.publication_id WHERE p.month = ?")
          .get(month) as { n: number },
      );
      expect(await page.locator(".status-table tfoot th").textContent()).toBe(`合计（${stored.n} 个客户）`);
      await expectAccessible(page);
      assertClean();
      await page.close();

      // Leadership: from the list to March, reads the note and comments on it.
      ({ page, assertClean } = await signInAs("leader", "/"));
      await followMenu(page, "报表", "已发布情况表");
      await page.waitForURL(`${baseURL()}/status/published`);
      await page.getByRole("link", { name: month }).click();
      await page.waitForURL(`${baseURL()}/status/published/${month}`);
      await expect.poll(() => page.locator(".publication-note li").first().textContent()).toBe("跟进华东区回款");
      await page.getByRole("textbox", { name: "评论此版本" }).fill("请说明华东区逾期上升的原因。");
      await expectAccessible(page);
      await page.getByRole("button", { name: "提交评论" }).click();
      await expect.poll(() => page.locator(".publication-comment__body").first().textContent()).toBe("请说明华东区逾期上升的原因。");
      await expect.poll(() => page.locator(".publication-comments__list li").first().textContent()).toContain("针对第 1 版");
      // leadership does not publish
      expect(await page.getByRole("button", { name: /发布第/ }).count()).toBe(0);
      assertClean();
      await page.close();
    } finally {
      await clearMonth(month);
      await withAppDb(async (db) => {
        for (const row of locales) await db.updateTable("users").set({ locale: row.locale as "en" | "zh-CN" }).where("email", "=", row.email).execute();
      });
    }
  });
});

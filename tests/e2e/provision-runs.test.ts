import { describe, expect, inject, it } from "vitest";

import { addMonths, monthEnd, monthStart } from "~/kernel/dates";
import { withAppDb } from "./support/app-db";
import { baseURL, expectAccessible, signedInPage, switchLanguage, useBrowser } from "./support/browser";

const browser = useBrowser();

/** A month end before the business date after which no run is approved (runs are approved in date order). */
async function freeMonthEnd(): Promise<string> {
  const latest = await withAppDb((db) =>
    db.selectFrom("provision_runs").select("period_end").where("status", "=", "approved").orderBy("period_end", "desc").limit(1).executeTakeFirst(),
  );
  const lastMonthEnd = monthEnd(addMonths(monthStart(inject("today")), -1));
  if (latest && latest.period_end >= lastMonthEnd) throw new Error(`a run at ${latest.period_end} is already approved`);
  return lastMonthEnd;
}

describe("a provision run", () => {
  it("the head drafts it, a leader approves it, and it is frozen, in both languages at 1280 and 390 px", async () => {
    const periodEnd = await freeMonthEnd();

    const head = await signedInPage(browser, "head");
    await head.page.goto(`${baseURL()}/provisions`);
    const runs = head.page.locator('section[aria-labelledby="runs-title"]');
    await runs.locator('input[name="periodEnd"]').fill(periodEnd);
    await runs.locator('select[name="kind"]').selectOption("month");
    await runs.getByRole("button", { name: "Draft the run" }).click();
    await head.page.waitForURL(/\/provisions\/runs\/\d+$/);
    const id = Number(/\/provisions\/runs\/(\d+)$/.exec(head.page.url())?.[1]);
    await expect.poll(() => head.page.locator("h1").textContent()).toContain(periodEnd);
    expect(await head.page.getByRole("button", { name: "Approve the run" }).count()).toBe(0);
    await expectAccessible(head.page);
    head.assertClean();
    await head.page.close();

    const leader = await signedInPage(browser, "leader");
    await leader.page.goto(`${baseURL()}/provisions/runs/${id}`);
    await leader.page.getByRole("button", { name: "Approve the run" }).click();
    await expect.poll(() => leader.page.getByRole("status").first().textContent()).toContain("The run is approved; its figures are now frozen.");
    const frozen = leader.page.locator(".alert--info");
    await expect.poll(() => frozen.textContent()).toContain("these figures are stored and never recomputed");
    // the frozen notice is styled (alert--info was used before it was defined: a transparent, unpadded line)
    expect(await frozen.evaluate((element) => getComputedStyle(element).backgroundColor)).not.toBe("rgba(0, 0, 0, 0)");
    expect(await leader.page.getByRole("button", { name: "Approve the run" }).count()).toBe(0);
    expect(await leader.page.getByRole("button", { name: "Recompute the draft" }).count()).toBe(0);
    const stored = await withAppDb((db) => db.selectFrom("provision_runs").select(["status", "period_end"]).where("id", "=", id).executeTakeFirstOrThrow());
    expect(stored).toEqual({ status: "approved", period_end: periodEnd });
    await expectAccessible(leader.page);

    for (const language of ["en", "zh-CN"] as const) {
      if (language === "zh-CN") {
        await switchLanguage(leader.page, "zh-CN");
        await expect.poll(() => frozen.textContent()).toContain("不再重新计算");
      }
      for (const width of [1280, 390]) {
        await leader.page.setViewportSize({ width, height: 900 });
        // nothing wider than the screen: the tables scroll in their own box
        const overflow = await leader.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${language} at ${width} px`).toBeLessThanOrEqual(0);
        await leader.page.screenshot({ path: `/tmp/provision-run-${language}-${width}.png`, fullPage: true });
      }
    }
    await switchLanguage(leader.page, "en");
    leader.assertClean();
    await leader.page.close();
  });
});

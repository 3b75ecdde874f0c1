import { describe, expect, it } from "vitest";

import { getPlan, transition } from "~/features/plans/plans.server";
import { withAppDb, demoPlan } from "./support/app-db";
import { baseURL, demoEmail, expectAccessible, signedInPage, switchLanguage, useBrowser } from "./support/browser";
import { actorByEmail } from "../support/plans";

// A plan of this test's own, in a quarter no other test or the demo seed uses.
const FISCAL_YEAR = 2031;
const QUARTER = 1 as const;

const browser = useBrowser();

/** The demo leader's inbox emptied, then the test's plan submitted by the demo head: one unread item. */
async function submitted(): Promise<number> {
  const { planId } = await demoPlan({ fiscalYear: FISCAL_YEAR, quarter: QUARTER, items: [{ title: "E2E notify: call the top ten", owner: demoEmail("staff"), dueDate: "2031-02-15" }] });
  await withAppDb(async (db) => {
    const leader = await db.selectFrom("users").select("id").where("email", "=", demoEmail("leader")).executeTakeFirstOrThrow();
    await db.updateTable("notifications").set({ read_at: "2031-01-01T00:00:00.000Z" }).where("user_id", "=", leader.id).where("read_at", "is", null).execute();
    const head = await actorByEmail(db, demoEmail("head"), "head");
    await transition(db, head, planId, (await getPlan(db, planId)).version, { type: "submit" }, "2031-01-05");
  });
  return planId;
}

describe("notifications (leader)", () => {
  it("the bell shows the unread count, the list opens the plan, and marking read clears it", async () => {
    const planId = await submitted();
    const { page, assertClean } = await signedInPage(browser, "leader");
    const bell = page.getByRole("link", { name: /^Notifications/ });
    await expect.poll(() => bell.getAttribute("aria-label")).toBe("Notifications: 1 unread");
    expect(await bell.locator(".bell__count").textContent()).toBe("1");

    await bell.click();
    await page.waitForURL(`${baseURL()}/notifications`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Notifications");
    const entry = page.locator(".inbox__entry--unread").first();
    const link = entry.getByRole("link", { name: /submitted the plan 2031 Q1 for approval/ });
    expect(await link.getAttribute("href")).toBe(`/plans/${planId}`);
    await expectAccessible(page);

    await link.click();
    await page.waitForURL(`${baseURL()}/plans/${planId}`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("2031");

    await page.goto(`${baseURL()}/notifications`);
    await page.locator(".inbox__entry--unread").first().getByRole("button", { name: "Mark read" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Marked read.");
    await expect.poll(() => page.getByRole("link", { name: /^Notifications/ }).first().getAttribute("aria-label")).toBe("Notifications");
    expect(await page.locator(".bell__count").count()).toBe(0);
    expect(await page.locator(".inbox__entry--unread").count()).toBe(0);

    await switchLanguage(page, "zh-CN");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("通知");
    expect(await page.locator(".inbox__entry").first().textContent()).toContain("提交了计划 2031 Q1，等待审批");
    await expectAccessible(page);
    await switchLanguage(page, "en");
    assertClean();
    await page.close();
    await withAppDb((db) => db.deleteFrom("plans").where("id", "=", planId).execute());
  });
});

import { describe, expect, inject, it } from "vitest";

import { withAppDb } from "./support/app-db";
import { baseURL, expectAccessible, expectArrived, followMenu, signIn, newPage, useBrowser } from "./support/browser";

const browser = useBrowser();

describe("the year-end push overview", () => {
  it("the head opens it from the Reports menu, sees the current plan's KPI-linked items and follows one to its push plan", async () => {
    const today = inject("today");
    // the demo's plan of today's quarter: its KPI-linked items on the overdue amount or DSO have push plans
    const linked = await withAppDb((db) =>
      db
        .selectFrom("plan_items")
        .innerJoin("plans", "plans.id", "plan_items.plan_id")
        .select(["plan_items.id", "plan_items.title", "plan_items.kpi_key", "plan_items.kpi_target"])
        .where("plans.start_date", "<=", today)
        .where("plans.end_date", ">=", today)
        .where("plans.state", "!=", "closed")
        .where("plan_items.kpi_key", "is not", null)
        .where("plan_items.status", "!=", "cancelled")
        .execute(),
    );
    const pushable = linked.filter((item) => (item.kpi_key === "overdue_total" || item.kpi_key === "dso") && item.kpi_target !== null);
    expect(pushable.length).toBeGreaterThan(0);

    await browser.context.clearCookies();
    const { page, assertClean } = await newPage(browser);
    await signIn(page, "head");
    await followMenu(page, "Reports", "Year-end push");
    await expectArrived(page, "/forecast/push", "Year-end push overview");

    const table = page.getByRole("region", { name: "KPI-linked plan items" });
    for (const item of linked) await expect.poll(() => table.locator(`tr[data-item="${item.id}"]`).count(), { message: item.title }).toBe(1);
    // the push items come before the other linked ones
    const order = await table.locator("tbody tr").evaluateAll((rows) => rows.map((row) => Number(row.getAttribute("data-item"))));
    const pushIds = new Set(pushable.map((item) => item.id));
    const lastPush = Math.max(...order.map((id, index) => (pushIds.has(id) ? index : -1)));
    const firstOther = order.findIndex((id) => linked.some((item) => item.id === id) && !pushIds.has(id));
    if (firstOther >= 0) expect(lastPush).toBeLessThan(firstOther);

    const first = pushable.find((item) => item.id === order.find((id) => pushIds.has(id)));
    if (!first) throw new Error("no push item listed");
    await table.getByRole("link", { name: `Open the push plan of ${first.title}` }).click();
    await page.waitForURL(`${baseURL()}/forecast/push?item=${first.id}`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(`Year-end push: ${first.title}`);
    assertClean();
    await page.close();
  });

  it("staff open it too and see no row of another owner's book or a region's", async () => {
    await browser.context.clearCookies();
    const { page, assertClean } = await newPage(browser);
    await signIn(page, "staff");
    await page.goto(`${baseURL()}/forecast/push`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Year-end push overview");
    await expectAccessible(page);
    const staffEmail = "staff@demo.quarterdeck";
    // a region's figures and another owner's book are not staff's to read
    const scoped = await withAppDb((db) => db.selectFrom("plan_items").select(["id", "kpi_scope"]).where("kpi_scope", "is not", null).execute());
    const others = scoped.filter((item) => item.kpi_scope?.startsWith("region:") || (item.kpi_scope?.startsWith("owner:") && item.kpi_scope !== `owner:${staffEmail}`));
    expect(others.length).toBeGreaterThan(0);
    for (const other of others) expect(await page.locator(`tr[data-item="${other.id}"]`).count()).toBe(0);
    assertClean();
    await page.close();
  });
});

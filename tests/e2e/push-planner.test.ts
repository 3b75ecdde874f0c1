import { describe, expect, it } from "vitest";

import { demoPlan, withAppDb } from "./support/app-db";
import { baseURL, expectAccessible, signedInPage, switchLanguage, useBrowser } from "./support/browser";

const browser = useBrowser();

/** A plan of the test's own (one a quarter), far from the demo's quarters, with one overdue-linked item. */
async function pushItem(quarter: 2 | 3 | 4, dueDate: string) {
  const { planId, itemIds } = await demoPlan({
    fiscalYear: 2037,
    quarter,
    items: [{ title: "E2E push: clear the overdue", dueDate, kpi: { key: "overdue_total", scope: "company", target: "0" } }],
  });
  const itemId = itemIds[0];
  if (itemId === undefined) throw new Error("no item made");
  return { planId, itemId };
}

describe("the year-end push planner", () => {
  it("the head ticks chase-list rows and makes plan items for their owners in one step; an empty choice is refused on the page", async () => {
    const { planId, itemId } = await pushItem(4, "2037-12-31");
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(`${baseURL()}/forecast/push?item=${itemId}`);
    const boxes = page.locator('input[form="chase-make"][name="customer"]');
    await expect.poll(() => boxes.count()).toBeGreaterThan(1);
    await expectAccessible(page);

    // nothing ticked: the form's schema refuses on the page, nothing is posted
    let posted = 0;
    page.on("request", (request) => {
      if (request.method() === "POST") posted += 1;
    });
    await page.getByRole("button", { name: "Make for the chosen rows" }).click();
    await expect.poll(() => page.locator("#chase-customer-error").textContent()).toBe("Choose at least one row of the chase list.");
    expect(posted).toBe(0);

    const codes = [await boxes.nth(0).getAttribute("value"), await boxes.nth(1).getAttribute("value")];
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByLabel("Note (also the plan items' title)").fill("E2E push call");
    await page.getByRole("button", { name: "Make for the chosen rows" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Made 2 plan items in the plan.");
    await expectAccessible(page);

    const made = await withAppDb((db) =>
      db
        .selectFrom("plan_items")
        .innerJoin("plan_item_customers", "plan_item_customers.item_id", "plan_items.id")
        .innerJoin("customers", "customers.id", "plan_item_customers.customer_id")
        .select(["customers.code", "customers.owner_id as customerOwner", "plan_items.owner_id", "plan_items.due_date", "plan_items.title"])
        .where("plan_items.plan_id", "=", planId)
        .where("plan_items.category", "=", "year_end_push")
        .orderBy("plan_items.position")
        .execute(),
    );
    expect(made.map((row) => row.code)).toEqual(codes);
    expect(made.every((row) => row.owner_id === row.customerOwner && row.due_date === "2037-12-31" && row.title.startsWith("E2E push call · "))).toBe(true);
    assertClean();
    await page.close();
  });

  it("staff see the chase list without boxes or the form", async () => {
    const { itemId } = await pushItem(3, "2037-09-30");
    const { page, assertClean } = await signedInPage(browser, "staff");
    await page.goto(`${baseURL()}/forecast/push?item=${itemId}`);
    await expect.poll(() => page.locator("h1").textContent()).toContain("E2E push: clear the overdue");
    expect(await page.locator('input[name="customer"]').count()).toBe(0);
    expect(await page.locator("#chase-make").count()).toBe(0);
    assertClean();
    await page.close();
  });

  it("the item's page draws the forecast to its due date and says the projected value and whether it meets the target, in Chinese", async () => {
    const { planId, itemId } = await pushItem(2, "2037-06-30");
    const { page, assertClean } = await signedInPage(browser, "head");
    try {
      await switchLanguage(page, "zh-CN");
      // the background job sums the payments by month at the server's start; until then nothing is projected
      await expect
        .poll(async () => {
          await page.goto(`${baseURL()}/plans/${planId}/items/${itemId}`);
          return page.getByTestId("item-projected").count();
        })
        .toBe(1);
      const forecast = page.getByRole("region", { name: "到截止日的预测" });
      expect(await page.getByTestId("item-projected").textContent()).toMatch(/^预计 2037年6月30日：¥[\d,]+\.\d{2}，目标 ¥0\.00。$/);
      // any overdue misses a target of 0
      expect(await forecast.textContent()).toContain("未达目标");
      expect(await forecast.textContent()).toMatch(/预测未达目标，相差 ¥[\d,]+\.\d{2}。/);
      await expect.poll(() => forecast.getByRole("img", { name: "该 KPI 迄今的实际值、到目标的计划路径以及从今天到截止日的预测（虚线）" }).count()).toBe(1);
      await expectAccessible(page);
    } finally {
      await switchLanguage(page, "en");
    }
    assertClean();
    await page.close();
  });
});

import { describe, expect, it } from "vitest";

import { readAppDb } from "./support/app-db";
import { baseURL, expectAccessible, signedInPage, useBrowser } from "./support/browser";

/**
 * A staff member opening a plan item linked to a region's KPI sees the item, what it tracks and
 * why its figures are not shown, never the figures the head sees on the same page.
 */

const browser = useBrowser();

/** An item of a plan in force linked to a region (read-only look at the app's database). */
function regionItem(): { planId: number; itemId: number } | null {
  return readAppDb((db) => {
    const row = db
      .prepare(
        `SELECT i.id AS itemId, i.plan_id AS planId FROM plan_items i JOIN plans p ON p.id = i.plan_id
         WHERE p.state = 'approved' AND i.kpi_scope LIKE 'region:%' AND i.status <> 'cancelled' ORDER BY i.id LIMIT 1`,
      )
      .get() as { itemId: number; planId: number } | undefined;
    return row ?? null;
  });
}

describe("a plan item linked to a region", () => {
  it("shows the head its figures and staff the reason instead", async () => {
    const found = regionItem();
    expect(found, "the demo has an approved plan with a region-linked item").not.toBeNull();
    const path = `${baseURL()}/plans/${found!.planId}/items/${found!.itemId}`;

    const asHead = await signedInPage(browser, "head");
    await asHead.page.goto(path);
    const sentence = (await asHead.page.locator(".plan-kpi__sentence").first().textContent()) ?? "";
    // "Baseline CN¥… on DATE → target CN¥…, now CN¥8,455,584.47 (DATE)": the ledger's figures are the
    // baseline and now; the target is the plan's own and stays visible to everyone.
    const figures = [/Baseline \D*([\d,]+\.\d{2})/, /now \D*([\d,]+\.\d{2})/].flatMap((pattern) => pattern.exec(sentence)?.[1] ?? []);
    expect(figures.length).toBeGreaterThan(0);
    asHead.assertClean();
    await asHead.page.close();

    const asStaff = await signedInPage(browser, "staff");
    await asStaff.page.goto(path);
    expect(await asStaff.page.getByText("Figures of another owner's book are not shown to staff").isVisible()).toBe(true);
    expect(await asStaff.page.locator(".plan-kpi__name").first().textContent()).toContain("region");
    const html = await asStaff.page.content();
    for (const figure of figures) expect(html).not.toContain(figure);
    await expectAccessible(asStaff.page);
    asStaff.assertClean();
    await asStaff.page.close();
  });
});

import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { readAppDb } from "./support/app-db";
import { baseURL, expectAccessible, signedInPage, useBrowser } from "./support/browser";
import { defined } from "../support/defined";

/**
 * What the customer page says about shipping: the badge beside the name follows the hold in
 * force, the hold form starts on the control the rules suggest (also before the page's script has
 * run, or without it), and the collection action form's buttons do not run into each other.
 */

const browser = useBrowser();
const noScript = useBrowser({ javaScriptEnabled: false });

const KIND_OF_LABEL: Record<string, string> = { "Stop shipment": "stop_shipment", "Cash before delivery": "cash_before_delivery" };

/** The customers of the holds page's suggestions table with the control the rules suggest for each. */
async function suggestedKinds(page: Page): Promise<{ code: string; kind: string }[]> {
  const rows = page.getByRole("table", { name: /suggested hold differs/ }).locator("tbody tr[data-customer]");
  const found: { code: string; kind: string }[] = [];
  for (const row of await rows.all()) {
    const label = (await row.locator("td").nth(6).locator(".badge").textContent())?.trim() ?? "";
    if (KIND_OF_LABEL[label]) found.push({ code: (await row.getAttribute("data-customer"))!, kind: KIND_OF_LABEL[label] });
  }
  return found;
}

/** An active customer with no hold in force. */
function customerOnNoHold(): string {
  return readAppDb((db) => {
    const row = db
      .prepare(
        "SELECT code FROM customers WHERE status = 'active' AND id NOT IN (SELECT customer_id FROM customer_holds WHERE released_at IS NULL) ORDER BY code LIMIT 1",
      )
      .get() as { code: string };
    return row.code;
  });
}

/** Horizontal gap between two controls side by side, or Infinity when the second wrapped below. */
async function gapBetween(first: Locator, second: Locator): Promise<number> {
  const a = (await first.boundingBox())!;
  const b = (await second.boundingBox())!;
  if (b.y >= a.y + a.height - 1) return Number.POSITIVE_INFINITY;
  return b.x - (a.x + a.width);
}

describe("the customer page's hold", () => {
  it("the hold forms start on the suggested control, with and without JavaScript", async () => {
    for (const client of [noScript, browser]) {
      const { page, assertClean } = await signedInPage(client, "head");
      await page.goto(`${baseURL()}/credit/holds`);
      const suggestions = await suggestedKinds(page);
      expect(suggestions.length).toBeGreaterThan(0);
      for (const { code, kind } of suggestions.slice(0, 5)) {
        expect(await page.locator(`tr[data-customer="${code}"] select[name=kind]`).inputValue(), code).toBe(kind);
      }

      const { code, kind } = defined(suggestions[0], "a suggestion");
      await page.goto(`${baseURL()}/customers/${encodeURIComponent(code)}`);
      const forms = page.locator("details.hold-panel__forms");
      // The rules advise a change here, so the form is open, on the suggested control.
      expect(await forms.getAttribute("open")).not.toBeNull();
      expect(await forms.locator("select[name=kind]").inputValue()).toBe(kind);
      assertClean();
      await page.close();
    }
  });

  it("the badge beside the name says the hold in force, not 'Active', in both languages", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(`${baseURL()}/credit/holds`);
    const inForce = page.getByRole("table", { name: /Customers on hold now/ }).locator("tbody tr");
    const stopped = inForce.filter({ hasText: "Stop shipment" }).first();
    const stoppedCode = (await stopped.locator("td").first().textContent())!.trim();
    const cash = inForce.filter({ hasText: "Cash before delivery" }).first();
    const cashCode = (await cash.locator("td").first().textContent())!.trim();

    const badge = page.locator(".page-head .badge");
    await page.goto(`${baseURL()}/customers/${encodeURIComponent(stoppedCode)}`);
    await expect.poll(() => page.locator(".hold-banner").textContent()).toContain("Stop shipment: do not ship to this customer.");
    expect(await badge.allTextContents()).toEqual(["Status: Stop shipment"]);
    await expectAccessible(page);

    await page.goto(`${baseURL()}/customers/${encodeURIComponent(cashCode)}`);
    expect(await badge.allTextContents()).toEqual(["Status: Cash before delivery"]);

    // A customer on no hold is simply active.
    await page.goto(`${baseURL()}/customers/${encodeURIComponent(customerOnNoHold())}`);
    expect(await page.locator(".hold-banner").count()).toBe(0);
    expect(await badge.allTextContents()).toEqual(["Status: Active"]);

    await page.goto(`${baseURL()}/customers/${encodeURIComponent(stoppedCode)}`);
    await page.locator(".language-switch button").click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("zh-CN");
    await expect.poll(() => page.locator(".hold-banner__title").textContent()).toContain("停止发货");
    expect(await badge.allTextContents()).toEqual(["状态：停止发货"]);
    expect(await badge.allTextContents()).not.toContain("状态：正常");
    await expectAccessible(page);
    await page.locator(".language-switch button").click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    assertClean();
  });

  it("the collection action form keeps 'Save' and 'Back to the customer' apart, at 1280 and 390 px, in both languages", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(`${baseURL()}/customers`);
    const code = (await page.locator("tbody tr td a").first().textContent())!.trim();
    await page.goto(`${baseURL()}/customers/${encodeURIComponent(code)}/actions/new`);

    for (const language of ["en", "zh-CN"] as const) {
      if (language === "zh-CN") {
        await page.locator(".language-switch button").click();
        await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("zh-CN");
      }
      const save = page.locator(".form-actions button[type=submit]");
      const back = page.locator(".form-actions a");
      for (const width of [1280, 390]) {
        await page.setViewportSize({ width, height: 900 });
        expect(await gapBetween(save, back), `${language} ${width}px`).toBeGreaterThanOrEqual(8);
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await page.locator(".language-switch button").click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    assertClean();
  });
});

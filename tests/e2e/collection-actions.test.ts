import { describe, expect, it } from "vitest";

import { baseURL, expectAccessible, signedInPage, useBrowser } from "./support/browser";

const browser = useBrowser();
// The agreement is made again without JavaScript: the split button and the save post to the page.
const noScript = useBrowser({ javaScriptEnabled: false });

/** The ISO date `days` after `iso`. */
function plusDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

describe("collection actions", () => {
  it("staff: records a promise to pay on their customer and sees it pending on the customer page and in My tasks; then, without JavaScript, an agreement split into instalments", async () => {
    const { page, assertClean } = await signedInPage(browser, "staff");
    await page.goto(`${baseURL()}/customers`);
    const firstCustomer = page.locator("table a[href^='/customers/']").first();
    const customerName = (await firstCustomer.textContent())!.trim();
    await firstCustomer.click();
    await page.waitForURL(/\/customers\/[^/?]+$/);
    const customerPath = new URL(page.url()).pathname;

    await page.getByRole("link", { name: "Record a promise to pay" }).click();
    await page.waitForURL(`${baseURL()}${customerPath}/actions/new?kind=promise_to_pay`);
    await expectAccessible(page);
    const today = await page.getByLabel("Date of the action").inputValue();
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // checked in the page before anything is posted
    await page.getByLabel("Amount promised").fill("1,234.567");
    await page.getByLabel("Promised payment date").fill(plusDays(today, -1));
    await page.getByRole("button", { name: "Save the action" }).click();
    await expect.poll(() => page.getByText("At most 2 decimals.").count()).toBe(1);
    await expect.poll(() => page.getByText("The date cannot be in the past.").count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe(`${customerPath}/actions/new`);

    await page.getByLabel("Amount promised").fill("1,234.50");
    await page.getByLabel("Promised payment date").fill(plusDays(today, 7));
    await page.getByLabel("Note").fill("Promised by the finance manager on the phone.");
    await page.getByRole("button", { name: "Save the action" }).click();
    await page.waitForURL((url) => url.pathname === customerPath);
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Collection action recorded.");
    const row = page.locator("#collection-actions tbody tr").first();
    await expect.poll(() => row.textContent()).toContain("Promise to pay");
    expect(await row.textContent()).toContain("Promised by the finance manager on the phone.");
    expect(await row.locator(".badge").textContent()).toBe("Pending");
    await expectAccessible(page);

    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "My tasks" }).click();
    await page.waitForURL(`${baseURL()}/tasks`);
    const dueSoon = page.getByRole("table", { name: "Promises and instalments due in the next 14 days" });
    const followUp = dueSoon.getByRole("row").filter({ hasText: customerName }).filter({ hasText: "Promise to pay" });
    await expect.poll(() => followUp.count()).toBeGreaterThan(0);
    expect(await followUp.first().locator(".badge").textContent()).toBe("Pending");
    await expectAccessible(page);
    assertClean();
    await page.close();

    // The same without JavaScript: the split button and the save post to the page.
    const { page: plain, assertClean: plainClean } = await signedInPage(noScript, "staff");
    plain.setDefaultTimeout(10_000);
    await plain.goto(`${baseURL()}${customerPath}/actions/new?kind=repayment_agreement`);
    await plain.getByLabel("Agreed amount").fill("3,000.00");
    await plain.getByLabel("Number of instalments").fill("3");
    await plain.getByLabel("First due date").fill(plusDays(today, 10));
    await plain.getByRole("button", { name: "Split the agreed amount" }).click();
    await plain.waitForLoadState();
    expect(await plain.getByLabel("Amount of instalment 3").inputValue()).toBe("1000.00");
    expect(await plain.getByLabel("Due date of instalment 1").inputValue()).toBe(plusDays(today, 10));
    // one instalment changed: the schedule no longer adds up, and the server says so
    await plain.getByLabel("Amount of instalment 3").fill("900");
    await plain.getByLabel("Note").fill("还款协议 signed at the visit.");
    await plain.getByRole("button", { name: "Save the action" }).click();
    await plain.waitForLoadState();
    await expect.poll(() => plain.getByText("The instalments must add up to the agreed amount.").count()).toBe(1);
    expect(await plain.getByLabel("Note").inputValue()).toBe("还款协议 signed at the visit.");
    await plain.getByLabel("Amount of instalment 3").fill("1000");
    await plain.getByRole("button", { name: "Save the action" }).click();
    await plain.waitForURL((url) => url.pathname === customerPath);
    expect(await plain.getByRole("status").textContent()).toBe("Collection action recorded.");
    const agreement = plain.locator("#collection-actions tbody tr").filter({ hasText: "Repayment agreement" }).first();
    expect(await agreement.textContent()).toContain("Instalment 3 of 3");
    expect(await agreement.locator(".badge").allTextContents()).toEqual(["Pending", "Pending", "Pending"]);
    plainClean();
    await plain.close();
  });
});

describe("collection action refusals without JavaScript", () => {
  it("a split that cannot be made keeps the number typed at its field, a button the form has not is said in words, the schedule fits 390 px, an unknown customer is the 404 page", async () => {
    const { page, assertClean } = await signedInPage(noScript, "staff");
    page.setDefaultTimeout(10_000);
    await page.goto(`${baseURL()}/customers`);
    const href = await page.locator("table a[href^='/customers/']").first().getAttribute("href");
    const form = `${baseURL()}${href}/actions/new`;

    await page.setViewportSize({ width: 390, height: 900 });
    await page.goto(`${form}?kind=repayment_agreement`);
    const sideways = () => page.evaluate(() => document.scrollingElement!.scrollWidth);
    expect(await sideways()).toBeLessThanOrEqual(390);

    await page.getByLabel("Agreed amount").fill("3,000.00");
    await page.getByLabel("Number of instalments").fill("99");
    await page.getByRole("button", { name: "Split the agreed amount" }).click();
    await page.waitForLoadState();
    await expect.poll(() => page.getByText("A whole number of instalments from 1 to 36.").count()).toBe(1);
    expect(await page.getByLabel("Number of instalments").inputValue()).toBe("99");
    expect(await page.getByLabel("Agreed amount").inputValue()).toBe("3,000.00");
    expect(await sideways()).toBeLessThanOrEqual(390);

    // A post naming a button the form does not have: said above the form, nothing saved.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${form}?kind=call`);
    await page.getByLabel("Note").fill("Called the finance manager.");
    await page.getByRole("button", { name: "Save the action" }).evaluate((button: Element) => {
      button.setAttribute("name", "intent");
      button.setAttribute("value", "delete-everything");
    });
    await page.getByRole("button", { name: "Save the action" }).click();
    await page.waitForLoadState();
    expect(await page.getByRole("alert").first().textContent()).toBe("This form has no such button. Nothing was saved; reload the page and try again.");
    expect(await page.getByLabel("Note").inputValue()).toBe("Called the finance manager.");
    await page.goto(`${baseURL()}${href}`);
    expect(await page.locator("#collection-actions").textContent()).not.toContain("Called the finance manager.");

    await page.goto(`${baseURL()}/customers/NO-SUCH-CUSTOMER/actions/new`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("404 Page not found");
    assertClean();
    await page.close();
  });
});

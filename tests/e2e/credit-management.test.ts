import { describe, expect, it } from "vitest";

import { baseURL, expectAccessible, signedInPage, useBrowser } from "./support/browser";

/**
 * Credit management end to end on the demo: the head works this quarter's credit review
 * (a suggested downgrade accepted, a limit increase proposed), the leader approves the increase,
 * the head stops shipments to an overdue customer, a staff member records a promise to pay, and a
 * ledger import with the payment turns the promise kept and moves the promise-kept rate.
 * The separate credit-review, holds and collections files test each screen's refusals in depth.
 */

const browser = useBrowser();

type Page = import("playwright-core").Page;

/** The promise-kept rate card's figure on the company dashboard (a fraction; "null" when empty). */
async function promiseKeptRate(page: Page): Promise<string> {
  await page.goto(`${baseURL()}/`);
  const card = page.locator(".kpi-card", { has: page.getByRole("heading", { name: "Promise-kept rate", exact: true }) });
  await expect.poll(() => card.count()).toBe(1);
  const value = card.locator(".kpi-card__value data");
  return (await value.count()) === 0 ? "null" : (await value.getAttribute("value"))!;
}

describe("credit management", () => {
  it("review, approval, stop shipment, a promise to pay kept by an imported payment", async () => {
    // 1. The head: this quarter's review, a suggested downgrade accepted, an increase proposed.
    const head = await signedInPage(browser, "head");
    await head.page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Credit" }).click();
    await head.page.waitForURL(`${baseURL()}/credit/review`);
    const open = head.page.getByRole("button", { name: /^Open the review for/ });
    if (await open.count()) await open.click();
    else await head.page.getByRole("link", { name: "Open the worklist" }).click();
    await head.page.waitForURL(/\/credit\/review\/\d+$/);
    const reviewUrl = head.page.url();

    const pending = head.page.locator("tr[data-customer]").filter({ has: head.page.getByRole("button", { name: "Save decision" }) });
    const downgrade = pending.filter({ has: head.page.locator("td .review-change--down") }).first();
    const downgraded = (await downgrade.getAttribute("data-customer"))!;
    await downgrade.getByLabel("Accept").check();
    await downgrade.getByRole("button", { name: "Save decision" }).click();
    await expect.poll(() => head.page.getByRole("status").textContent()).toBe("Decision saved and applied.");

    const raise = pending.filter({ hasNot: head.page.locator("td .review-change--down") }).first();
    const raised = (await raise.getAttribute("data-customer"))!;
    await raise.getByLabel("Modify").check();
    await raise.getByLabel("New credit limit").fill("20000000.00");
    await raise.getByLabel("Comment").fill("Three-year supply contract signed.");
    await raise.getByRole("button", { name: "Save decision" }).click();
    await expect.poll(() => head.page.getByRole("status").textContent()).toBe("Decision saved: the limit increase waits for a leader's approval.");

    // 2. The head: an overdue customer put on stop shipment from the holds page.
    await head.page.getByRole("navigation", { name: "Credit management" }).getByRole("link", { name: "Holds and limits" }).click();
    await head.page.waitForURL(`${baseURL()}/credit/holds`);
    const suggestion = head.page
      .getByRole("table", { name: /suggested hold differs/ })
      .getByRole("row")
      .filter({ has: head.page.getByRole("cell").filter({ hasText: /^No hold$/ }) })
      .filter({ hasText: "Stop shipment" })
      .first();
    const stopped = (await suggestion.getAttribute("data-customer"))!;
    expect(await suggestion.textContent()).toMatch(/overdue/);
    await suggestion.locator("summary").click();
    await suggestion.getByLabel("Kind of hold").selectOption("stop_shipment");
    await suggestion.getByLabel("Reason").fill("Overdue past the stop-shipment days; no answer to reminders.");
    await suggestion.getByRole("button", { name: "Set hold" }).click();
    await expect.poll(() => head.page.getByRole("status").first().textContent()).toBe(`The hold on ${stopped} has been updated.`);
    const inForce = head.page.getByRole("table", { name: /Customers on hold now/ }).getByRole("row").filter({ hasText: stopped });
    await expect.poll(() => inForce.textContent()).toContain("Stop shipment");
    head.assertClean();

    // 3. The leader approves the increase; the customer page shows both decisions.
    const leader = await signedInPage(browser, "leader");
    await leader.page.goto(reviewUrl);
    const request = leader.page.locator("#approvals").locator(`tr[data-customer="${raised}"]`);
    await request.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => leader.page.getByRole("status").textContent()).toBe("Approved: the new grade and limit apply.");
    await leader.page.goto(`${baseURL()}/customers/${encodeURIComponent(raised)}`);
    const decisions = leader.page.getByRole("region", { name: "Credit review decisions" });
    await expect.poll(() => decisions.textContent()).toContain("Three-year supply contract signed.");
    expect(await decisions.textContent()).toContain("20,000,000.00");
    await leader.page.goto(`${baseURL()}/customers/${encodeURIComponent(downgraded)}`);
    await expect.poll(() => leader.page.getByRole("region", { name: "Credit review decisions" }).textContent()).toContain("Accepted");
    leader.assertClean();
    await leader.page.close();

    // 4. A staff member records a promise to pay due today on one of their customers.
    const staff = await signedInPage(browser, "staff");
    await staff.page.goto(`${baseURL()}/customers`);
    const customerLink = staff.page.locator("table a[href^='/customers/']").first();
    await customerLink.click();
    await staff.page.waitForURL(/\/customers\/[^/?]+$/);
    const customerPath = new URL(staff.page.url()).pathname;
    const customerCode = decodeURIComponent(customerPath.split("/").pop()!);
    await staff.page.getByRole("link", { name: "Record a promise to pay" }).click();
    await staff.page.waitForURL(/\/actions\/new\?kind=promise_to_pay$/);
    const today = await staff.page.getByLabel("Date of the action").inputValue();
    await staff.page.getByLabel("Amount promised").fill("12,345.60");
    await staff.page.getByLabel("Promised payment date").fill(today);
    await staff.page.getByLabel("Note").fill("Finance manager promised a transfer today.");
    await staff.page.getByRole("button", { name: "Save the action" }).click();
    await staff.page.waitForURL((url) => url.pathname === customerPath);
    const promiseRow = staff.page.locator("#collection-actions tbody tr").filter({ hasText: "Finance manager promised a transfer today." });
    await expect.poll(() => promiseRow.locator(".badge").textContent()).toBe("Pending");
    staff.assertClean();
    await staff.page.close();

    // 5. The head imports the payment; the promise is kept and the rate moves.
    const importer = await signedInPage(browser, "head");
    const before = await promiseKeptRate(importer.page);
    const payments = `payment_no,customer_code,date,amount,invoice_no\nE2E-PTP-1,${customerCode},${today},12345.60,\n`;
    await importer.page.goto(`${baseURL()}/import`);
    await importer.page.getByLabel("Ledger files (CSV or XLSX)").setInputFiles({ name: "payments.csv", mimeType: "text/csv", buffer: Buffer.from(payments) });
    await importer.page.getByRole("button", { name: "Upload and preview" }).click();
    await importer.page.waitForURL(/\/import\/runs\/\d+$/);
    await importer.page.getByRole("button", { name: "Start the import" }).click();
    await expect.poll(() => importer.page.getByRole("status").first().textContent(), { timeout: 30_000 }).toContain("Imported.");

    await importer.page.goto(`${baseURL()}${customerPath}`);
    const kept = importer.page.locator("#collection-actions tbody tr").filter({ hasText: "Finance manager promised a transfer today." });
    await expect.poll(() => kept.locator(".badge").textContent()).toBe("Kept");
    await expectAccessible(importer.page);
    const after = await promiseKeptRate(importer.page);
    // One more kept promise among those due this quarter: the rate rises, unless every promise
    // due so far was kept already (early in a quarter, say on 2 January), when it stays 100 %.
    if (before === "1") expect(after).toBe("1");
    else {
      expect(after).not.toBe(before);
      expect(Number(after)).toBeGreaterThan(before === "null" ? -1 : Number(before));
    }
    importer.assertClean();
    await importer.page.close();
    await head.page.close();
  });
});

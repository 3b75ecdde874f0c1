import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { expectSummariesCurrent } from "../support/kpi-summaries";
import { type Browser, baseURL, expectAccessible, newPage, openBrowser, signIn } from "./support/browser";

let browser: Browser;

beforeAll(async () => {
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe("quarterly credit review", () => {
  it("head accepts a suggested downgrade and proposes a limit increase; the leader approves it; the customer pages show both", async () => {
    await browser.context.clearCookies();
    const { page, assertClean } = await newPage(browser);
    await signIn(page, "head");
    await page.goto(`${baseURL()}/credit/review`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Quarterly credit review");
    // The demo may already have this quarter's review open; otherwise the head opens it.
    const open = page.getByRole("button", { name: /^Open the review for/ });
    if (await open.count()) await open.click();
    else await page.getByRole("link", { name: "Open the worklist" }).click();
    await page.waitForURL(/\/credit\/review\/\d+$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toMatch(/^Credit review /);
    await expectAccessible(page);

    const pending = page.locator("tr[data-customer]").filter({ has: page.getByRole("button", { name: "Save decision" }) });
    const downgrade = pending.filter({ has: page.locator("td .review-change--down") }).first();
    const downgraded = (await downgrade.getAttribute("data-customer"))!;
    const suggested = (await downgrade.locator("td .review-change--down").first().textContent())!;
    await downgrade.getByLabel("Accept").check();
    await downgrade.getByRole("button", { name: "Save decision" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Decision saved and applied.");
    const decidedRow = page.locator(`tr[data-customer="${downgraded}"]`);
    await expect.poll(() => decidedRow.textContent()).toContain("Accepted");
    // The served app moved the customer in the KPI summaries with the decision: the KPI pages
    // keep reading them instead of settling the whole ledger.
    await expectSummariesCurrent(inject("databaseFile"));

    // The increase: a pending row without a suggested change, raised far past the approval amount.
    const raise = pending.filter({ hasNot: page.locator("td .review-change--down") }).first();
    const raised = (await raise.getAttribute("data-customer"))!;
    await raise.getByLabel("Modify").check();
    await raise.getByLabel("New credit limit").fill("-1");
    await raise.getByLabel("Comment").fill("Volume contract signed for next year.");
    await raise.getByRole("button", { name: "Save decision" }).click();
    await expect.poll(() => raise.locator(".field__error").first().textContent()).toBe("A credit limit cannot be below zero.");
    await raise.getByLabel("New credit limit").fill("50000000.00");
    await raise.getByRole("button", { name: "Save decision" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Decision saved: the limit increase waits for a leader's approval.");
    await expect.poll(() => page.locator(`tr[data-customer="${raised}"]`).textContent()).toContain("Awaiting approval");
    await expectAccessible(page);
    const reviewUrl = page.url();
    assertClean();
    await page.close();

    await browser.context.clearCookies();
    const leader = await newPage(browser);
    await signIn(leader.page, "leader");
    await leader.page.goto(reviewUrl);
    const approvals = leader.page.locator("#approvals");
    await expect.poll(() => approvals.getByRole("heading", { level: 2 }).textContent()).toBe("Awaiting your approval");
    const request = approvals.locator(`tr[data-customer="${raised}"]`);
    await request.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => leader.page.getByRole("status").textContent()).toBe("Approved: the new grade and limit apply.");
    await expect.poll(() => approvals.locator(`tr[data-customer="${raised}"]`).count()).toBe(0);
    await expectSummariesCurrent(inject("databaseFile"));
    await expectAccessible(leader.page);

    await leader.page.goto(`${baseURL()}/customers/${encodeURIComponent(raised)}`);
    const raisedSection = leader.page.getByRole("region", { name: "Credit review decisions" });
    await expect.poll(() => raisedSection.textContent()).toContain("Volume contract signed for next year.");
    expect(await raisedSection.textContent()).toMatch(/Approved by Zhao Min/);
    expect(await raisedSection.textContent()).toContain("50,000,000.00");

    await leader.page.goto(`${baseURL()}/customers/${encodeURIComponent(downgraded)}`);
    const downgradedSection = leader.page.getByRole("region", { name: "Credit review decisions" });
    await expect.poll(() => downgradedSection.textContent()).toContain("Accepted");
    expect(await downgradedSection.textContent()).toContain(suggested);
    await expectAccessible(leader.page);
    leader.assertClean();
    await leader.page.close();
  });
});

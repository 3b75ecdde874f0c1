import { beforeAll, describe, expect, inject, it } from "vitest";

import { quarterOf } from "~/kernel/dates";
import { expectSummariesCurrent } from "../support/kpi-summaries";
import { appDatabase, appFiscalStartMonth, writeAppDb } from "./support/app-db";
import { baseURL, expectAccessible, signedInPage, useBrowser } from "./support/browser";

const browser = useBrowser();

/**
 * The demo opens this quarter's review as it seeds; the head opens it here instead: that review
 * (its rows and their built-in comment wordings) is taken out first.
 */
function withoutThisQuarterReview() {
  const quarter = quarterOf(inject("today"), appFiscalStartMonth());
  writeAppDb((db) => {
    const review = db.prepare("SELECT id FROM credit_reviews WHERE fiscal_year = ? AND quarter = ?").get(quarter.fiscalYear, quarter.quarter) as { id: number } | undefined;
    if (!review) return;
    db.transaction(() => {
      db.prepare("DELETE FROM built_in_texts WHERE entity = 'credit_review_item' AND entity_id IN (SELECT id FROM credit_review_items WHERE review_id = ?)").run(review.id);
      db.prepare("UPDATE credit_review_openings SET review_id = NULL WHERE review_id = ?").run(review.id);
      db.prepare("DELETE FROM credit_review_items WHERE review_id = ?").run(review.id);
      db.prepare("DELETE FROM credit_reviews WHERE id = ?").run(review.id);
    })();
  });
}

beforeAll(async () => {
  withoutThisQuarterReview();
});

describe("quarterly credit review", () => {
  it("head opens the review in the background (a failure shown, then a retry), works the worklist; the leader approves; the customer pages show both", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(`${baseURL()}/credit/review`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Quarterly credit review");

    // The first opening fails writing its rows (as on a full disk): its progress page says so
    // and nothing is opened.
    const db = appDatabase();
    db.exec("CREATE TRIGGER e2e_review_rows_refused BEFORE INSERT ON credit_review_items BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    try {
      await page.getByRole("button", { name: /^Open the review for/ }).click();
      await page.waitForURL(/\/credit\/review\/openings\/\d+$/);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toMatch(/^Opening the credit review /);
      await expect.poll(() => page.getByRole("alert").textContent(), { timeout: 15_000 }).toContain("The review could not be opened");
      await expectAccessible(page);
    } finally {
      db.exec("DROP TRIGGER e2e_review_rows_refused");
      db.close();
    }
    const failedUrl = page.url();
    await page.getByRole("link", { name: "Credit reviews" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("The review could not be opened");
    await page.goto(failedUrl);

    // Again: the post is answered at once with the opening's progress page, which turns into the
    // worklist when the job is done.
    const visited: string[] = [];
    page.on("request", (request) => visited.push(new URL(request.url()).pathname));
    await page.getByRole("button", { name: "Try again" }).click();
    await page.waitForURL(/\/credit\/review\/\d+$/, { timeout: 15_000 });
    expect(visited.some((path) => /^\/credit\/review\/openings\/\d+(\.data)?$/.test(path))).toBe(true);
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

    const leader = await signedInPage(browser, "leader");
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

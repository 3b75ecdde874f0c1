import { describe, expect, inject, it } from "vitest";

import { baseURL, expectAccessible, signedInPage, useBrowser } from "./support/browser";
import { defined } from "../support/defined";

const browser = useBrowser();

const iso = (date: Date) => date.toISOString().slice(0, 10);

describe("balance confirmations", () => {
  it("head: creates a batch, marks two statements sent, records a matched and a mismatched return, sees the rates", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(`${baseURL()}/credit/confirmations`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Balance confirmations");
    await expectAccessible(page);

    const today = inject("today");
    const now = new Date(`${today}T00:00:00Z`);
    const lastMonthEnd = iso(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)));
    const yesterday = iso(new Date(now.getTime() - 86_400_000));
    const name = `Browser test ${today}`;
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Period end (balances as at)").fill(lastMonthEnd);
    const region = page.getByLabel("Only region");
    // a demo region: other browser tests import small ledgers whose regions may owe nothing then
    await region.selectOption("华东");
    await page.getByRole("button", { name: "Create batch" }).click();
    await page.waitForURL(/\/credit\/confirmations\/\d+\?created=\d+$/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(name);
    await expect.poll(() => page.getByRole("status").textContent()).toMatch(/^Batch created with \d+ customers\.$/);

    const boxes = page.getByRole("checkbox", { name: /^Select / });
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole("button", { name: "Mark sent" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("2 statements marked sent.");

    const recordLinks = page.getByRole("link", { name: /^Record: / });
    const customers = [(await recordLinks.nth(0).getAttribute("aria-label"))!, (await recordLinks.nth(1).getAttribute("aria-label"))!].map((label) =>
      label.slice("Record: ".length),
    );
    const openEditor = async (customer: string) => {
      await page.getByRole("link", { name: `Record: ${customer}`, exact: true }).click();
      const editor = page.getByRole("group", { name: `Record for ${customer}`, exact: true });
      await editor.waitFor();
      return editor;
    };

    let editor = await openEditor(defined(customers[0], "a customer"));
    await editor.getByLabel("Returned on").fill(today);
    await editor.getByLabel("Result").selectOption("matched");
    await editor.getByRole("button", { name: "Save return" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Saved: return recorded.");

    editor = await openEditor(defined(customers[1], "a second customer"));
    // returned before it was sent: a field error, nothing saved
    await editor.getByLabel("Returned on").fill(yesterday);
    await editor.getByLabel("Result").selectOption("mismatched");
    await editor.getByLabel("Difference").fill("-100.00");
    await editor.getByLabel("What does not match").fill("Credit note not booked by the customer");
    await editor.getByRole("button", { name: "Save return" }).click();
    await expect.poll(() => editor.getByText("Cannot come back before it was sent.").count()).toBe(1);
    await expectAccessible(page);
    await editor.getByLabel("Returned on").fill(today);
    await editor.getByRole("button", { name: "Save return" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Saved: return recorded.");

    const ownerRates = page.getByRole("table", { name: "Rates by owner, ranked" });
    const total = ownerRates.locator("tfoot tr");
    await expect.poll(() => total.textContent()).toBe("Total22100.0%150.0%");
    await expect.poll(() => page.getByRole("table", { name: "Rates by region, ranked" }).locator("tbody tr").count()).toBe(1);
    await expectAccessible(page);

    await page.goto(`${baseURL()}/credit/confirmations`);
    const row = page.getByRole("row", { name: new RegExp(name) });
    await expect.poll(() => row.getByRole("cell").nth(4).textContent()).toBe("100.0%");
    assertClean();
    await page.close();
  });
});

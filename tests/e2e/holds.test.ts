import { describe, expect, it } from "vitest";

import { baseURL, expectAccessible, expectArrived, signedInPage, useBrowser } from "./support/browser";

const browser = useBrowser();

describe("holds and limits", () => {
  it("head: puts a suggested overdue customer on stop shipment with a reason; it shows in force and on the customer page", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Credit" }).click();
    await page.getByRole("navigation", { name: "Credit management" }).getByRole("link", { name: "Holds and limits" }).click();
    await expectArrived(page, "/credit/holds", "Holds and credit limits");

    // The first customer the rules want stopped that is not on hold yet (strongest first).
    const suggestions = page.getByRole("table", { name: /suggested hold differs/ });
    const row = suggestions
      .getByRole("row")
      .filter({ has: page.getByRole("cell").filter({ hasText: /^No hold$/ }) })
      .filter({ hasText: "Stop shipment" })
      .first();
    const code = (await row.getAttribute("data-customer"))!;
    expect(code).toBeTruthy();
    expect(await row.textContent()).toMatch(/overdue/);
    await row.locator("summary").click();

    // An empty reason is refused before anything is sent.
    await row.getByLabel("Kind of hold").selectOption("stop_shipment");
    await row.getByRole("button", { name: "Set hold" }).click();
    await expect.poll(() => row.getByText("Give a reason.").count()).toBe(1);
    await expectAccessible(page);

    await row.getByLabel("Reason").fill("Long overdue and no reply to three reminders");
    await row.getByRole("button", { name: "Set hold" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toBe(`The hold on ${code} has been updated.`);
    const inForce = page.getByRole("table", { name: /Customers on hold now/ }).getByRole("row").filter({ hasText: code });
    await expect.poll(() => inForce.textContent()).toContain("Stop shipment");
    expect(await inForce.textContent()).toContain("Long overdue and no reply to three reminders");
    expect(await page.locator(`tr[data-customer="${code}"]`).count()).toBe(0);
    await expectAccessible(page);

    await inForce.getByRole("link", { name: code }).click();
    await page.waitForURL(`${baseURL()}/customers/${encodeURIComponent(code)}`);
    const panel = page.getByRole("region", { name: "Hold and credit" });
    await expect.poll(() => panel.textContent()).toContain("Stop shipment: do not ship to this customer.");
    expect(await panel.getByRole("table", { name: /Every hold this customer has had/ }).textContent()).toContain("In force");
    await expectAccessible(page);
    assertClean();
  });
});

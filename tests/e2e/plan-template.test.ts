import { afterAll, describe, expect, it } from "vitest";

import { writeAppDb } from "./support/app-db";
import { baseURL, expectAccessible, newPage, signedInPage, useBrowser } from "./support/browser";

const browser = useBrowser();

// The served database is shared with the other browser tests, which draft plans from the
// template in English: whatever happens here, leave the standard template and an English head.
afterAll(() => {
  writeAppDb((db) => {
    db.prepare("DELETE FROM plan_template_items").run();
    db.prepare("UPDATE users SET locale = 'en' WHERE email = 'head@demo.quarterdeck'").run();
  });
});

describe("the annual plan template", () => {
  it("head edits an item's English title, sees it after a reload, and reads the page in Chinese", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(`${baseURL()}/plans/template`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Annual plan template");
    await expect.poll(() => page.getByRole("heading", { level: 2 }).allTextContents()).toEqual(
      expect.arrayContaining(["Quarter 1", "Quarter 2", "Quarter 3", "Quarter 4"]),
    );
    expect(await page.getByText("month 2 of the quarter, day 15").count()).toBeGreaterThan(0);
    await expectAccessible(page);

    const item = page.locator(".template-item").filter({ hasText: "Build customer information files" });
    await item.locator("summary").filter({ hasText: "Edit" }).click();
    const title = item.getByLabel("Title (English)");
    // Checked in the page before anything is sent: the message stands at the field.
    await title.fill("");
    await item.getByRole("button", { name: "Save the item" }).click();
    await expect.poll(() => item.locator(".field__error").first().textContent()).toBe("Required.");
    expect(await title.getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(page);

    await title.fill("Build and review customer information files");
    await item.getByRole("button", { name: "Save the item" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Saved “Build and review customer information files”.");
    await page.reload();
    await expect
      .poll(() => page.locator(".template-item").first().locator(".template-item__title").first().textContent())
      .toBe("Build and review customer information files");
    await expect.poll(() => page.locator(".template-state").textContent()).toContain("last changed by");

    await page.getByRole("button", { name: /^Switch language/ }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("年度工作计划模板");
    expect(await page.getByText("季度第2个月15日").count()).toBeGreaterThan(0);
    expect(await page.locator(".template-item").first().textContent()).toContain("Build and review customer information files");
    expect(await page.locator(".template-item").first().textContent()).toContain("梳理现有客户名单，建立客户信息档案");
    await expectAccessible(page);

    await page.getByRole("button", { name: "恢复为标准模板" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("已恢复为标准模板。");
    await page.getByRole("button", { name: /^切换语言|Switch language/ }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Annual plan template");
    await expect
      .poll(() => page.locator(".template-item").first().locator(".template-item__title").first().textContent())
      .toBe("Build customer information files");
    assertClean();
  });

  it("a head saving an item another head changed meanwhile sees both titles side by side, and nothing of theirs is lost", async () => {
    const first = await signedInPage(browser, "head");
    const second = await newPage(browser);
    const firstItem = first.page.locator(".template-item").first();
    const secondItem = second.page.locator(".template-item").first();
    // Both open the page before either saves.
    for (const { page } of [first, second]) {
      await page.goto(`${baseURL()}/plans/template`);
      await expect.poll(() => page.locator(".template-item").first().locator(".template-item__title").first().textContent()).toBe(
        "Build customer information files",
      );
    }

    await firstItem.locator("summary").filter({ hasText: "Edit" }).click();
    await firstItem.getByLabel("Title (English)").fill("Customer files: first head's wording");
    await firstItem.getByRole("button", { name: "Save the item" }).click();
    await expect.poll(() => first.page.getByRole("status").textContent()).toBe("Saved “Customer files: first head's wording”.");

    await secondItem.locator("summary").filter({ hasText: "Edit" }).click();
    await secondItem.getByLabel("Title (English)").fill("Customer files: second head's wording");
    await secondItem.getByRole("button", { name: "Save the item" }).click();
    await expect.poll(() => secondItem.getByRole("alert").first().textContent()).toContain("Someone else saved this item after you opened it");
    const conflict = secondItem.locator(".template-form__conflict table");
    await expect.poll(() => conflict.locator("tbody tr").allTextContents()).toEqual([
      "Title (English)Customer files: first head's wordingCustomer files: second head's wording",
    ]);
    // The stored item is the first head's; the form keeps the second head's text to decide on.
    // (the page reloads what is stored after the 409: wait for it)
    await expect.poll(() => secondItem.locator(".template-item__title").first().textContent()).toBe("Customer files: first head's wording");
    expect(await secondItem.getByLabel("Title (English)").inputValue()).toBe("Customer files: second head's wording");
    await expectAccessible(second.page);

    // Saving again, now knowing what the other head wrote, is a deliberate choice and succeeds.
    await secondItem.getByRole("button", { name: "Save the item" }).click();
    await expect.poll(() => second.page.getByRole("status").textContent()).toBe("Saved “Customer files: second head's wording”.");
    await first.page.reload();
    await expect.poll(() => firstItem.locator(".template-item__title").first().textContent()).toBe("Customer files: second head's wording");
    await first.page.close();
    await second.page.close();
    first.assertClean();
    second.assertClean();
  });

  it("staff read the template without any edit controls", async () => {
    const { page, assertClean } = await signedInPage(browser, "staff");
    await page.goto(`${baseURL()}/plans/template`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Annual plan template");
    expect(await page.locator(".template-item").count()).toBeGreaterThan(10);
    expect(await page.locator("form[method=post] button", { hasText: /Save|Delete|Reset|Add/ }).count()).toBe(0);
    await expectAccessible(page);
    assertClean();
  });
});

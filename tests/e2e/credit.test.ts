import { describe, expect, it } from "vitest";

import { baseURL, expectAccessible, expectArrived, signedInPage, useBrowser } from "./support/browser";

const browser = useBrowser();
const noScript = useBrowser({ javaScriptEnabled: false });

describe("credit grades page", () => {
  it("head: sees a field error for a contradictory threshold before posting, then saves a valid change", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Credit" }).click();
    await page.getByRole("navigation", { name: "Credit management" }).getByRole("link", { name: "Grades and rules" }).click();
    await expectArrived(page, "/credit/grades", "Credit grades and rules");

    // rule 4 demotes above 30 days late; 4 overlaps the promotion at 5 days or less
    const threshold = page.getByLabel("Threshold, rule 4");
    await threshold.fill("4");
    await page.getByRole("button", { name: "Save grades and rules" }).click();
    const error = page.locator("#rules-3-threshold-error");
    await expect.poll(() => error.textContent()).toContain("Contradicts a promotion rule on the same figure");
    expect(await threshold.getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("status").count()).toBe(0);
    await expectAccessible(page);

    await threshold.fill("35");
    await page.getByLabel("Grace days, grade B").fill("8");
    await page.getByRole("button", { name: "Save grades and rules" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Grades and rules saved.");
    await page.reload();
    expect(await page.getByLabel("Grace days, grade B").inputValue()).toBe("8");
    expect(await page.getByLabel("Threshold, rule 4").inputValue()).toBe("35");
    await expect.poll(() => page.getByText(/Last changed .* by/).count()).toBe(1);
    assertClean();
    await page.close();
  });

  it("head, in Chinese: the same field error and a valid save read in Chinese", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(`${baseURL()}/credit/grades`);
    await page.getByRole("button", { name: /简体中文/ }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("信用等级与升降级规则");

    await page.getByLabel("优惠期（天），C 级").fill("-2");
    await page.getByRole("button", { name: "保存等级和规则" }).click();
    await expect.poll(() => page.locator("#grades-2-graceDays-error").textContent()).toBe("不能为负数。");
    await expectAccessible(page);

    await page.getByLabel("优惠期（天），C 级").fill("4");
    await page.getByRole("button", { name: "保存等级和规则" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("等级和规则已保存。");
    await expectAccessible(page);

    await page.getByRole("button", { name: /English/ }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Credit grades and rules");
    assertClean();
    await page.close();
  });

  it("head, without JavaScript: the action refuses the contradiction with the same field error", async () => {
    const { page, assertClean } = await signedInPage(noScript, "head");
    page.setDefaultTimeout(10_000);
    await page.goto(`${baseURL()}/credit/grades`);
    // the server-rendered inputs carry the stored values
    expect(await page.getByLabel("Payment terms (days), grade A").inputValue()).toBe("90");
    await page.getByLabel("Threshold, rule 4").fill("2");
    await page.getByRole("button", { name: "Save grades and rules" }).click();
    await expect.poll(() => page.locator("#rules-3-threshold-error").textContent()).toContain("Contradicts a promotion rule");
    expect(await page.getByRole("alert").textContent()).toContain("Some values need correcting");
    // what was typed is still there, beside its error
    expect(await page.getByLabel("Threshold, rule 4").inputValue()).toBe("2");
    assertClean();
    await page.close();
  });

  it("staff: reads the grades and rules in words, with no form", async () => {
    const { page, assertClean } = await signedInPage(browser, "staff");
    await page.goto(`${baseURL()}/credit/grades`);
    await expect.poll(() => page.getByText("Only the department head changes grades and rules.").count()).toBe(1);
    expect(await page.getByRole("button", { name: "Save grades and rules" }).count()).toBe(0);
    await expect.poll(() => page.getByText("If the write-off count is at or above 1: cap at grade D").count()).toBe(1);
    await expectAccessible(page);
    assertClean();
    await page.close();
  });
});

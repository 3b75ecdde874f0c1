import { describe, expect, it } from "vitest";

import { baseURL, expectAccessible, signedInPage, switchLanguage, useBrowser } from "./support/browser";

const browser = useBrowser();

describe("staff scoring rules", () => {
  it("head, in Chinese: a sum other than 100 is refused on the page; a valid change is saved and the scoreboard scores with it", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await switchLanguage(page, "zh-CN");
    await page.goto(`${baseURL()}/scoreboard/rules`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("考核计分规则");
    await expectAccessible(page);
    const field = (label: string) => page.getByLabel(label, { exact: true });
    const original = await field("付款承诺兑现").inputValue();
    const other = await field("计划事项按期完成").inputValue();

    // 5 more on one weight: the form's own schema refuses it before anything is sent
    let posted = false;
    page.on("request", (request) => {
      if (request.method() === "POST") posted = true;
    });
    await field("付款承诺兑现").fill(String(Number(original) + 5));
    await page.getByRole("button", { name: "保存考核计分规则" }).click();
    await expect.poll(() => page.locator(".scoring-rules").textContent()).toContain("四项权重合计必须为100");
    expect(posted).toBe(false);

    // moved from one measure to another: saved, and the scoreboard's rule line says so
    await field("计划事项按期完成").fill(String(Number(other) - 5));
    await page.getByRole("button", { name: "保存考核计分规则" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("考核计分规则已保存。");
    await page.goto(`${baseURL()}/scoreboard?preset=lastYear`);
    await expect.poll(() => page.locator(".scoreboard-rules").textContent()).toContain(`付款承诺兑现${Number(original) + 5}分`);
    const points = await page.locator(".scoreboard-table tbody td[data-column=points]").allTextContents();
    expect(points.length).toBeGreaterThan(0);
    expect(points.some((text) => /^\d+\.\d/.test(text))).toBe(true);

    // put the weights back for the other tests
    await page.goto(`${baseURL()}/scoreboard/rules`);
    await field("付款承诺兑现").fill(original);
    await field("计划事项按期完成").fill(other);
    await page.getByRole("button", { name: "保存考核计分规则" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("考核计分规则已保存。");
    await switchLanguage(page, "en");
    await assertClean();
  });
});

import { describe, expect, it } from "vitest";

import { baseURL, expectAccessible, signedInPage, signedOutPage, signIn, useBrowser } from "./support/browser";

const browser = useBrowser();

// Every page of the top bar, in order, grouped menus included (their links are in closed <details>).
const NAV = {
  head: {
    en: ["Dashboard", "Plans", "My tasks", "Customers", "Invoices", "Import", "Status table", "Published status tables", "Collections forecast", "Year-end push", "Year review", "Scoreboard", "Early warnings", "Bad-debt provisions", "Credit", "My settings"],
    zh: ["仪表盘", "季度计划", "我的任务", "客户", "发票", "导入台账", "应收账款情况表", "已发布情况表", "回款预测", "年末回款冲刺", "年度总结", "考核排名", "风险预警", "坏账准备", "信用管理", "个人设置"],
  },
  staff: {
    en: ["Dashboard", "Plans", "My tasks", "Customers", "Invoices", "Status table", "Collections forecast", "Year-end push", "Year review", "Scoreboard", "Early warnings", "Bad-debt provisions", "Credit", "My settings"],
    zh: ["仪表盘", "季度计划", "我的任务", "客户", "发票", "应收账款情况表", "回款预测", "年末回款冲刺", "年度总结", "考核排名", "风险预警", "坏账准备", "信用管理", "个人设置"],
  },
  leader: {
    en: ["Dashboard", "Plans", "Customers", "Invoices", "Status table", "Published status tables", "Collections forecast", "Year-end push", "Year review", "Scoreboard", "Early warnings", "Bad-debt provisions", "Credit", "My settings"],
    zh: ["仪表盘", "季度计划", "客户", "发票", "应收账款情况表", "已发布情况表", "回款预测", "年末回款冲刺", "年度总结", "考核排名", "风险预警", "坏账准备", "信用管理", "个人设置"],
  },
  admin: { en: ["Home", "Users", "Installation", "My settings"], zh: ["首页", "用户管理", "系统设置", "个人设置"] },
} as const;

describe("signing in as each role, in both languages", () => {
  it("shows an accessible sign-in page and refuses a wrong password with a message", async () => {
    const { page, assertClean } = await signedOutPage(browser);
    await page.goto(`${baseURL()}/login`);
    await expectAccessible(page);
    await page.locator("input[name=email]").fill("head@demo.quarterdeck");
    await page.locator("input[name=password]").fill("not the password");
    await page.locator("input[name=password]").press("Enter");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("The email or password is not right.");
    await expectAccessible(page);
    assertClean();
    await page.close();
  });

  it("shows field errors before posting when the form is incomplete", async () => {
    const { page, assertClean } = await signedOutPage(browser);
    await page.goto(`${baseURL()}/login`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.locator(".field__error").count()).toBe(2);
    expect(page.url()).toBe(`${baseURL()}/login`);
    assertClean();
    await page.close();
  });

  for (const role of ["head", "staff", "leader", "admin"] as const) {
    it(`${role}: sees the ${role} navigation in English and in Chinese`, async () => {
      const { page, assertClean } = await signedInPage(browser, role);
      const nav = page.getByRole("navigation", { name: "Main navigation" });
      await expect.poll(() => nav.getByRole("link", { includeHidden: true }).allTextContents()).toEqual([...NAV[role].en]);
      await expectAccessible(page);

      await page.getByRole("button", { name: /简体中文/ }).click();
      const navZh = page.getByRole("navigation", { name: "主导航" });
      await expect.poll(() => navZh.getByRole("link", { includeHidden: true }).allTextContents()).toEqual([...NAV[role].zh]);
      expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
      await expectAccessible(page);

      // the choice is remembered on the user: it survives signing out and in again
      await page.getByRole("button", { name: "退出登录" }).click();
      await page.waitForURL(`${baseURL()}/login`);
      await signIn(page, role);
      await expect.poll(() => navZh.getByRole("link", { includeHidden: true }).allTextContents()).toEqual([...NAV[role].zh]);

      await page.getByRole("button", { name: /English/ }).click();
      await expect.poll(() => nav.getByRole("link", { includeHidden: true }).allTextContents()).toEqual([...NAV[role].en]);
      assertClean();
      await page.close();
    });
  }

  it("refuses a staff user the admin pages with a page they can act on", async () => {
    const { page, assertClean } = await signedInPage(browser, "staff");
    const response = await page.goto(`${baseURL()}/admin/users`);
    expect(response?.status()).toBe(403);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("Not allowed");
    await expect.poll(() => page.getByRole("link", { name: "Go to the home page" }).count()).toBe(1);
    assertClean();
    await page.close();
  });

  it("lets the admin create a user who can then sign in", async () => {
    const { page, assertClean } = await signedInPage(browser, "admin");
    await page.goto(`${baseURL()}/admin/users`);
    await expectAccessible(page);
    await page.getByLabel("Name").fill("Chen Jing");
    await page.getByLabel("Email").fill("chen.jing@example.test");
    await page.getByLabel("Role", { exact: true }).selectOption("staff");
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Create user" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("chen.jing@example.test");
    await expect.poll(() => page.getByRole("cell", { name: "Chen Jing", exact: true }).count()).toBe(1);

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${baseURL()}/login`);
    await page.locator("input[name=email]").fill("chen.jing@example.test");
    await page.locator("input[name=password]").fill("a long enough password");
    await page.locator("input[name=password]").press("Enter");
    await page.waitForURL(`${baseURL()}/`);
    // a new staff member lands on the dashboard of their own (still empty) book
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Dashboard");
    await expect.poll(() => page.getByRole("combobox", { name: "Scope" }).inputValue()).toBe("owner:chen.jing@example.test");
    assertClean();
    await page.close();
  });
});

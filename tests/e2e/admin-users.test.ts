import { randomUUID } from "node:crypto";

import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { baseURL, expectAccessible, newPage, nextPostAnswered, signedInPage, useBrowser } from "./support/browser";

const browser = useBrowser();
const noScript = useBrowser({ javaScriptEnabled: false });

/** Creates a user on the admin's page, leaving the role as the form proposes it. */
async function createUser(page: Page, name: string, email: string) {
  await page.goto(`${baseURL()}/admin/users`);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill("a long enough password");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect.poll(() => page.getByRole("status").textContent()).toContain(email);
}

function roleOf(page: Page, email: string) {
  return page
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: email, exact: true }) })
    .getByRole("cell")
    .nth(2)
    .textContent();
}

describe("the administrator's user pages", () => {
  it("propose the staff role for a new user, with and without JavaScript", async () => {
    for (const client of [noScript, browser]) {
      const { page, assertClean } = await signedInPage(client, "admin");
      await page.goto(`${baseURL()}/admin/users`);
      expect(await page.getByLabel("Role", { exact: true }).inputValue()).toBe("staff");

      const email = `new-${randomUUID().slice(0, 8)}@example.test`;
      await createUser(page, "Role Default", email);
      await expect.poll(() => roleOf(page, email)).toBe("Staff");
      assertClean();
      await page.close();
    }
  });

  it("correct a user's name and email; a save based on an outdated page is refused and shows both", async () => {
    const { page, assertClean } = await signedInPage(browser, "admin");
    const email = `zhou.min-${randomUUID().slice(0, 8)}@example.test`;
    await createUser(page, "Zhou Min", email);
    await page.getByRole("link", { name: "Edit: Zhou Min" }).first().click();
    await page.waitForURL(/\/admin\/users\/\d+$/);
    const userPage = page.url();
    await expect.poll(() => page.getByRole("heading", { name: "Name and email" }).count()).toBe(1);
    await expectAccessible(page);

    // A second administrator's tab on the same user, loaded before the first one saves.
    const other = await newPage(browser);
    await other.page.goto(userPage);
    await other.page.getByLabel("Name", { exact: true }).waitFor();

    await page.getByLabel("Name", { exact: true }).fill("Zhou Min 周敏");
    await page.getByLabel("Email", { exact: true }).fill(`ZHOU.${email}`);
    await page.getByRole("button", { name: "Save name and email" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe("Name and email saved.");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Edit Zhou Min 周敏");
    await expect.poll(() => page.locator(".lead").textContent()).toContain(`zhou.${email}`);

    // The other tab still shows the old values: its save is refused, with both sides shown.
    await other.page.getByLabel("Name", { exact: true }).fill("Zhou Minnie");
    const refused = nextPostAnswered(other.page);
    await other.page.getByRole("button", { name: "Save name and email" }).click();
    expect((await refused).status()).toBe(409);
    const alert = other.page.getByRole("alert");
    await expect.poll(() => alert.textContent()).toContain("Someone changed this user while you were editing");
    expect(await alert.getByRole("row", { name: /^Name/ }).textContent()).toContain("Zhou Min 周敏");
    expect(await alert.getByRole("row", { name: /^Name/ }).textContent()).toContain("Zhou Minnie");
    expect(await other.page.getByLabel("Name", { exact: true }).inputValue()).toBe("Zhou Minnie");
    await expectAccessible(other.page);

    // Saving again, now knowingly over the stored values, goes through.
    await other.page.getByRole("button", { name: "Save name and email" }).click();
    await expect.poll(() => other.page.getByRole("status").textContent()).toBe("Name and email saved.");
    await expect.poll(() => other.page.getByRole("heading", { level: 1 }).textContent()).toBe("Edit Zhou Minnie");
    other.assertClean();
    await other.page.close();

    // 中文
    await page.reload();
    await page.locator(".language-switch button").click();
    await expect.poll(() => page.getByRole("heading", { name: "姓名和邮箱" }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "保存姓名和邮箱" }).count()).toBe(1);
    await expectAccessible(page);
    await page.locator(".language-switch button").click();
    await expect.poll(() => page.locator("html").getAttribute("lang")).toBe("en");
    assertClean();
  });
});

import { describe, expect, it } from "vitest";

import { baseURL, DEMO_PASSWORD, demoEmail, signedOutPage, useBrowser } from "./support/browser";

const browser = useBrowser();

describe("the page after signing in", () => {
  it.each(["%2F%09%2Fevil.example%2Fphish", "%2F%2Fevil.example", "%2F%5Cevil.example", "https%3A%2F%2Fevil.example%2F"])(
    "stays on this site for a link carrying redirectTo=%s",
    async (target) => {
      const { page, assertClean } = await signedOutPage(browser);
      await page.goto(`${baseURL()}/login?redirectTo=${target}`);
      await page.getByLabel("Email").fill(demoEmail("head"));
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.pathname === "/" || url.host !== new URL(baseURL()).host);
      expect(new URL(page.url()).origin).toBe(baseURL());
      expect(new URL(page.url()).pathname).toBe("/");
      assertClean();
      await page.close();
    },
  );

  it("returns to the page on this site the user was sent away from", async () => {
    const { page, assertClean } = await signedOutPage(browser);
    await page.goto(`${baseURL()}/plans`);
    await page.waitForURL(/\/login\?redirectTo=%2Fplans$/);
    await page.getByLabel("Email").fill(demoEmail("head"));
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${baseURL()}/plans`);
    assertClean();
    await page.close();
  });
});

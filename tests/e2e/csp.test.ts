import { describe, expect, it } from "vitest";

import { baseURL, signedOutPage, signIn, useBrowser } from "./support/browser";

/**
 * The pages run under a strict CSP (no 'unsafe-eval'). A library feature check that tries
 * `Function("")` is refused by the browser and reported as a violation even when the library
 * catches the error: each one is noise in an operator's CSP reports, so none may happen.
 */
const browser = useBrowser();

describe("the content security policy", () => {
  it("is never violated while pages load and forms validate", async () => {
    const { page, assertClean } = await signedOutPage(browser);
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`));
    });
    const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

    await page.goto(`${baseURL()}/login`);
    await page.waitForLoadState("networkidle");
    expect(await violations(), "/login").toEqual([]);
    // An empty sign-in validates on the client with the shared zod schema.
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByText("Required.").count()).toBeGreaterThan(0);
    expect(await violations()).toEqual([]);

    await signIn(page, "head");
    for (const path of ["/", "/plans", "/tasks", "/customers", "/credit/grades", "/settings"]) {
      await page.goto(`${baseURL()}${path}`);
      await page.waitForLoadState("networkidle");
      expect(await violations(), path).toEqual([]);
    }
    // A form validated on the client: an API token with a bad expiry.
    await page.goto(`${baseURL()}/settings`);
    const section = page.getByRole("region", { name: "API tokens" });
    await section.getByLabel("Name", { exact: true }).fill("CSP check");
    await section.getByLabel("Expires after (days)").fill("0");
    await section.getByRole("button", { name: "Create token" }).click();
    await expect.poll(() => section.getByText("Whole days from 1 to 365, or leave empty.").count()).toBe(1);
    expect(await violations()).toEqual([]);
    assertClean();
  });
});

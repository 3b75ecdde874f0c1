import { execFile } from "node:child_process";
import crypto from "node:crypto";
import { promisify } from "node:util";

import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";

import { totpCodeAt, totpStepAt } from "~/features/users/two-factor";
import { baseURL, expectAccessible, signedOutPage, useBrowser } from "./support/browser";

const browser = useBrowser();
// Its own user: the demo users sign in with one step in every other browser test.
const email = `two-factor-${crypto.randomBytes(4).toString("hex")}@example.test`;
const password = `Kv7-${crypto.randomBytes(9).toString("base64url")}`;

beforeAll(async () => {
  await promisify(execFile)("node_modules/.bin/tsx", ["db/cli/user.ts", "add", "--email", email, "--name", "Tove Factor", "--role", "staff", "--password", password], {
    env: { ...process.env, DATABASE_URL: inject("databaseFile") },
  });
});

/**
 * The server's instant as its own response says (the Date header, to the second): time-based codes
 * are checked against the server's clock, so the test takes the time from there, never from its own.
 */
async function serverInstant(): Promise<Date> {
  const header = (await fetch(`${baseURL()}/healthz`)).headers.get("date");
  if (!header) throw new Error("the server's answer carries no Date header");
  return new Date(header);
}

// A code computed away from a 30-second step's edge (the business date plays no part).
async function codeFor(secret: string, offset = 0): Promise<string> {
  let now = await serverInstant();
  const intoStep = (now.getTime() / 1000) % 30;
  if (intoStep > 24) {
    await new Promise((resolve) => setTimeout(resolve, (30 - intoStep) * 1000 + 1200));
    now = await serverInstant();
  }
  return totpCodeAt(secret, totpStepAt(now) + offset);
}

async function passwordStep(page: Page) {
  await page.goto(`${baseURL()}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => page.getByRole("heading", { name: "Enter your code" }).isVisible()).toBe(true);
}

describe("two-factor sign-in", () => {
  it("enrols on the settings page with the key shown there, then signs in with a code from it", async () => {
    const { page, assertClean } = await signedOutPage(browser);
    await page.goto(`${baseURL()}/login`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${baseURL()}/`);

    await page.goto(`${baseURL()}/settings`);
    await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
    const secretText = page.getByTestId("two-factor-secret");
    await expect.poll(() => secretText.isVisible()).toBe(true);
    const secret = (await secretText.textContent()) ?? "";
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await page.getByRole("img", { name: "QR code for the authenticator app" }).locator("svg").count()).toBe(1);
    await expectAccessible(page);

    // a wrong code is refused at the field and leaves it off
    await page.getByLabel("Code", { exact: true }).fill("000000" === (await codeFor(secret)) ? "111111" : "000000");
    await page.getByRole("button", { name: "Turn on" }).click();
    await expect.poll(() => page.getByText("That code is not right").isVisible()).toBe(true);

    await page.getByLabel("Code", { exact: true }).fill(await codeFor(secret));
    await page.getByRole("button", { name: "Turn on" }).click();
    const codes = page.getByTestId("recovery-codes").locator("li");
    await expect.poll(() => codes.count()).toBe(10);
    expect(await codes.first().textContent()).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    await expect.poll(() => page.getByRole("heading", { name: /Two-factor sign-in\s+On/ }).isVisible()).toBe(true);
    await expectAccessible(page);

    // signed out, the password alone no longer signs in
    await browser.context.clearCookies();
    await passwordStep(page);
    expect(new URL(page.url()).pathname).toBe("/login");
    await expectAccessible(page);
    await page.getByLabel("Code or recovery code").fill("12345");
    await page.getByRole("button", { name: "Verify" }).click();
    await expect.poll(() => page.getByText("That code is not right").isVisible()).toBe(true);

    // the enrolment's step is used: the next step's code (within the one-step drift) signs in
    await page.getByLabel("Code or recovery code").fill(await codeFor(secret, 1));
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(`${baseURL()}/`);
    await expect.poll(() => page.getByRole("navigation", { name: "Main navigation" }).isVisible()).toBe(true);
    assertClean();
    await page.close();
  });
});

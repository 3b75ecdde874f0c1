import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import AxeBuilder from "@axe-core/playwright";
import { type BrowserContext, type Page, chromium } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";

import { CHROMIUM } from "../../setup/e2e-global-setup";

export const DEMO_PASSWORD = "quarterdeck-demo";
export const demoEmail = (role: string) => `${role}@demo.quarterdeck`;

export function baseURL(): string {
  return inject("baseURL");
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function openBrowser(options: { javaScriptEnabled?: boolean } = {}): Promise<Browser> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-chromium-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A browser for the file's tests: opened before them and closed after them. The returned object
 * stands for it from the first test on (reading `context` before then is a mistake and throws).
 */
export function useBrowser(options: { javaScriptEnabled?: boolean } = {}): Browser {
  let opened: Browser | undefined;
  beforeAll(async () => {
    opened = await openBrowser(options);
  });
  afterAll(async () => {
    await opened?.close();
  });
  return {
    get context() {
      if (!opened) throw new Error("useBrowser(): the browser opens in beforeAll, use it inside a test or hook");
      return opened.context;
    },
    async close() {
      await opened?.close();
    },
  };
}

/**
 * Chromium logs every 4xx answer to a fetch as a console error. Those are answers the app gives
 * on purpose (400 with field errors, 403, 404) and the tests assert what the user sees instead;
 * any other console error or warning (a chart missing a plugin warns and draws less), any 5xx and
 * any uncaught exception fails the test.
 */
const EXPECTED_HTTP_ANSWER = /^console: Failed to load resource: the server responded with a status of 4\d\d/;

/** A page that records console errors, warnings and uncaught exceptions; `assertClean` fails on any. */
export async function newPage(browser: Browser) {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
    else if (message.type() === "warning") errors.push(`console warning: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  return {
    page,
    errors,
    assertClean() {
      expect(errors.filter((e) => !EXPECTED_HTTP_ANSWER.test(e))).toEqual([]);
    },
  };
}

/** axe-core WCAG 2 A/AA check of what the page shows now. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page: page as never }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
  const problems = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(problems).toEqual([]);
}

export async function signIn(page: Page, role: string) {
  await page.goto(`${baseURL()}/login`);
  await page.locator("input[name=email]").fill(demoEmail(role));
  await page.locator("input[name=password]").fill(DEMO_PASSWORD);
  await page.locator("input[name=password]").press("Enter");
  await page.waitForURL(`${baseURL()}/`);
}

/**
 * Follows the top bar: `followMenu(page, "Ledger", "Customers")` opens the Ledger menu, then
 * clicks Customers; `followMenu(page, "Credit")` clicks a top-level link.
 */
export async function followMenu(page: Page, ...labels: [...string[], string]) {
  const nav = page.getByRole("navigation", { name: /^(Main navigation|主导航)$/ });
  for (const group of labels.slice(0, -1)) await nav.locator("summary", { hasText: group }).click();
  await nav.getByRole("link", { name: labels[labels.length - 1], exact: true }).click();
}

/** Waits for the page a menu or link led to: its address, its title, then the accessibility check. */
export async function expectArrived(page: Page, path: string, heading: string) {
  await page.waitForURL(`${baseURL()}${path}`);
  await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(heading);
  await expectAccessible(page);
}

/** A new page with the browser's cookies cleared first: no one signed in, for the sign-in page itself. */
export async function signedOutPage(browser: Browser) {
  await browser.context.clearCookies();
  return newPage(browser);
}

/** A new page signed in as a demo role, with the browser's cookies cleared first (no earlier session carries over). */
export async function signedInPage(browser: Browser, role: string) {
  const tab = await signedOutPage(browser);
  await signIn(tab.page, role);
  return tab;
}

/** Switches the signed-in user's language with the top bar's button and waits for the page to be in it. */
export async function switchLanguage(page: Page, to: "zh-CN" | "en") {
  await page.getByRole("button", { name: to === "zh-CN" ? /简体中文/ : /English/ }).click();
  await expect.poll(() => page.getAttribute("html", "lang")).toBe(to);
}

/** Resolves once the page's next form post (a fetcher's or a form's) has been answered. */
export function nextPostAnswered(page: Page) {
  return page.waitForResponse((response) => response.request().method() === "POST");
}

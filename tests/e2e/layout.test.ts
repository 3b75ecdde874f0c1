import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";

import { baseURL, nextPostAnswered, signedInPage, signedOutPage, signIn, useBrowser } from "./support/browser";

/*
 * Every main page, as each role, on a laptop (1280 px) and a phone (390 px): the page itself
 * never scrolls sideways (a wide table may scroll inside its own box) and the top bar stays one
 * compact row. On the phone the ledger lists show each row's key amounts on screen.
 */

const browser = useBrowser();

type Role = "head" | "staff" | "leader" | "admin";

const WIDTHS = [1280, 390] as const;
/** One row of links at 1280 px, brand and Menu button at 390 px. */
const HEADER_HEIGHT_MAX = 72;

const PAGES: Record<Role, string[]> = {
  head: ["/", "/plans", "/plans/template", "/tasks", "/customers", "/invoices", "/import", "/status", "/forecast", "/review", "/scoreboard", "/credit/review", "/credit/holds", "/credit/confirmations", "/credit/grades", "/help/kpis", "/settings"],
  staff: ["/", "/plans", "/tasks", "/customers", "/invoices", "/status", "/forecast", "/review", "/scoreboard", "/credit/review", "/credit/holds", "/credit/confirmations", "/credit/grades", "/settings"],
  leader: ["/", "/plans", "/customers", "/invoices", "/status", "/forecast", "/review", "/scoreboard", "/credit/review", "/credit/holds", "/credit/confirmations", "/settings"],
  admin: ["/", "/admin/users", "/admin/settings", "/settings"],
};

/** Pages one link away from a list: the first link on `from` whose path matches `pattern`. */
const DETAIL_PAGES: Record<Role, { from: string; pattern: RegExp }[]> = {
  head: [
    { from: "/plans", pattern: /^\/plans\/\d+$/ },
    { from: "/tasks", pattern: /^\/plans\/\d+\/items\/\d+$/ },
    { from: "/customers", pattern: /^\/customers\/[^/]+$/ },
    { from: "/credit/review", pattern: /^\/credit\/review\/\d+$/ },
    { from: "/credit/confirmations", pattern: /^\/credit\/confirmations\/\d+$/ },
  ],
  staff: [
    { from: "/tasks", pattern: /^\/plans\/\d+\/items\/\d+$/ },
    { from: "/customers", pattern: /^\/customers\/[^/]+$/ },
  ],
  leader: [
    { from: "/plans", pattern: /^\/plans\/\d+$/ },
    { from: "/customers", pattern: /^\/customers\/[^/]+$/ },
  ],
  admin: [{ from: "/admin/users", pattern: /^\/admin\/users\/\d+$/ }],
};

/** The phone's promise on the ledger lists: these columns of the first row are on screen. */
const KEY_AMOUNTS: Record<string, string[]> = {
  "/customers": ["Balance", "Overdue"],
  "/invoices": ["Open"],
  "/status": ["Closing balance", "Overdue", "Collected"],
  "/scoreboard": ["Collected", "Overdue at end", "Overdue change"],
};

async function measure(page: Page) {
  return page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    viewport: window.innerWidth,
    header: document.querySelector("header")!.getBoundingClientRect().height,
  }));
}

async function firstLink(page: Page, pattern: RegExp): Promise<string | null> {
  const paths = await page.locator("main a[href]").evaluateAll((links) => links.map((link) => new URL((link as HTMLAnchorElement).href).pathname));
  return paths.find((path) => pattern.test(path)) ?? null;
}

/** The problems of one page at the current width, in words; none when it fits. */
async function problemsOf(page: Page, path: string, width: number): Promise<string[]> {
  const response = await page.goto(`${baseURL()}${path}`);
  if (!response || response.status() >= 400) return [`${path} @${width}: HTTP ${response?.status()}`];
  await page.waitForLoadState("networkidle").catch(() => undefined);
  const { scrollWidth, viewport, header } = await measure(page);
  const problems: string[] = [];
  if (scrollWidth > viewport) problems.push(`${path} @${width}: the page scrolls sideways (${scrollWidth} px wide)`);
  if (header > HEADER_HEIGHT_MAX) problems.push(`${path} @${width}: the top bar is ${Math.round(header)} px high`);
  const keys = width < 640 ? KEY_AMOUNTS[new URL(page.url()).pathname] : undefined;
  for (const label of keys ?? []) {
    const cell = page.locator(`main table tbody tr:first-child td[data-label="${label}"]`);
    const box = (await cell.count()) === 1 && (await cell.isVisible()) ? await cell.boundingBox() : null;
    if (!box || box.x < 0 || box.x + box.width > viewport) problems.push(`${path} @${width}: the first row's ${label} is not on screen`);
  }
  return problems;
}

describe("page layout on a laptop and a phone", () => {
  for (const role of ["head", "staff", "leader", "admin"] as const) {
    for (const width of WIDTHS) {
      it(`${role} at ${width} px: no page scrolls sideways and the top bar is one row`, async () => {
        const { page, assertClean } = await signedOutPage(browser);
        await page.setViewportSize({ width, height: 900 });
        await signIn(page, role);
        const problems: string[] = [];
        const visited = new Set<string>();
        for (const path of PAGES[role]) {
          problems.push(...(await problemsOf(page, path, width)));
          visited.add(path);
          for (const detail of DETAIL_PAGES[role].filter((candidate) => candidate.from === path)) {
            const link = await firstLink(page, detail.pattern);
            if (link === null) problems.push(`${path}: no link like ${detail.pattern}`);
            else if (!visited.has(link)) {
              visited.add(link);
              problems.push(...(await problemsOf(page, link, width)));
            }
          }
        }
        expect(problems).toEqual([]);
        assertClean();
        await page.close();
      }, 180_000);
    }
  }
});

describe("a long unbroken note", () => {
  it("does not widen the plan item page", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(`${baseURL()}/tasks`);
    const item = await firstLink(page, /^\/plans\/\d+\/items\/\d+$/);
    expect(item).not.toBeNull();
    await page.goto(`${baseURL()}${item}`);
    const url = `https://erp.example.com/receivables/statements/${"0123456789abcdef".repeat(20)}?customer=C0001&period=2026-11`;
    await page.locator("form.note-form input[name=body]").first().fill(url);
    // Wait for the post to be answered before loading the page again (a navigation would cancel it).
    const posted = nextPostAnswered(page);
    await page.locator("form.note-form").first().getByRole("button", { name: /^Add a note/ }).click();
    await posted;
    await page.goto(`${baseURL()}${item}`);
    await expect.poll(() => page.getByText(url, { exact: true }).first().isVisible()).toBe(true);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      const { scrollWidth, viewport } = await measure(page);
      expect(scrollWidth, `at ${width} px`).toBeLessThanOrEqual(viewport);
    }
    assertClean();
    await page.close();
  });
});

import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";

import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { databaseUrl, getDb } from "~/server/db.server";
import { kpiObject } from "~/features/kpi/kpi.server";
import { CHROMIUM } from "../setup/e2e-global-setup";
import { type Browser, DEMO_PASSWORD, demoEmail, expectAccessible, newPage, openBrowser } from "../e2e/support/browser";
import { freePort } from "../support/free-port";

/**
 * The browser smoke test on PostgreSQL: the built app (`npm start`) on a fresh PostgreSQL database
 * seeds the demo on its first start, and Chromium walks the path a department head takes (the
 * dashboard's figures, a plan item ticked done and still done after a reload, the forecast, the
 * language switched to Chinese, sign-out), then a staff member's My tasks. The browser tests of
 * the e2e project run on SQLite; this one proves the same pages work end to end on PostgreSQL.
 */

let app: ChildProcess | undefined;
let origin = "";
let browser: Browser | undefined;
let today = "";

async function startApp(): Promise<void> {
  const port = await freePort();
  const child = spawn("node_modules/.bin/tsx", ["db/cli/start.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl(), PORT: String(port), HOST: "127.0.0.1", QUARTERDECK_TODAY: today, WEB_CONCURRENCY: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  app = child;
  let output = "";
  await new Promise<void>((resolve, reject) => {
    // Seeding the demo on PostgreSQL takes most of a minute on an idle machine, minutes on a loaded one.
    const timer = setTimeout(() => reject(new Error(`The app did not start within 240 s:\n${output}`)), 240_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Quarterdeck is serving")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`The app exited with ${code} before serving:\n${output}`));
    });
  });
  origin = `http://127.0.0.1:${port}`;
}

async function stopApp(): Promise<void> {
  if (!app || app.exitCode !== null || app.signalCode !== null) return;
  const exited = new Promise((resolve) => app?.once("exit", resolve));
  app.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 8_000))]);
  if (app.exitCode === null && app.signalCode === null) app.kill("SIGKILL");
}

beforeAll(async () => {
  if (!fs.existsSync("build/index.js")) {
    throw new Error("The PostgreSQL browser smoke test serves the built app: run `npm run build` first (npm test does).");
  }
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`The PostgreSQL browser smoke test needs Chromium at ${CHROMIUM} (apt-get install -y chromium).`);
  }
  // tests/setup/business-date.ts sets it from QD_TEST_TODAY or the run's date: the app runs at the same one.
  today = process.env.QUARTERDECK_TODAY ?? "";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) throw new Error(`QUARTERDECK_TODAY is not a date: "${today}"`);
  await startApp();
  browser = await openBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  // Before the setup's afterAll drops this file's database.
  await stopApp();
}, 30_000);

function opened(): Browser {
  if (!browser) throw new Error("the browser opens in beforeAll");
  return browser;
}

const heading = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();

async function signIn(page: Page, role: string): Promise<void> {
  await page.goto(`${origin}/login`);
  await page.locator("input[name=email]").fill(demoEmail(role));
  await page.locator("input[name=password]").fill(DEMO_PASSWORD);
  await page.locator("input[name=password]").press("Enter");
  await page.waitForURL(`${origin}/`);
}

/** The current quarter's plan (approved and in progress in the demo) and its items, read from the database. */
async function currentPlan() {
  const db = getDb();
  const plan = await db
    .selectFrom("plans")
    .select(["id"])
    .where("state", "=", "approved")
    .where("start_date", "<=", today)
    .where("end_date", ">=", today)
    .executeTakeFirstOrThrow(() => new Error(`the demo has no approved plan in force on ${today}`));
  const items = await db
    .selectFrom("plan_items")
    .leftJoin("users", "users.id", "plan_items.owner_id")
    .select(["plan_items.id", "plan_items.title", "plan_items.status", "users.email"])
    .where("plan_items.plan_id", "=", plan.id)
    .orderBy("plan_items.position")
    .execute();
  return { id: plan.id, items };
}

async function itemStatus(id: number): Promise<string> {
  const row = await getDb().selectFrom("plan_items").select("status").where("id", "=", id).executeTakeFirstOrThrow();
  return row.status;
}

describe("the built app on PostgreSQL, in Chromium", () => {
  it("a department head: dashboard figures, a plan item ticked done, the forecast, Chinese, sign-out", async () => {
    const context = opened().context;
    await context.clearCookies();
    const { page, assertClean } = await newPage(opened());
    await signIn(page, "head");

    // The dashboard's overdue card is the KPI the API gives and the KPI function computes on the same database.
    await expect.poll(() => heading(page)).toBe("Dashboard");
    expect(await page.getByLabel("As of", { exact: true }).inputValue()).toBe(today);
    expect(await page.getByRole("combobox", { name: "Scope" }).inputValue()).toBe("company");
    const card = page.locator(".kpi-card", { has: page.getByRole("heading", { name: "Overdue amount", exact: true }) });
    const shown = Number(await card.locator("data").getAttribute("value"));
    const answer = await context.request.get(`${origin}/api/kpis?asOf=${today}`);
    expect(answer.status()).toBe(200);
    const api = (await answer.json()) as { as_of: string; overdue_total: number; ar_total: number };
    expect(api.as_of).toBe(today);
    const computed = await kpiObject(getDb(), { asOf: today, scope: "company" });
    expect(computed.overdue_total).toBe(api.overdue_total);
    expect(shown).toBe(api.overdue_total);
    // the demo always has receivables and some of them overdue: a real figure, not an empty card
    expect(api.overdue_total).toBeGreaterThan(0);
    expect(api.ar_total).toBeGreaterThanOrEqual(api.overdue_total);
    await expectAccessible(page);

    // Plans: the quarter in force, one of its open items ticked done (a write), still done after a reload.
    const plan = await currentPlan();
    const open = plan.items.find((item) => item.status !== "done" && item.status !== "cancelled" && item.email === demoEmail("head")) ??
      plan.items.find((item) => item.status !== "done" && item.status !== "cancelled");
    if (!open) throw new Error(`the demo's plan in force on ${today} has no open item to tick`);
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Plans", exact: true }).click();
    await page.waitForURL(`${origin}/plans`);
    await page.locator(`a[href="/plans/${plan.id}"]`).first().click();
    await page.waitForURL(`${origin}/plans/${plan.id}`);
    await page.locator(`#item-${open.id}`).getByRole("link", { name: open.title, exact: true }).click();
    await page.waitForURL(`${origin}/plans/${plan.id}/items/${open.id}`);
    await expect.poll(() => heading(page)).toBe(open.title);
    await page.getByRole("button", { name: `Done: ${open.title}`, exact: true }).click();
    await expect.poll(() => itemStatus(open.id)).toBe("done");
    await page.reload();
    await expect.poll(() => page.locator(".status-control__now").textContent()).toContain("Done");
    expect(await page.getByRole("button", { name: `Done: ${open.title}`, exact: true }).count()).toBe(0);
    await expectAccessible(page);

    // The forecast, then the same page in Chinese.
    const nav = page.getByRole("navigation", { name: "Main navigation" });
    await nav.locator("summary", { hasText: "Reports" }).click();
    await nav.getByRole("link", { name: "Collections forecast", exact: true }).click();
    await page.waitForURL(`${origin}/forecast`);
    await expect.poll(() => heading(page)).toBe("Collections forecast");
    await page.getByRole("button", { name: /简体中文/ }).click();
    await expect.poll(() => page.getAttribute("html", "lang")).toBe("zh-CN");
    await expect.poll(() => heading(page)).toBe("回款预测");
    await expectAccessible(page);

    await page.getByRole("button", { name: "退出登录" }).click();
    await page.waitForURL(`${origin}/login`);
    await page.goto(`${origin}/`);
    await page.waitForURL((url) => url.pathname === "/login");
    assertClean();
    await page.close();
  }, 240_000);

  it("a staff member signs in and sees their items of the plan in force in My tasks", async () => {
    await opened().context.clearCookies();
    const { page, assertClean } = await newPage(opened());
    await signIn(page, "staff");
    const plan = await currentPlan();
    const mine = plan.items.filter((item) => item.email === demoEmail("staff"));
    expect(mine.length).toBeGreaterThan(0);

    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "My tasks" }).click();
    await page.waitForURL(`${origin}/tasks`);
    await expect.poll(() => heading(page)).toBe("My tasks");
    for (const item of mine) expect(await page.locator(`#item-${item.id}`).first().textContent()).toContain(item.title);
    // the head's item is not the staff member's task
    const others = plan.items.filter((item) => item.email !== demoEmail("staff"));
    for (const item of others) expect(await page.locator(`#item-${item.id}`).count()).toBe(0);
    await expectAccessible(page);
    assertClean();
    await page.close();
  }, 120_000);
});

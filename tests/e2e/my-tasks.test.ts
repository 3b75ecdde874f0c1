import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";

import { demoPlan, withAppDb } from "./support/app-db";
import { baseURL, demoEmail, expectAccessible, expectArrived, signedInPage, switchLanguage, useBrowser } from "./support/browser";
import { present } from "../support/present";

// Our own approved plan, in a quarter no other test or the demo seed uses, so the items and
// their statuses are this test's alone. Created through the plan service on the served database.
const FISCAL_YEAR = 2030;
const QUARTER = 2 as const;
const TITLES = {
  noScript: "E2E balance confirmations (no JavaScript)",
  script: "E2E 催收电话 (JavaScript)",
  notes: "E2E visit notes (JavaScript)",
};
const itemIds: Record<keyof typeof TITLES, number> = { noScript: 0, script: 0, notes: 0 };

function storedStatus(itemId: number): Promise<string> {
  return withAppDb(async (db) => (await db.selectFrom("plan_items").select("status").where("id", "=", itemId).executeTakeFirstOrThrow()).status);
}

const task = (page: Page, itemId: number) => page.locator(`#item-${itemId}`);

function noteCount(itemId: number): Promise<number> {
  return withAppDb(async (db) => {
    const row = await db.selectFrom("plan_comments").select((eb) => eb.fn.countAll().as("n")).where("item_id", "=", itemId).where("kind", "=", "note").executeTakeFirstOrThrow();
    return Number(row.n);
  });
}

const browser = useBrowser();
const noScript = useBrowser({ javaScriptEnabled: false });

beforeAll(async () => {
  const staff = demoEmail("staff");
  const item = (title: string, dueDate: string) => ({ title, category: "reconciliation", owner: staff, dueDate });
  const { itemIds: ids } = await demoPlan({
    fiscalYear: FISCAL_YEAR,
    quarter: QUARTER,
    state: "approved",
    items: [item(TITLES.noScript, "2030-04-20"), item(TITLES.script, "2030-05-20"), item(TITLES.notes, "2030-06-10")],
  });
  [itemIds.noScript, itemIds.script, itemIds.notes] = [present(ids[0], "item"), present(ids[1], "item"), present(ids[2], "item")];
});

describe("My tasks (staff)", () => {
  it("ticks an item done with JavaScript disabled: a plain form post, and the status persists", async () => {
    const { page, assertClean } = await signedInPage(noScript, "staff");
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "My tasks" }).click();
    await page.waitForURL(`${baseURL()}/tasks`);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("My tasks");
    // (axe needs JavaScript in the page: the pages are checked in the test with it below)

    const row = task(page, itemIds.noScript);
    await row.getByLabel("Note or evidence (optional)").fill("All six statements returned and matched");
    await row.getByRole("button", { name: `Done: ${TITLES.noScript}` }).click();
    await page.waitForURL(`${baseURL()}/tasks#item-${itemIds.noScript}`);
    await page.reload();
    // done items move to the collapsed "done or cancelled" list
    const finished = page.locator("details.task-done");
    expect(await finished.locator(`#item-${itemIds.noScript}`).textContent()).toContain("Done");
    expect(await page.locator(`.task-list[aria-label="Open items"] #item-${itemIds.noScript}`).count()).toBe(0);
    expect(await storedStatus(itemIds.noScript)).toBe("done");

    // the note is on the item page, with the change in its history
    await page.goto(`${baseURL()}/plans/${(await page.locator(`#item-${itemIds.noScript} a`).first().getAttribute("href"))!.split("/")[2]}/items/${itemIds.noScript}`);
    expect(await page.locator(".comment-list").first().textContent()).toContain("All six statements returned and matched");
    expect(await page.locator(".history").textContent()).toContain("changed the status");
    assertClean();
    await page.close();
  });

  it("ticks an item done at once with JavaScript, in Chinese, and the status persists after reload", async () => {
    const { page, assertClean } = await signedInPage(browser, "staff");
    await switchLanguage(page, "zh-CN");
    await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "我的任务" }).click();
    await expectArrived(page, "/tasks", "我的任务");

    const row = task(page, itemIds.script);
    await row.getByRole("button", { name: `完成：${TITLES.script}` }).click();
    // the fetcher updates the row at once, without leaving the page
    await expect.poll(() => page.locator(`#item-${itemIds.script}`).first().textContent()).toContain("已完成");
    expect(page.url()).toBe(`${baseURL()}/tasks`);
    await expect.poll(() => storedStatus(itemIds.script)).toBe("done");

    await page.reload();
    await expect.poll(() => page.locator(`details.task-done #item-${itemIds.script}`).textContent()).toContain("已完成");
    await expectAccessible(page);

    // the item page, with the status, the note form and the history
    await page.locator("details.task-done summary").click();
    await page.locator(`details.task-done #item-${itemIds.script}`).getByRole("link", { name: TITLES.script }).click();
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(TITLES.script);
    expect(await page.locator(".history").textContent()).toContain("更改了状态");
    await expectAccessible(page);

    // the language is stored on the user: give the other tests their English back
    await switchLanguage(page, "en");
    assertClean();
    await page.close();
  });

  it("empties a note's box once the note is saved, and keeps a refused one with the maximum said", async () => {
    const { page, assertClean } = await signedInPage(browser, "staff");
    await page.goto(`${baseURL()}/tasks`);
    const row = task(page, itemIds.notes);
    const box = row.getByLabel("Note", { exact: true });
    const add = row.getByRole("button", { name: `Add a note: ${TITLES.notes}` });

    await box.fill("Visited on Tuesday; statement signed");
    await add.click();
    await expect.poll(() => row.getByRole("status").filter({ hasText: "Note added." }).count()).toBe(1);
    // Saved: the box is empty, so a second click cannot post the note again.
    expect(await box.inputValue()).toBe("");
    await add.click();
    await expect.poll(() => row.locator(".note-form .field__error").textContent()).toBe("Required.");
    expect(await noteCount(itemIds.notes)).toBe(1);

    const long = "x".repeat(2001);
    await box.fill(long);
    await add.click();
    await expect.poll(() => row.locator(".note-form .field__error").textContent()).toBe("At most 2,000 characters.");
    expect(await box.inputValue()).toBe(long);
    expect(await noteCount(itemIds.notes)).toBe(1);
    await expectAccessible(page);
    assertClean();
    await page.close();
  });
});

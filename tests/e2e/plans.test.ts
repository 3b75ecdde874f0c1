import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { addDays, fiscalQuarter, quarterOf } from "~/kernel/dates";
import { quarterLabel } from "~/features/kpi/format";
import { nextQuarter } from "~/features/plans/carry-over";
import { formatDate } from "~/ui/format";
import { demoPlan, readAppDb, withAppDb } from "./support/app-db";
import { baseURL, demoEmail, expectAccessible, newPage, signedInPage, switchLanguage, useBrowser } from "./support/browser";
import { present } from "../support/present";

/**
 * Plans as the department would use them: the head drafts next quarter from the
 * template, links an item to one region's overdue total with a target, assigns owners and
 * submits; leadership returns a plan with a comment; the head fixes and resubmits; leadership
 * approves; a staff member ticks one item done without JavaScript and another with it, in
 * Chinese; an import that pays the region's overdue invoices moves a linked item's progress.
 * Each test makes the plan it starts from, so none depends on another having run.
 */

const browser = useBrowser();
const noScript = useBrowser({ javaScriptEnabled: false });

/** The region with the most overdue money today, and its overdue invoices (read-only look at the app's database). */
function overdueRegion(today: string) {
  return readAppDb((db) => {
    const region = db
      .prepare(
        `SELECT c.region AS region, sum(o.open_amount) AS overdue FROM open_items o JOIN customers c ON c.id = o.customer_id
         WHERE o.due_date < ? AND c.region IS NOT NULL GROUP BY c.region ORDER BY overdue DESC LIMIT 1`,
      )
      .get(today) as { region: string; overdue: number };
    const invoices = db
      .prepare(
        `SELECT i.invoice_no, c.code, o.open_amount FROM open_items o JOIN customers c ON c.id = o.customer_id
         JOIN invoices i ON i.id = o.invoice_id WHERE o.due_date < ? AND c.region = ? ORDER BY o.open_amount DESC LIMIT 20`,
      )
      .all(today, region.region) as { invoice_no: string; code: string; open_amount: number }[];
    return { region: region.region, invoices };
  });
}

const money = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;

async function planState(page: import("playwright-core").Page) {
  return page.locator(".plan-head .badge").first().textContent();
}

describe("a quarter's plan from draft to a staff member's ticks", () => {
  // Each step starts from a plan of its own (made through the plan service in a quarter no other
  // test uses), so any step runs alone or in any order; only the first drafts one on the page.
  const today = inject("today");
  const staff = demoEmail("staff");

  it("head drafts next quarter from the template, links an item to a region's overdue, assigns owners and submits", async () => {
    const { region } = overdueRegion(today);
    const linkedTitle = `Collect the ${region} region's overdue`;
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Plans" }).click();
    await page.waitForURL(`${baseURL()}/plans`);
    await expectAccessible(page);
    // The form proposes the first quarter without a plan: the next one (the demo has this quarter's).
    await page.getByLabel("Start from").selectOption("template");
    await page.getByRole("button", { name: "Create the draft" }).click();
    await page.waitForURL(/\/plans\/\d+$/);
    const planUrl = page.url();
    expect(await planState(page)).toBe("Draft");
    await expectAccessible(page);

    await page.getByRole("link", { name: "Add an item" }).click();
    await page.waitForURL(/\/items\/new$/);
    const current = quarterOf(today);
    const next = nextQuarter(current.fiscalYear, current.quarter);
    const due = addDays(fiscalQuarter(next.fiscalYear, next.quarter).start, 20);
    await page.locator("input[name=title]").fill(linkedTitle);
    await page.locator("select[name=category]").selectOption("collection");
    await page.locator("select[name=ownerId]").selectOption({ label: "Li Wei 李伟" });
    await page.locator("input[name=dueDate]").fill(due);
    await page.locator("select[name=kpiKey]").selectOption("overdue_total");
    // The scope is picked from the regions, owners and grades the ledger has.
    await page.getByLabel("Measured for").selectOption({ label: region });
    await page.locator("input[name=kpiTarget]").fill("0");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Add the item" }).click();
    await page.waitForURL((url) => url.href.startsWith(planUrl) && !url.pathname.includes("/items/"));

    // Submitting now is refused: the template's items have no owner yet, and they are marked.
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("Every item needs an owner");
    const flagged = await page.locator("tr.row--flagged th a").evaluateAll((links) => links.map((link) => (link as HTMLAnchorElement).href));
    expect(flagged.length).toBeGreaterThan(0);
    expect(await page.getByRole("link", { name: linkedTitle }).count()).toBe(1);
    // Every owner in one form on the board, one save.
    const assign = page.locator("#assign");
    expect(await assign.getAttribute("open")).not.toBeNull();
    for (const [index, href] of flagged.entries()) {
      const itemId = href.split("/").pop()!;
      await assign.locator(`#owner-${itemId}`).selectOption({ label: index === 0 ? "Li Wei 李伟" : "Chen Jing 陈静" });
    }
    await assign.getByRole("button", { name: "Save owners and due dates" }).click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Saved:" }).textContent()).toContain(`${flagged.length} item`);
    expect(await page.locator("tr.row--flagged").count()).toBe(0);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await expect.poll(() => planState(page)).toBe("Submitted");
    assertClean();
    await page.close();
  });

  it("leadership returns it with a comment; the head fixes and resubmits; leadership approves", async () => {
    const title = "Collect the overdue of the top ten customers";
    const { planId } = await demoPlan({ fiscalYear: 2032, quarter: 1, state: "submitted", items: [{ title, owner: staff, dueDate: "2032-01-21" }] });
    const planUrl = `${baseURL()}/plans/${planId}`;

    let { page, assertClean } = await signedInPage(browser, "leader");
    await page.goto(planUrl);
    await expectAccessible(page);
    await page.getByLabel("Comment", { exact: true }).fill("Give the training item a date in the first month.");
    await page.getByRole("button", { name: "Return with comment" }).click();
    await expect.poll(() => planState(page)).toBe("Returned");
    assertClean();
    await page.close();

    ({ page, assertClean } = await signedInPage(browser, "head"));
    await page.goto(planUrl);
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("Give the training item a date");
    await page.getByRole("link", { name: title }).click();
    await page.locator("input[name=title]").fill(`${title} to zero`);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForLoadState("networkidle");
    await page.goto(planUrl);
    expect(await planState(page)).toBe("Draft");
    expect(await page.getByRole("link", { name: `${title} to zero` }).count()).toBe(1);
    await page.getByRole("button", { name: "Submit for approval" }).click();
    await expect.poll(() => planState(page)).toBe("Submitted");
    assertClean();
    await page.close();

    ({ page, assertClean } = await signedInPage(browser, "leader"));
    await page.goto(planUrl);
    await page.getByRole("button", { name: "Approve the plan" }).click();
    await expect.poll(() => planState(page)).toBe("Approved");
    await expectAccessible(page);
    assertClean();
    await page.close();
  });

  it("a staff member ticks one item done without JavaScript and another with it, in Chinese", async () => {
    const {
      itemIds: [other, linked],
    } = await demoPlan({
      fiscalYear: 2032,
      quarter: 2,
      state: "approved",
      items: [
        { title: "Send the statements of account", category: "reconciliation", owner: staff, dueDate: "2032-04-20" },
        { title: "Collect the overdue of the northern customers", owner: staff, dueDate: "2032-05-20" },
      ],
    });

    // Without JavaScript: a plain form post and a redirect back.
    const bare = await signedInPage(noScript, "staff");
    await bare.page.goto(`${baseURL()}/tasks`);
    const otherTask = bare.page.locator(`li#item-${other}`);
    const otherTitle = (await otherTask.locator("h3 a").textContent())?.trim();
    expect(otherTitle).toBe("Send the statements of account");
    await otherTask.getByRole("button", { name: `Done: ${otherTitle}` }).click();
    await bare.page.waitForURL(/\/tasks/);
    await bare.page.goto(`${baseURL()}/tasks`);
    await expect.poll(() => bare.page.locator(`li#item-${other}`).textContent()).toContain("Done");
    bare.assertClean();
    await bare.page.close();

    // With JavaScript, in Chinese: the fetcher updates at once; a reload shows it stuck.
    const { page, assertClean } = await signedInPage(browser, "staff");
    await switchLanguage(page, "zh-CN");
    await page.goto(`${baseURL()}/tasks`);
    await expect.poll(() => page.locator("h1").textContent()).toBe("我的任务");
    await page.locator(`li#item-${linked}`).getByRole("button", { name: /^完成：/ }).click();
    await expect.poll(() => page.locator(`li#item-${linked}`).textContent()).toContain("已完成");
    await page.reload();
    await expect.poll(() => page.locator(`li#item-${linked}`).textContent()).toContain("已完成");
    await expectAccessible(page);
    // Back to English with the same button.
    await page.getByRole("button", { name: /English/ }).click();
    await expect.poll(() => page.locator("h1").textContent()).toBe("My tasks");
    assertClean();
    await page.close();
  });

  it("an import that pays the region's overdue invoices moves the linked KPI; the quarter not begun, it shows no progress yet", async () => {
    const { region, invoices } = overdueRegion(today);
    const title = `Collect the ${region} region's overdue by summer`;
    const { planId } = await demoPlan({
      fiscalYear: 2032,
      quarter: 3,
      items: [{ title, owner: staff, dueDate: "2032-07-21", kpi: { key: "overdue_total", scope: `region:${region}`, target: "0" } }],
    });
    const planUrl = `${baseURL()}/plans/${planId}`;
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(planUrl);
    const row = page.locator("tr").filter({ hasText: title });
    const before = present(await row.locator(".plan-kpi__figures").textContent(), "the linked item's figures");
    // Drafted ahead: the provisional baseline is today's value; progress starts with the quarter.
    await expect.poll(() => page.getByText(/The quarter begins on/).count()).toBe(1);
    expect(before).not.toMatch(/%/);
    expect(await row.getByRole("img", { name: /of the way from baseline to target/ }).count()).toBe(0);
    const lines = ["payment_no,customer_code,date,amount,invoice_no"];
    invoices.forEach((invoice, index) => lines.push(`E2E-PLAN-PAY-${index + 1},${invoice.code},${today},${money(invoice.open_amount)},${invoice.invoice_no}`));
    await page.goto(`${baseURL()}/import`);
    await page.getByLabel("Ledger files (CSV or XLSX)").setInputFiles({ name: "payments.csv", mimeType: "text/csv", buffer: Buffer.from(`${lines.join("\n")}\n`) });
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.waitForURL(/\/import\/runs\/\d+$/);
    await page.getByRole("button", { name: "Start the import" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent(), { timeout: 30_000 }).toContain("Imported.");
    await page.goto(planUrl);
    const after = present(await row.locator(".plan-kpi__figures").textContent(), "the linked item's figures");
    const now = (text: string) => Number(/now [^\d-]*([\d,.]+)/.exec(text)?.[1]?.replace(/,/g, ""));
    expect(now(after)).toBeLessThan(now(before));
    expect(after).not.toMatch(/%/);
    assertClean();
    await page.close();
  });
});

describe("changing the fiscal year's first month keeps every plan's name and dates", () => {
  const today = inject("today");
  const current = quarterOf(today);
  // The demo's plan of this quarter, and one of this test's own drafted well ahead.
  const ahead = { fiscalYear: 2033, quarter: 1 } as const;

  beforeAll(async () => {
    await demoPlan({
      ...ahead,
      items: [
        { title: "Bring the company's overdue down", owner: demoEmail("staff"), dueDate: "2033-02-15", kpi: { key: "overdue_total", scope: "company", target: "0" } },
        { title: "Confirm the large balances", category: "reconciliation", owner: demoEmail("staff"), dueDate: "2033-03-15" },
      ],
    });
  });

  async function setStartMonth(month: "January" | "April") {
    const { page, assertClean } = await signedInPage(browser, "admin");
    await page.goto(`${baseURL()}/admin/settings`);
    await page.getByLabel("First month of the fiscal year").selectOption({ label: month });
    // The page has a form per setting: save the one with the month.
    await page.locator("form", { has: page.getByLabel("First month of the fiscal year") }).getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toContain("Installation settings saved.");
    assertClean();
    await page.close();
  }

  afterAll(async () => {
    // Whatever happened above, the other browser tests expect January.
    await withAppDb((db) => db.updateTable("settings").set({ value: "1" }).where("key", "=", "fiscal_start_month").execute());
  });

  it("shows this quarter's plan and one drafted ahead with the same names, dates and progress after a switch to April and back", async () => {
    const names = [current, ahead].map((quarter) => quarterLabel(quarter.fiscalYear, quarter.quarter, "en", 1));
    const spans = [current, ahead].map((quarter) => {
      const range = fiscalQuarter(quarter.fiscalYear, quarter.quarter, 1);
      return `${formatDate(range.start, "en")} – ${formatDate(range.end, "en")}`;
    });
    const look = async () => {
      const { page, assertClean } = await signedInPage(browser, "head");
      const seen: string[] = [];
      const listed: string[] = [];
      for (const [index, name] of names.entries()) {
        await page.goto(`${baseURL()}/plans`);
        const row = page.locator("tbody tr").filter({ has: page.getByRole("link", { name, exact: true }) });
        await expect.poll(() => row.count()).toBe(1);
        listed.push((await row.textContent()) ?? "");
        await row.getByRole("link", { name, exact: true }).click();
        await expect.poll(() => page.locator("h1").textContent()).toBe(`Plan for ${name}`);
        expect(await page.locator(".plan-head + p").textContent()).toContain(spans[index]);
        seen.push((await page.locator("main").innerText()).replace(/\s+/g, " "));
      }
      await expectAccessible(page);
      assertClean();
      await page.close();
      return { seen, listed };
    };
    const before = await look();
    await setStartMonth("April");
    const during = await look();
    await setStartMonth("January");
    const after = await look();
    // Same boards, word for word: names, dates, baselines, figures and colours.
    expect(during.seen).toEqual(before.seen);
    expect(after.seen).toEqual(before.seen);
    // The list says each plan's dates beside its name.
    for (const look of [before, during, after]) look.listed.forEach((text, index) => expect(text).toContain(spans[index]));
  });
});

describe("the plan forms", () => {
  // A plan of our own, far ahead, so its items are this test's alone.
  const plan = { id: 0, items: [] as number[] };
  let customer = { code: "", name: "" };

  beforeAll(async () => {
    const made = await demoPlan({
      fiscalYear: 2031,
      quarter: 3,
      items: ["E2E bulk: statements", "E2E bulk: visits"].map((title) => ({ title, category: "reconciliation" })),
    });
    plan.id = made.planId;
    plan.items = made.itemIds;
    customer = await withAppDb((db) => db.selectFrom("customers").select(["code", "name"]).where("name", "like", "% %").orderBy("code").executeTakeFirstOrThrow());
  });

  const boardUrl = () => `${baseURL()}/plans/${plan.id}`;

  it("assigns owners and due dates in one save; a row someone saved meanwhile comes back with their values", async () => {
    const mine = await signedInPage(browser, "head");
    await mine.page.goto(boardUrl());
    const theirs = await newPage(browser);
    await theirs.page.goto(boardUrl());

    // Someone else (another tab) gives the first item to Chen Jing.
    await theirs.page.locator(`#owner-${plan.items[0]}`).selectOption({ label: "Chen Jing 陈静" });
    await theirs.page.getByRole("button", { name: "Save owners and due dates" }).click();
    await expect.poll(() => theirs.page.getByRole("status").filter({ hasText: "Saved:" }).count()).toBe(1);
    theirs.assertClean();
    await theirs.page.close();

    // My page still shows the old versions: my change to the first item is refused, nothing saved.
    await mine.page.locator(`#owner-${plan.items[0]}`).selectOption({ label: "Li Wei 李伟" });
    await mine.page.locator(`#due-${plan.items[1]}`).fill("2031-08-20");
    await mine.page.getByRole("button", { name: "Save owners and due dates" }).click();
    await expect.poll(() => mine.page.locator("#assign [role=alert]").first().textContent()).toContain("Someone else saved some of these items");
    const row = mine.page.locator(`#assign-${plan.items[0]}`);
    expect(await row.getAttribute("class")).toContain("row--flagged");
    expect(await row.textContent()).toContain("Saved meanwhile by someone else: owner Chen Jing 陈静");
    // Mine are kept on top of their version; saving again applies them.
    expect(await mine.page.locator(`#owner-${plan.items[0]} option:checked`).textContent()).toBe("Li Wei 李伟");
    expect(await mine.page.locator(`#due-${plan.items[1]}`).inputValue()).toBe("2031-08-20");
    await expectAccessible(mine.page);
    await mine.page.getByRole("button", { name: "Save owners and due dates" }).click();
    await expect.poll(() => mine.page.getByRole("status").filter({ hasText: "Saved:" }).textContent()).toContain("2 items changed");
    const firstRow = mine.page.locator("table.plan-table tr").filter({ hasText: "E2E bulk: statements" });
    expect(await firstRow.textContent()).toContain("Li Wei 李伟");
    mine.assertClean();
    await mine.page.close();
  });

  it("links a KPI to one customer found by name, takes 800万 as the target and says the maximum of a long title", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(`${boardUrl()}/items/new`);
    await page.locator("input[name=title]").fill("x".repeat(201));
    await page.locator("input[name=title]").blur();
    await expect.poll(() => page.locator(".field__error").first().textContent()).toBe("At most 200 characters.");

    await page.locator("input[name=title]").fill("E2E one customer's overdue");
    await page.getByLabel("KPI", { exact: true }).selectOption({ label: "Overdue amount" });
    await page.getByLabel("Measured for").selectOption({ label: "One customer…" });
    const search = page.getByLabel("Customer", { exact: true });
    await search.pressSequentially(present(customer.name.split(" ")[0], "the customer's first word").toLowerCase(), { delay: 30 });
    await expect.poll(() => page.locator(`datalist option[value="${customer.code}"]`).count()).toBe(1);
    expect(await page.locator(`datalist option[value="${customer.code}"]`).textContent()).toBe(customer.name);
    await search.fill(customer.code);
    await page.getByLabel("Target (yuan)").fill("800万");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Add the item" }).click();
    await page.waitForURL((url) => url.pathname === `/plans/${plan.id}`);

    const row = page.locator("table.plan-table tr").filter({ hasText: "E2E one customer's overdue" });
    expect(await row.textContent()).toContain(`customer ${customer.code} ${customer.name}`);
    expect(await row.textContent()).toMatch(/target \S*8,000,000\.00/);
    assertClean();
    await page.close();
  });

  it("empties the comment boxes of the board and the item page once the comment is posted", async () => {
    const { page, assertClean } = await signedInPage(browser, "head");
    await page.goto(boardUrl());
    const board = page.getByLabel("Add a comment");
    await board.fill("E2E: the statements go out on the 5th.");
    await page.getByRole("button", { name: "Post comment" }).click();
    await expect.poll(() => page.locator("#discussion .comment-list").textContent()).toContain("the statements go out on the 5th");
    await expect.poll(() => page.getByLabel("Add a comment").inputValue()).toBe("");

    await page.goto(`${boardUrl()}/items/${plan.items[0]}`);
    const box = page.getByLabel("Comment", { exact: true });
    await box.fill("E2E: Chen Jing helps with the first batch.");
    await page.getByRole("button", { name: "Add comment" }).click();
    await expect.poll(() => page.locator("#comments .comment-list").textContent()).toContain("helps with the first batch");
    await expect.poll(() => page.getByLabel("Comment", { exact: true }).inputValue()).toBe("");
    await expectAccessible(page);
    assertClean();
    await page.close();
  });
});

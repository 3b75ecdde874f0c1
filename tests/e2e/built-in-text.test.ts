import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";

import { readAppDb } from "./support/app-db";
import { baseURL, signedInPage, switchLanguage, useBrowser } from "./support/browser";

/*
 * The demo is written in both languages (the template's items, the head's own items, hold
 * reasons, confirmation notes): a Chinese department head's first look is Chinese, an English
 * one's English. The texts to expect are the demo's own two wordings, read from the database,
 * of the records whose text no test has edited.
 */

const browser = useBrowser();

interface Both {
  en: string;
  zh: string;
}

function demoTexts() {
  return readAppDb((db) => {
    // The demo's plan of today's quarter: other browser tests draft and edit plans of their own.
    const plan = db.prepare("SELECT id FROM plans WHERE start_date <= ? AND end_date >= ?").get(inject("today"), inject("today")) as { id: number };
    const titles = db
      .prepare(
        `SELECT b.en, b.zh FROM plan_items i JOIN built_in_texts b ON b.entity = 'plan_item' AND b.entity_id = i.id AND b.field = 'title'
         WHERE i.plan_id = ? AND i.title IN (b.en, b.zh)`,
      )
      .all(plan.id) as Both[];
    const reasons = db
      .prepare(
        `SELECT b.en, b.zh FROM customer_holds h JOIN built_in_texts b ON b.entity = 'hold' AND b.entity_id = h.id AND b.field = 'reason'
         WHERE h.released_at IS NULL AND h.reason IN (b.en, b.zh)`,
      )
      .all() as Both[];
    const batch = db.prepare("SELECT id FROM confirmation_batches WHERE closed_at IS NOT NULL ORDER BY id LIMIT 1").get() as { id: number };
    const notes = db
      .prepare(
        `SELECT DISTINCT b.en, b.zh FROM balance_confirmations c JOIN built_in_texts b ON b.entity = 'confirmation' AND b.entity_id = c.id AND b.field = 'note'
         WHERE c.batch_id = ? AND c.note IN (b.en, b.zh)`,
      )
      .all(batch.id) as Both[];
    return { planId: plan.id, titles, reasons, batchId: batch.id, notes };
  });
}

async function texts(page: Page, path: string, selector: string): Promise<string[]> {
  await page.goto(`${baseURL()}${path}`);
  return (await page.locator(selector).allTextContents()).map((text) => text.trim());
}

describe("the demo in the reader's language", () => {
  it("the demo head reads plan titles, hold reasons and confirmation notes in Chinese, then in English", async () => {
    const demo = demoTexts();
    expect(demo.titles.length).toBeGreaterThanOrEqual(5);
    expect(demo.reasons.length).toBeGreaterThanOrEqual(1);
    expect(demo.notes.length).toBeGreaterThanOrEqual(2);
    const pages = {
      board: () => texts(page, `/plans/${demo.planId}`, "main table a[href*='/items/']"),
      holds: () => texts(page, "/credit/holds", "table.holds-table td[data-label]:not(.cell--secondary)"),
      notes: () => texts(page, `/credit/confirmations/${demo.batchId}?state=mismatch_resolved&size=200`, "td.confirmation-note"),
    };

    const { page, assertClean } = await signedInPage(browser, "head");
    await switchLanguage(page, "zh-CN");

    const boardZh = await pages.board();
    // The browser tab names the page in the reader's language too.
    expect(await page.title()).toBe("计划 · Quarterdeck");
    for (const title of demo.titles) {
      expect(boardZh).toContain(title.zh);
      expect(boardZh).not.toContain(title.en);
    }
    const holdsZh = (await pages.holds()).join("\n");
    for (const reason of demo.reasons) {
      expect(holdsZh).toContain(reason.zh);
      expect(holdsZh).not.toContain(reason.en);
    }
    const notesZh = (await pages.notes()).join("\n");
    for (const note of demo.notes) {
      expect(notesZh).toContain(note.zh);
      expect(notesZh).not.toContain(note.en);
    }

    await switchLanguage(page, "en");
    const boardEn = await pages.board();
    expect(await page.title()).toBe("Plan · Quarterdeck");
    for (const title of demo.titles) {
      expect(boardEn).toContain(title.en);
      expect(boardEn).not.toContain(title.zh);
    }
    const holdsEn = (await pages.holds()).join("\n");
    for (const reason of demo.reasons) {
      expect(holdsEn).toContain(reason.en);
      expect(holdsEn).not.toContain(reason.zh);
    }
    const notesEn = (await pages.notes()).join("\n");
    for (const note of demo.notes) {
      expect(notesEn).toContain(note.en);
      expect(notesEn).not.toContain(note.zh);
    }
    assertClean();
    await page.close();
  });
});

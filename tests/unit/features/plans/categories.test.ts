import { describe, expect, it } from "vitest";

import {
  CLOSE_OUTCOMES,
  CLOSE_OUTCOME_NAMES,
  ITEM_STATUSES,
  ITEM_STATUS_NAMES,
  PLAN_CATEGORIES,
  PLAN_CATEGORY_NAMES,
  isCloseOutcome,
  isItemStatus,
  isOpenStatus,
  isPlanCategory,
} from "~/features/plans/categories";

describe("plan vocabularies", () => {
  it.each([
    ["categories", PLAN_CATEGORIES, PLAN_CATEGORY_NAMES],
    ["statuses", ITEM_STATUSES, ITEM_STATUS_NAMES],
    ["close outcomes", CLOSE_OUTCOMES, CLOSE_OUTCOME_NAMES],
  ] as const)("every one of the %s has an English and a Chinese name", (_label, keys, names) => {
    expect(Object.keys(names).sort()).toEqual([...keys].sort());
    for (const key of keys) {
      const name = (names as Record<string, { en: string; zh: string }>)[key]!;
      expect(name.en.trim()).not.toBe("");
      expect(name.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it.each([
    [isPlanCategory, "year_end_push", true],
    [isPlanCategory, "marketing", false],
    [isItemStatus, "blocked", true],
    [isItemStatus, "paused", false],
    [isCloseOutcome, "carried_over", true],
    [isCloseOutcome, "cancelled", false],
    [isCloseOutcome, undefined, false],
  ] as const)("%o(%j) -> %s", (guard, value, expected) => {
    expect(guard(value)).toBe(expected);
  });

  it.each([
    ["todo", true],
    ["in_progress", true],
    ["blocked", true],
    ["done", false],
    ["cancelled", false],
  ] as const)("%s is still owed: %s", (status, open) => {
    expect(isOpenStatus(status)).toBe(open);
  });
});

/**
 * Messages of the plan item page, the item form and My tasks (`planItems.*`), both languages
 * with the same keys (the i18n unit test checks).
 */
import type { Widen } from "../widen";

export const planItemsEn = {
  tasksTitle: "My tasks",
} as const;

export const planItemsZhCN: Widen<typeof planItemsEn> = {
  tasksTitle: "我的任务",
};

/**
 * Messages of the plans screens, one tree per language with the same keys (the i18n unit test
 * checks). Kept apart from en.ts / zh-CN.ts so each feature owns its own file.
 */
import type { Widen } from "../widen";

export const plansEn = {
  title: "Plans",
} as const;

export const plansZhCN: Widen<typeof plansEn> = {
  title: "计划",
};

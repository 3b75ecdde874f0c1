/**
 * Messages of the credit screens, one tree per language with the same keys (the i18n unit test
 * checks). Kept apart from en.ts / zh-CN.ts so each feature owns its own file.
 */
import type { Widen } from "../widen";

export const creditEn = {
  title: "Credit management",
} as const;

export const creditZhCN: Widen<typeof creditEn> = {
  title: "信用管理",
};

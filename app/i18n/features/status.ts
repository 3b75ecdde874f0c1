/**
 * Messages of the status screens, one tree per language with the same keys (the i18n unit test
 * checks). Kept apart from en.ts / zh-CN.ts so each feature owns its own file.
 */
import type { Widen } from "../widen";

export const statusEn = {
  title: "Receivables status",
} as const;

export const statusZhCN: Widen<typeof statusEn> = {
  title: "应收账款情况表",
};

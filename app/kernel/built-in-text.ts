/**
 * Text the app writes from its own bilingual wording (the standard plan template, the demo data)
 * keeps both wordings beside the one text the record stores. A page shows the viewer's wording
 * while the stored text is still one of the two; once a person has changed it, what they wrote.
 * So nothing that edits a text needs to know about this: the edit itself ends the translation.
 */
import type { Locale } from "~/i18n";

export interface Wordings {
  en: string;
  zh: string;
}

/** The records and text columns that can hold built-in text. */
export const BUILT_IN_FIELDS = {
  plan: ["review_note"],
  plan_item: ["title", "description", "blocked_reason"],
  plan_comment: ["body"],
  hold: ["reason", "release_reason"],
  confirmation_batch: ["name"],
  confirmation: ["note", "resolution_note"],
  collection_action: ["note"],
  credit_review_item: ["comment", "approval_comment"],
} as const;

export type BuiltInEntity = keyof typeof BUILT_IN_FIELDS;
export type BuiltInField<E extends BuiltInEntity> = (typeof BUILT_IN_FIELDS)[E][number];

/** Whether `stored` is still one of the built-in wordings (no person has changed it). */
export function isBuiltIn(stored: string | null, wordings: Wordings | undefined): wordings is Wordings {
  return stored !== null && wordings !== undefined && (stored === wordings.en || stored === wordings.zh);
}

/** The text to show `locale`: the built-in wording in that language, unless a person has changed it. */
export function shownText(stored: string, wordings: Wordings | undefined, locale: Locale): string;
export function shownText(stored: string | null, wordings: Wordings | undefined, locale: Locale): string | null;
export function shownText(stored: string | null, wordings: Wordings | undefined, locale: Locale): string | null {
  if (!isBuiltIn(stored, wordings)) return stored;
  return locale === "zh-CN" ? wordings.zh : wordings.en;
}

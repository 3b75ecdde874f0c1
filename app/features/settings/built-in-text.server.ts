import type { Db } from "~/server/db.server";
import { type BuiltInEntity, type BuiltInField, type Wordings, shownText } from "~/kernel/built-in-text";
import type { Locale } from "~/i18n";
import { listBuiltInTexts, upsertBuiltInTexts } from "./queries.server";

/**
 * The two wordings of texts written from built-in bilingual text (app/kernel/built-in-text.ts):
 * kept when such a text is written, read beside the records a page shows.
 */

export interface BuiltInTextEntry<E extends BuiltInEntity = BuiltInEntity> {
  entity: E;
  entityId: number;
  field: BuiltInField<E>;
  wordings: Wordings;
}

/** Keeps (or replaces) the wordings of each entry's text. */
export async function rememberWordings(db: Db, entries: readonly BuiltInTextEntry[]): Promise<void> {
  await upsertBuiltInTexts(db, entries);
}

/** Per record id, per text column: the wordings kept for `entity`'s records `ids`. */
export async function wordingsOf<E extends BuiltInEntity>(db: Db, entity: E, ids: readonly number[]): Promise<Map<number, Partial<Record<BuiltInField<E>, Wordings>>>> {
  const byId = new Map<number, Partial<Record<BuiltInField<E>, Wordings>>>();
  const unique = [...new Set(ids)];
  // SQLite allows a few thousand bound parameters: ask in chunks.
  for (let start = 0; start < unique.length; start += 500) {
    const rows = await listBuiltInTexts(db, entity, unique.slice(start, start + 500));
    for (const row of rows) {
      const entry: Partial<Record<BuiltInField<E>, Wordings>> = byId.get(row.entity_id) ?? {};
      // rows are asked for this entity, and only its own fields are stored for it
      entry[row.field as BuiltInField<E>] = { en: row.en, zh: row.zh };
      byId.set(row.entity_id, entry);
    }
  }
  return byId;
}

/**
 * `rows` with the named text fields in the viewer's language (where they are still built-in
 * text). `fields` maps a row's property to the record's column, e.g. `{ blockedReason: "blocked_reason" }`.
 */
export async function inViewerLanguage<E extends BuiltInEntity, T extends object>(
  db: Db,
  entity: E,
  rows: readonly T[],
  idOf: (row: T) => number,
  fields: Partial<Record<keyof T, BuiltInField<E>>>,
  locale: Locale,
): Promise<T[]> {
  if (rows.length === 0) return [];
  const wordings = await wordingsOf(db, entity, rows.map(idOf));
  if (wordings.size === 0) return [...rows];
  return rows.map((row) => {
    const kept = wordings.get(idOf(row));
    if (!kept) return row;
    // a copy of the row with some text properties replaced by text, so it is still a T
    const copy = { ...row } as Record<string, unknown>;
    // Object.entries loses the value type of fields, whose values are this entity's fields
    for (const [property, column] of Object.entries(fields) as [string, BuiltInField<E>][]) {
      const stored = copy[property];
      if (typeof stored === "string") copy[property] = shownText(stored, kept[column], locale);
    }
    // the copy of a T with text properties replaced by text (see above)
    return copy as T;
  });
}

/** Plan items (anything with an id and some of title, description, blockedReason) in the viewer's language. */
export function planItemsIn<T extends { id: number; title?: string; description?: string; blockedReason?: string | null }>(db: Db, items: readonly T[], locale: Locale): Promise<T[]> {
  // the properties T has that hold built-in text, and their columns
  const fields = { title: "title", description: "description", blockedReason: "blocked_reason" } as Partial<Record<keyof T, BuiltInField<"plan_item">>>;
  return inViewerLanguage(db, "plan_item", items, (item) => item.id, fields, locale);
}

/** Plan notes and comments in the viewer's language. */
export function planCommentsIn<T extends { id: number; body: string }>(db: Db, comments: readonly T[], locale: Locale): Promise<T[]> {
  // the property of T that holds built-in text, and its column
  return inViewerLanguage(db, "plan_comment", comments, (comment) => comment.id, { body: "body" } as Partial<Record<keyof T, "body">>, locale);
}

/** One record's text in the viewer's language. */
export async function textIn<E extends BuiltInEntity>(db: Db, entity: E, entityId: number, field: BuiltInField<E>, stored: string | null, locale: Locale): Promise<string | null> {
  if (stored === null) return null;
  const kept = (await wordingsOf(db, entity, [entityId])).get(entityId);
  return shownText(stored, kept?.[field], locale);
}

/** Shipment holds (reason, release reason) in the viewer's language. */
export function holdsIn<T extends { id: number; reason: string; releaseReason?: string | null }>(db: Db, holds: readonly T[], locale: Locale): Promise<T[]> {
  // The field map names only columns the hold type has; TypeScript cannot see that keyof T includes them.
  return inViewerLanguage(db, "hold", holds, (hold) => hold.id, { reason: "reason", releaseReason: "release_reason" } as Partial<Record<keyof T, BuiltInField<"hold">>>, locale);
}

/** Credit review decisions (the head's comment, leadership's answer) in the viewer's language. */
export function reviewCommentsIn<T extends { comment: string; approvalComment: string }>(db: Db, rows: readonly T[], idOf: (row: T) => number, locale: Locale): Promise<T[]> {
  // the properties of T that hold built-in text, and their columns
  return inViewerLanguage(db, "credit_review_item", rows, idOf, { comment: "comment", approvalComment: "approval_comment" } as Partial<Record<keyof T, BuiltInField<"credit_review_item">>>, locale);
}

import type { Db } from "../../app/server/db.server";
import type { BuiltInEntity, BuiltInField, Wordings } from "../../app/kernel/built-in-text";
import { rememberWordings } from "../../app/features/settings/index.server";

/**
 * The demo's texts are written in both languages: the record stores the English wording (the
 * demo head reads English first), and both wordings are kept, so each viewer reads their own
 * language until someone edits the text (app/kernel/built-in-text.ts).
 */
export function both(en: string, zh: string): Wordings {
  return { en, zh };
}

export async function keepBoth<E extends BuiltInEntity>(db: Db, entity: E, entityId: number, field: BuiltInField<E>, wordings: Wordings): Promise<void> {
  await rememberWordings(db, [{ entity, entityId, field, wordings }]);
}

/** Staff scoring's use cases: the head saves the rules; the promises each owner's customers made, for the points. */
import type { Db } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { recordAudit } from "~/features/audit/index.server";
import { storedPromisesDueBetween } from "~/features/credit/collection-actions/index.server";
import { storedStatusAsOf } from "~/features/credit/collection-actions";
import type { Counted } from "~/features/scoreboard/scoring";
import type { ScoreboardPeriod } from "~/features/scoreboard/scoreboard";
import { scoringRulesFormSchema } from "~/features/scoreboard/scoring.schema";
import { getScoringRules, ownersOfCustomersWithPromises, updateScoringRules } from "~/features/scoreboard/queries.server";

export { getScoringRules };
export type { StoredScoringRules } from "~/features/scoreboard/queries.server";

type FieldErrors = Record<string, string[]>;

function fieldErrorsOf(issues: readonly { path: PropertyKey[]; message: string }[]): FieldErrors {
  const fieldErrors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "form";
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return fieldErrors;
}

/**
 * The head saves the rules (`raw`: the nested posted form), validated with the form's schema. A
 * save based on another version is refused (409) with the stored rules; an unchanged save writes
 * nothing. Written and audited (before and after) in one transaction.
 */
export async function saveScoringRulesForm(db: Db, raw: Record<string, unknown>, userId: number, now = new Date()): Promise<{ ok: true; changed: boolean }> {
  const parsed = scoringRulesFormSchema.safeParse(raw);
  if (!parsed.success) throw AppError.invalid(fieldErrorsOf(parsed.error.issues));
  const { basedOn, rules } = parsed.data;
  return db.transaction().execute(async (trx) => {
    const before = await getScoringRules(trx);
    if (JSON.stringify(before.rules) === JSON.stringify(rules)) return { ok: true as const, changed: false };
    if (basedOn !== before.version) throw AppError.conflict("scoreboard.scoring.validation.conflict", before.rules);
    const updated = await updateScoringRules(trx, rules, userId, basedOn, now);
    if (!updated) throw AppError.conflict("scoreboard.scoring.validation.conflict", before.rules);
    await recordAudit(trx, { userId, entity: "scoring_rules", entityId: "rules", action: "update", before: before.rules, after: rules }, now);
    return { ok: true as const, changed: true };
  });
}

/**
 * Per owner (the customers' current owner): promises to pay and agreement instalments due in the
 * period, and how many of those were kept, as of the period's end. Every promise due counts,
 * whether or not anyone opened its customer: the statuses are the stored ones, which the keeper
 * (credit's promise-keeper.server.ts, a background job) evaluates against the ledger, so this read
 * scans no payments. A promise still pending then (not yet judged) counts in neither.
 */
export async function promisesByOwner(db: Db, period: ScoreboardPeriod): Promise<Map<number, Counted>> {
  const [promises, ownerOf] = await Promise.all([storedPromisesDueBetween(db, period.start, period.end), ownersOfCustomersWithPromises(db)]);
  const counts = new Map<number, Counted>();
  for (const promise of promises) {
    const status = storedStatusAsOf(promise, period.end);
    if (status === "pending") continue;
    const ownerId = ownerOf.get(promise.customerId);
    if (ownerId === undefined) continue;
    const entry = counts.get(ownerId) ?? { due: 0, done: 0 };
    entry.due += 1;
    if (status === "kept") entry.done += 1;
    counts.set(ownerId, entry);
  }
  return counts;
}

/**
 * Opening a quarter's credit review as a background job, the way imports run: the head's post
 * queues an opening and is answered at once; the job measures every customer (its progress kept
 * on the opening's row, so every server process can show it), then writes the review and marks the
 * opening done in one transaction. One opening at a time, whoever asks; a failure is recorded on
 * the row with its reason and leaves no review. The job runs in the server process and lets
 * other requests through between slices of customers.
 */
import type { Db } from "~/server/db.server";
import { AppError } from "~/kernel/app-error";
import { type QuarterNumber, fiscalQuarter } from "~/kernel/dates";
import type { IsoDate } from "~/kernel/ledger/types";
import { customersToReview, openCreditReview } from "~/features/credit/review/review.server";
import {
  type ReviewOpening,
  activeOpening,
  findReviewId,
  insertOpening,
  markOpeningDone,
  markOpeningFailed,
  markOpeningRunning,
  recordOpeningProgress,
} from "~/features/credit/review/queries.server";

// globalThis has no declared slot for this map; the property name is ours alone.
const holder = globalThis as unknown as { __quarterdeckReviewOpenings?: Map<number, Promise<void>> };
/** The openings this process runs (a dev server's reload keeps the map). */
const running = (holder.__quarterdeckReviewOpenings ??= new Map());

/**
 * An opening this process does not run whose row has not moved for this long died with the
 * process that ran it (a restart): it is failed so the head can open the review again.
 */
export const STALE_OPENING_MS = 2 * 60_000;

/** Fails openings left queued or running by a process that is gone. */
export async function failStaleOpening(db: Db, now = new Date()): Promise<void> {
  const active = await activeOpening(db);
  if (!active || running.has(active.id)) return;
  if (now.getTime() - Date.parse(active.updatedAt) < STALE_OPENING_MS) return;
  await markOpeningFailed(db, active.id, { key: "creditReview.opening.interrupted", detail: null }, now);
}

/** What a refused second opening shows beside its message. */
export function openingNow(opening: ReviewOpening) {
  return { openingId: opening.id, status: opening.status, progressDone: opening.progressDone, progressTotal: opening.progressTotal };
}

/**
 * Queues the opening of a quarter's review and starts it in the background. Refuses (AppError): a
 * quarter that has not begun (400), a quarter whose review exists (409) and an opening while
 * another is queued or running (409, with that one's progress).
 */
export async function queueReviewOpening(
  db: Db,
  actor: { id: number },
  quarter: { fiscalYear: number; quarter: QuarterNumber; fiscalStartMonth: number },
  today: IsoDate,
  now = new Date(),
): Promise<{ openingId: number }> {
  const range = fiscalQuarter(quarter.fiscalYear, quarter.quarter, quarter.fiscalStartMonth);
  if (range.start > today) throw new AppError("invalid", "creditReview.validation.futureQuarter");
  const existing = await findReviewId(db, quarter.fiscalYear, quarter.quarter);
  if (existing !== null) throw AppError.conflict("creditReview.validation.alreadyOpen", { reviewId: existing });
  await failStaleOpening(db, now);
  const openingId = await insertOpening(db, { fiscalYear: quarter.fiscalYear, quarter: quarter.quarter, userId: actor.id }, now);
  if (openingId === null) {
    const active = await activeOpening(db);
    throw AppError.conflict("creditReview.opening.busy", active ? openingNow(active) : null, active?.id ?? null);
  }
  // After the answer: the post returns while the job waits for its turn.
  const job = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => runReviewOpening(db, openingId, actor, quarter, today))
    .finally(() => running.delete(openingId));
  running.set(openingId, job);
  return { openingId };
}

async function runReviewOpening(
  db: Db,
  openingId: number,
  actor: { id: number },
  quarter: { fiscalYear: number; quarter: QuarterNumber; fiscalStartMonth: number },
  today: IsoDate,
): Promise<void> {
  try {
    await markOpeningRunning(db, openingId, await customersToReview(db), new Date());
    await openCreditReview(db, actor, quarter, today, new Date(), {
      onProgress: (done) => recordOpeningProgress(db, openingId, done, new Date()),
      // the review and the opening's outcome in one transaction: never a review without "done"
      inTransaction: (trx, reviewId) => markOpeningDone(trx, openingId, reviewId, new Date()),
    });
  } catch (error) {
    const refused = error instanceof AppError;
    if (!refused) console.error(`Opening the credit review (opening ${openingId}) failed:`, error);
    const detail = error instanceof Error ? error.message : String(error);
    try {
      await markOpeningFailed(db, openingId, { key: refused ? error.messageKey : "creditReview.opening.failed", detail }, new Date());
    } catch (recording) {
      console.error(`Opening ${openingId}: its failure could not be recorded:`, recording);
    }
  }
}

/** Resolves when every opening this process runs has ended (tests and shutdown wait for them). */
export async function reviewOpeningsSettled(): Promise<void> {
  while (running.size > 0) await Promise.all([...running.values()]);
}

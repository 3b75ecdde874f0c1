/**
 * Login throttling by back-off, never lockout: after a few free failures each further one
 * doubles the wait, capped, so a guesser slows to a crawl and the real user can still get in
 * once the wait has passed. Counts per IP and per account are kept separately by the caller.
 */
export const FREE_FAILURES = 5;
export const MAX_WAIT_SECONDS = 15 * 60;
/** Failures older than this are forgotten. */
export const FORGET_AFTER_SECONDS = 24 * 60 * 60;

export function waitSecondsAfter(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_WAIT_SECONDS, 2 ** (failures - FREE_FAILURES + 1));
}

/** Seconds the next attempt must still wait, given the failures and when the last one was. */
export function secondsUntilAllowed(
  state: { failures: number; lastFailureAt: string } | undefined,
  now: Date,
): number {
  if (!state) return 0;
  const elapsed = (now.getTime() - Date.parse(state.lastFailureAt)) / 1000;
  if (elapsed >= FORGET_AFTER_SECONDS) return 0;
  return Math.max(0, Math.ceil(waitSecondsAfter(state.failures) - elapsed));
}

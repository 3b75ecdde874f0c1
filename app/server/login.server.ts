import { AppError } from "~/kernel/app-error";
import { getPrimaryDb } from "~/server/db.server";
import { clearAccountFailures, releaseIpAttempt, reserveAttempt, throttleKeys } from "~/features/users/index.server";
import { deletePendingSignIn, findPendingSignIn, findUserForLogin, hasTwoFactor, verifySecondFactor } from "~/features/users/index.server";
import { decoyPasswordHash, verifyPassword } from "~/server/password.server";

export interface SignedIn {
  userId: number;
  twoFactor: boolean;
}

/** A wait of this many seconds, as the sign-in form says it and as Retry-After sends it. */
function throttled(seconds: number): AppError {
  return AppError.tooMany("login.throttled", seconds);
}

/** Password checks running at once per account and per IP; more wait their turn as refusals. */
const MAX_CONCURRENT = { account: 2, ip: 8 };
const inFlight = new Map<string, number>();

function enter(keys: string[]): boolean {
  // called with the two keys, IP first (see signIn)
  const [ipKey, accountKey] = keys as [string, string];
  if ((inFlight.get(accountKey) ?? 0) >= MAX_CONCURRENT.account || (inFlight.get(ipKey) ?? 0) >= MAX_CONCURRENT.ip) return false;
  for (const key of keys) inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
  return true;
}

function leave(keys: string[]): void {
  for (const key of keys) {
    const left = (inFlight.get(key) ?? 1) - 1;
    if (left <= 0) inFlight.delete(key);
    else inFlight.set(key, left);
  }
}

/**
 * Checks a sign-in attempt. The attempt is counted as a failure (atomically with the check of the
 * wait) before its password is checked, and taken back if it succeeds: a hundred parallel guesses
 * get as many password checks as the free failures allow, not a hundred. Throttled attempts are
 * refused before any password check; unknown users cost the same hash verification as known
 * ones; only a correct password learns that the account is deactivated. Refusals are thrown as
 * AppError: `invalid` (wrong email or password, one message for both), `forbidden` (deactivated),
 * `too_many` (wait `params.seconds`).
 */
export async function signIn(email: string, password: string, clientIp: string, now = new Date()): Promise<SignedIn> {
  // The sign-in back-off counts attempts as it checks them: read and written on the primary.
  const db = getPrimaryDb();
  const keys = throttleKeys(clientIp, email);
  if (!enter(keys)) throw throttled(1);
  try {
    const { wait } = await reserveAttempt(db, keys, now);
    if (wait > 0) throw throttled(wait);

    const user = await findUserForLogin(db, email);
    const passwordOk = await verifyPassword(user?.password_hash ?? (await decoyPasswordHash()), password);
    if (!user || !user.password_hash || !passwordOk) throw new AppError("invalid", "login.invalid");
    // The right password: the reservation was no failure.
    await clearAccountFailures(db, email);
    await releaseIpAttempt(db, keys[0]);
    if (user.active !== 1) throw AppError.forbidden("login.inactive");
    return { userId: user.id, twoFactor: await hasTwoFactor(db, user.id) };
  } finally {
    leave(keys);
  }
}

/** The refusal of a code step whose pending sign-in is gone: the form goes back to the password. */
export const PENDING_EXPIRED = "twoFactor.expired";

/**
 * The code step after a correct password. It shares the password step's throttle: a wrong code
 * counts as a failed attempt of the account and the IP, so codes cannot be guessed faster than
 * passwords. The pending sign-in ends with the first right code (or recovery code). Refusals are
 * thrown as AppError: `invalid` (a wrong code, or PENDING_EXPIRED), `too_many`.
 */
export async function signInSecondStep(
  pendingToken: string,
  code: string,
  clientIp: string,
  now = new Date(),
): Promise<{ userId: number; redirectTo: string | null }> {
  // The sign-in back-off counts attempts as it checks them: read and written on the primary.
  const db = getPrimaryDb();
  const pending = await findPendingSignIn(db, pendingToken, now);
  if (!pending) throw new AppError("invalid", PENDING_EXPIRED);
  const keys = throttleKeys(clientIp, pending.email);
  if (!enter(keys)) throw throttled(1);
  try {
    const { wait } = await reserveAttempt(db, keys, now);
    if (wait > 0) throw throttled(wait);
    if (!(await verifySecondFactor(db, pending.userId, code, now))) throw new AppError("invalid", "twoFactor.codeInvalid");
    await clearAccountFailures(db, pending.email);
    await releaseIpAttempt(db, keys[0]);
    await deletePendingSignIn(db, pending.id);
    return { userId: pending.userId, redirectTo: pending.redirectTo };
  } finally {
    leave(keys);
  }
}

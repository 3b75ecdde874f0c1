import { getDb } from "~/db.server";
import { clearAccountFailures, recordFailure, secondsToWait, throttleKeys } from "~/models/login-throttle.server";
import { findUserForLogin } from "~/models/user.server";
import { decoyPasswordHash, verifyPassword } from "~/password.server";

export type SignInResult =
  | { ok: true; userId: number }
  | { ok: false; status: 400 | 403 | 429; message: string; seconds?: number };

/**
 * Checks a sign-in attempt. Throttled attempts are refused before any password check; unknown
 * users cost the same hash verification as known ones; only a correct password learns that the
 * account is deactivated.
 */
export async function signIn(email: string, password: string, clientIp: string): Promise<SignInResult> {
  const db = getDb();
  const keys = throttleKeys(clientIp, email);
  const wait = await secondsToWait(db, keys);
  if (wait > 0) return { ok: false, status: 429, message: "login.throttled", seconds: wait };

  const user = await findUserForLogin(db, email);
  const passwordOk = await verifyPassword(user?.password_hash ?? (await decoyPasswordHash()), password);
  if (!user || !user.password_hash || !passwordOk) {
    await recordFailure(db, keys);
    return { ok: false, status: 400, message: "login.invalid" };
  }
  if (user.active !== 1) return { ok: false, status: 403, message: "login.inactive" };
  await clearAccountFailures(db, email);
  return { ok: true, userId: user.id };
}

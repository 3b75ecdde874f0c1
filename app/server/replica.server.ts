import { type Db, getPrimaryDb, getReplicaDb, primaryWalPosition, replayedPast, runWithDb } from "~/server/db.server";

/**
 * Which database serves a request, with a read replica (DATABASE_REPLICA_URL) beside the primary.
 *
 * A view (GET, HEAD) reads from the replica, which may lag the primary by a moment; everything
 * else runs on the primary. A browser that has just written must still see its own write: after
 * each request that may have written, the primary's WAL position is handed to the browser in a
 * cookie, and a view from that browser goes to the primary until the replica has replayed past
 * that position. Other readers are not held up by it.
 *
 * The cookie is not signed: it only says where its own browser's views are read from, and a
 * forged position can do no more than send that browser's views to the primary, as a post does.
 */

const READS = new Set(["GET", "HEAD"]);

/** The cookie carrying the primary's WAL position after this browser's last write. */
export const WRITTEN_COOKIE = "qd_written";

/** A PostgreSQL WAL position as `pg_lsn` prints it: two hexadecimal halves. */
const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i;

/** The WAL position the request's cookie carries, or null (none, or not a position). */
export function writtenPosition(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [name, value] = part.trim().split("=", 2);
    if (name === WRITTEN_COOKIE && value !== undefined && LSN.test(value)) return value;
  }
  return null;
}

/**
 * The database a request is served from: the replica for a view, unless the browser's last write
 * has not reached it yet; the primary for anything else, and always without a replica.
 */
export async function databaseFor(request: Request): Promise<Db> {
  const replica = getReplicaDb();
  if (!replica || !READS.has(request.method.toUpperCase())) return getPrimaryDb();
  const written = writtenPosition(request);
  if (written !== null && !(await replayedPast(replica, written))) return getPrimaryDb();
  return replica;
}

/** The cookie recording where the primary stands now: every commit this request made is behind it. */
export async function writtenCookie(request: Request): Promise<string> {
  const position = await primaryWalPosition();
  const secure = new URL(request.url).protocol === "https:" ? "; Secure" : "";
  return `${WRITTEN_COOKIE}=${position}; Path=/; HttpOnly; SameSite=Lax${secure}`;
}

/**
 * Runs one request's `handle` (its loaders or action) on the database chosen for it: `getDb()`
 * inside answers that database. After a request that is not a view, `written` is the cookie that
 * lets this browser's next views read their own write (null without a replica, or for a view).
 */
export async function withDatabaseFor<T>(request: Request, handle: () => Promise<T>): Promise<{ value: T; written: string | null }> {
  if (!getReplicaDb()) return { value: await handle(), written: null };
  const value = await runWithDb(await databaseFor(request), handle);
  const written = READS.has(request.method.toUpperCase()) ? null : await writtenCookie(request);
  return { value, written };
}

/** `withDatabaseFor` for the HTTP server: the written cookie goes out with the response. */
export async function serveOnDatabase(request: Request, handle: () => Promise<Response>): Promise<Response> {
  const { value: response, written } = await withDatabaseFor(request, handle);
  if (written === null) return response;
  const headers = new Headers(response.headers);
  headers.append("Set-Cookie", written);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

import { type Db, getPrimaryDb, getReplicaDb, primaryWalPosition, replayedPast, replicaLagSeconds, runWithDb } from "~/server/db.server";

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
 *
 * A replica that does not answer, or whose replay is further behind than
 * DATABASE_REPLICA_MAX_LAG_SECONDS (30 by default), is left aside: views read from the primary
 * until it is back. Its state is probed at most every few seconds, not on every view, and a change
 * of state is logged once.
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

// ---------------------------------------------------------------- the replica's health

export type ReplicaState = "ok" | "unreachable" | "lagging";

export interface ReplicaHealth {
  state: ReplicaState;
  /** seconds behind the primary; null when it did not answer or has replayed nothing */
  lagSeconds: number | null;
  maxLagSeconds: number;
  /** why it is left aside, in words; null when ok */
  reason: string | null;
}

/** How long a probe's answer is trusted; views in between use it. */
const PROBE_EVERY_MS = 5_000;
/** A replica that does not answer within this is unreachable (a dropped packet must not hold a view). */
const PROBE_TIMEOUT_MS = 2_000;
const DEFAULT_MAX_LAG_SECONDS = 30;

/** DATABASE_REPLICA_MAX_LAG_SECONDS: a positive number of seconds, else the default. */
export function replicaMaxLagSeconds(): number {
  const text = process.env.DATABASE_REPLICA_MAX_LAG_SECONDS?.trim();
  const value = text ? Number(text) : NaN;
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_MAX_LAG_SECONDS;
}

interface Probed {
  replica: Db;
  health: ReplicaHealth;
  at: number;
}

let probed: Probed | null = null;
let probing: { replica: Db; answer: Promise<ReplicaHealth> } | null = null;
/** The state last logged: the process starts assuming the replica is fine, so only trouble is logged first. */
let logged: ReplicaState = "ok";

function logTransition(health: ReplicaHealth): void {
  if (health.state === logged) return;
  logged = health.state;
  if (health.state === "ok") console.info("Read replica is back: views read from it again.");
  else console.warn(`Read replica ${health.state}: views read from the primary until it is back (${health.reason ?? ""}).`);
}

async function probe(replica: Db): Promise<ReplicaHealth> {
  const maxLagSeconds = replicaMaxLagSeconds();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    const lagSeconds = await Promise.race([replicaLagSeconds(replica), timeout]);
    if (lagSeconds !== null && lagSeconds > maxLagSeconds) {
      return { state: "lagging", lagSeconds, maxLagSeconds, reason: `${Math.round(lagSeconds)} s behind the primary, more than ${maxLagSeconds} s` };
    }
    return { state: "ok", lagSeconds, maxLagSeconds, reason: null };
  } catch (error) {
    return { state: "unreachable", lagSeconds: null, maxLagSeconds, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** The replica's state, probed at most every few seconds; concurrent views share one probe. */
export async function replicaHealth(replica: Db, now = Date.now()): Promise<ReplicaHealth> {
  if (probed && probed.replica === replica && now - probed.at < PROBE_EVERY_MS) return probed.health;
  if (probing && probing.replica === replica) return probing.answer;
  const answer = probe(replica).then((health) => {
    probed = { replica, health, at: Date.now() };
    probing = null;
    logTransition(health);
    return health;
  });
  probing = { replica, answer };
  return answer;
}

/** Forgets the last probe (tests that change the replica's state between checks). */
export function forgetReplicaHealth(): void {
  probed = null;
  probing = null;
  logged = "ok";
}

/**
 * The database a request is served from: the replica for a view, unless the browser's last write
 * has not reached it yet or the replica is unreachable or too far behind; the primary for anything
 * else, and always without a replica.
 */
export async function databaseFor(request: Request): Promise<Db> {
  const replica = getReplicaDb();
  if (!replica || !READS.has(request.method.toUpperCase())) return getPrimaryDb();
  if ((await replicaHealth(replica)).state !== "ok") return getPrimaryDb();
  const written = writtenPosition(request);
  // a replica gone since the last probe cannot say: the primary can
  if (written !== null && !(await replayedPast(replica, written).catch(() => false))) return getPrimaryDb();
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

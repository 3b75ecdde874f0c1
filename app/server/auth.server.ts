import { createCookie, redirect } from "@remix-run/node";

import { getDb, getPrimaryDb, isDatabaseBusy } from "~/server/db.server";
import { type Permission, can } from "~/kernel/permissions";
import { safeRedirectPath } from "~/kernel/redirect-path";
import { sessionSettings } from "~/server/env.server";
import { getSettings } from "~/features/settings/index.server";
import {
  PENDING_SIGN_IN_MINUTES,
  createPendingSignIn,
  createSessionRecord,
  deleteSession,
  findSessionByToken,
  touchSession,
} from "~/features/users/index.server";
import type { PublicUser } from "~/features/users/index.server";

const sessionCookie = createCookie("qd_session", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
});

/** Binds a sign-in waiting for its code to the browser that gave the password. */
const pendingCookie = createCookie("qd_pending", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
});

/** Where a user who must set up two-factor sign-in is sent, and the only page they may use until then. */
export const TWO_FACTOR_ENROLMENT_PATH = "/settings";

export type CurrentUser = Pick<PublicUser, "id" | "email" | "name" | "role" | "locale" | "amount_unit"> & {
  sessionId: string;
  /** signs in with a second factor */
  twoFactor: boolean;
};

function isHttps(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

/** Touch the session at most once a minute: sessions are read on every request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The signed-in user, or null when there is no valid session: no cookie, unknown token,
 * idle or absolute timeout passed, or the user deactivated. Never throws for a bad cookie.
 */
export function getUser(request: Request, now?: Date): Promise<CurrentUser | null> {
  // A page's loaders (root, layout, page) each ask for the user of the one request: a view that
  // only reads looks the session up once. Not for a post, whose action may sign out or rename.
  if (now !== undefined || !READS.has(request.method)) return lookUpUser(request, now ?? new Date());
  let user = usersOfRequests.get(request);
  if (!user) {
    user = lookUpUser(request, new Date());
    usersOfRequests.set(request, user);
  }
  return user;
}

const READS = new Set(["GET", "HEAD"]);
const usersOfRequests = new WeakMap<Request, Promise<CurrentUser | null>>();
const requiredUsersOfRequests = new WeakMap<Request, Promise<CurrentUser>>();

async function lookUpUser(request: Request, now: Date): Promise<CurrentUser | null> {
  const token: unknown = await sessionCookie.parse(request.headers.get("Cookie"));
  if (typeof token !== "string" || token.length < 20 || token.length > 100) return null;
  const db = getDb();
  const row = await findSessionByToken(db, token);
  if (!row) return null;
  const { idleMinutes } = sessionSettings();
  const lastSeen = Date.parse(row.last_seen_at);
  const expired = Date.parse(row.expires_at) <= now.getTime() || lastSeen + idleMinutes * 60_000 <= now.getTime();
  // The session is read where the request reads (a replica for a view); its bookkeeping is a
  // write, and writes go to the primary even while serving a view.
  if (expired || row.active !== 1) {
    await deleteSession(getPrimaryDb(), row.sessionId);
    return null;
  }
  if (now.getTime() - lastSeen > TOUCH_EVERY_MS) {
    try {
      await touchSession(getPrimaryDb(), row.sessionId, now);
    } catch (error) {
      // An import holds the write lock: skip the bookkeeping, a later request touches it.
      if (!isDatabaseBusy(error)) throw error;
    }
  }
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    locale: row.locale,
    amount_unit: row.amount_unit,
    sessionId: row.sessionId,
    twoFactor: row.two_factor_enabled_at !== null,
  };
}

function safeRedirectTo(to: string | null | undefined, fallback = "/"): string {
  return safeRedirectPath(to, fallback);
}

/** Throws a redirect to /login (remembering where the user was going) when nobody is signed in. */
export function requireUser(request: Request): Promise<CurrentUser> {
  if (!READS.has(request.method)) return checkUser(request);
  let user = requiredUsersOfRequests.get(request);
  if (!user) {
    user = checkUser(request);
    requiredUsersOfRequests.set(request, user);
  }
  return user;
}

async function checkUser(request: Request): Promise<CurrentUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = `${url.pathname}${url.search}`;
    const params = back === "/" ? "" : `?${new URLSearchParams({ redirectTo: back })}`;
    throw redirect(`/login${params}`, { headers: await clearedCookieHeaders(request) });
  }
  if (!user.twoFactor && new URL(request.url).pathname !== TWO_FACTOR_ENROLMENT_PATH) {
    // A role the installation requires two-factor sign-in for can do nothing else until it is set up.
    const { twoFactorRoles } = await getSettings(getDb());
    if (twoFactorRoles.includes(user.role)) throw redirect(`${TWO_FACTOR_ENROLMENT_PATH}?twoFactor=required`);
  }
  return user;
}

/** Throws 403 unless the signed-in user holds the permission (for `:own` ones, on the given record). */
export async function requirePermission(
  request: Request,
  permission: Permission,
  record?: { ownerId: number | null },
): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!can(user, permission, record)) {
    throw new Response("You do not have permission to do this.", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

export async function startUserSession(
  request: Request,
  userId: number,
  clientIp: string | null,
  redirectTo: string | null,
): Promise<Response> {
  const { absoluteMinutes } = sessionSettings();
  const token = await createSessionRecord(getPrimaryDb(), {
    userId,
    ip: clientIp,
    userAgent: request.headers.get("User-Agent"),
    absoluteMinutes,
  });
  const headers = new Headers();
  headers.append("Set-Cookie", await sessionCookie.serialize(token, { secure: isHttps(request), maxAge: absoluteMinutes * 60 }));
  if (request.headers.get("Cookie")?.includes("qd_pending=")) {
    headers.append("Set-Cookie", await pendingCookie.serialize("", { secure: isHttps(request), maxAge: 0 }));
  }
  return redirect(safeRedirectTo(redirectTo), { headers });
}

/** The password was right and the user has two-factor sign-in: back to /login for the code. */
export async function startPendingSignIn(request: Request, userId: number, redirectTo: string | null): Promise<Response> {
  const token = await createPendingSignIn(getPrimaryDb(), userId, redirectTo);
  return redirect("/login", {
    headers: { "Set-Cookie": await pendingCookie.serialize(token, { secure: isHttps(request), maxAge: PENDING_SIGN_IN_MINUTES * 60 }) },
  });
}

/** The browser's pending sign-in token, or null. */
export async function pendingSignInToken(request: Request): Promise<string | null> {
  const token: unknown = await pendingCookie.parse(request.headers.get("Cookie"));
  return typeof token === "string" && token.length >= 20 && token.length <= 100 ? token : null;
}

/** Abandons the code step (the user wants to start over): forgets the browser's pending sign-in. */
export async function clearedPendingHeaders(request: Request): Promise<HeadersInit> {
  return { "Set-Cookie": await pendingCookie.serialize("", { secure: isHttps(request), maxAge: 0 }) };
}

async function clearedCookieHeaders(request: Request): Promise<HeadersInit> {
  return { "Set-Cookie": await sessionCookie.serialize("", { secure: isHttps(request), maxAge: 0 }) };
}

export async function signOut(request: Request): Promise<Response> {
  const user = await getUser(request);
  if (user) await deleteSession(getPrimaryDb(), user.sessionId);
  return redirect("/login", { headers: await clearedCookieHeaders(request) });
}

export { safeRedirectTo };

import { getUser } from "~/server/auth.server";
import { getDb } from "~/server/db.server";
import type { Role } from "~/kernel/permissions";
import { API_TOKEN_PATTERN, findApiTokenByValue, touchApiToken } from "~/features/users/index.server";

/**
 * The JSON API's front door: who is asking (a session cookie or `Authorization: Bearer qd_…`)
 * and answers that are always JSON, never a redirect to the sign-in page.
 */

export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405,
    message: string,
  ) {
    super(message);
  }
}

const NO_STORE = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

export function apiJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...NO_STORE, ...headers } });
}

export function apiError(status: number, message: string): Response {
  // RFC 6750: a 401 names the scheme the client should use.
  const headers: Record<string, string> = status === 401 ? { "WWW-Authenticate": 'Bearer realm="quarterdeck"' } : {};
  if (status === 405) headers.Allow = "GET, HEAD";
  return apiJson({ error: message }, status, headers);
}

export interface ApiUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  via: "session" | "token";
}

/** Touch a token's last use at most once a minute: a script may call every second. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The user behind the request. An Authorization header, when present, is the only credential
 * looked at (a bad token is refused even beside a valid cookie); otherwise the session cookie.
 */
export async function requireApiUser(request: Request, now = new Date()): Promise<ApiUser> {
  const authorization = request.headers.get("Authorization");
  if (authorization === null) {
    const user = await getUser(request, now);
    if (!user) throw new ApiError(401, "sign in, or send an API token as Authorization: Bearer <token>");
    return { id: user.id, email: user.email, name: user.name, role: user.role, via: "session" };
  }
  const match = /^Bearer +(\S+)$/i.exec(authorization.trim());
  if (!match) throw new ApiError(401, 'the Authorization header must be "Bearer <token>"');
  const token = match[1] ?? "";
  if (!API_TOKEN_PATTERN.test(token)) throw new ApiError(401, "the API token is not valid");
  const db = getDb();
  const row = await findApiTokenByValue(db, token);
  if (!row) throw new ApiError(401, "the API token is not valid");
  if (row.revoked_at !== null) throw new ApiError(401, "the API token has been revoked");
  if (row.expires_at !== null && Date.parse(row.expires_at) <= now.getTime()) {
    throw new ApiError(401, `the API token expired at ${row.expires_at}`);
  }
  if (row.active !== 1) throw new ApiError(401, "the API token's user has been deactivated");
  if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
    await touchApiToken(db, row.tokenId, now);
  }
  return { id: row.id, email: row.email, name: row.name, role: row.role, via: "token" };
}

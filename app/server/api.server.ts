import { AppError } from "~/kernel/app-error";
import { getUser } from "~/server/auth.server";
import { refusalHeaders } from "~/server/responses.server";
import { getDb, getPrimaryDb } from "~/server/db.server";
import type { Role } from "~/kernel/permissions";
import { API_TOKEN_PATTERN, findApiTokenByValue, touchApiToken } from "~/features/users/index.server";

/**
 * The JSON API's front door: who is asking (a session cookie or `Authorization: Bearer qd_…`)
 * and answers that are always JSON, never a redirect to the sign-in page.
 */

const NO_STORE = { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" };

export function apiJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { ...NO_STORE, ...headers } });
}

/**
 * The JSON API's refusal: an AppError as `{ "error": "…" }` with its status, the wire shape API
 * clients read. The API's AppErrors carry an English sentence as their message (scripts read it,
 * not the i18n catalogue).
 */
export function apiRefusal(error: AppError): Response {
  const headers: Record<string, string> = {};
  // RFC 6750: a 401 names the scheme the client should use.
  if (error.code === "unauthorized") headers["WWW-Authenticate"] = 'Bearer realm="quarterdeck"';
  if (error.code === "method_not_allowed") headers.Allow = "GET, HEAD";
  for (const [name, value] of refusalHeaders(error)) headers[name] = value;
  return apiJson({ error: error.messageKey }, error.status, headers);
}

/**
 * Runs an API handler: its value as JSON, an AppError as the API's refusal, anything else (a
 * defect, not bad input) logged for the operator and still answered in JSON.
 */
export async function apiAnswer(run: () => Promise<unknown>): Promise<Response> {
  try {
    return apiJson(await run());
  } catch (error) {
    if (error instanceof AppError) return apiRefusal(error);
    console.error(error);
    return apiJson({ error: "internal error" }, 500);
  }
}

function unauthorized(message: string): AppError {
  return new AppError("unauthorized", message);
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
    if (!user) throw unauthorized("sign in, or send an API token as Authorization: Bearer <token>");
    return { id: user.id, email: user.email, name: user.name, role: user.role, via: "session" };
  }
  const match = /^Bearer +(\S+)$/i.exec(authorization.trim());
  if (!match) throw unauthorized('the Authorization header must be "Bearer <token>"');
  const token = match[1] ?? "";
  if (!API_TOKEN_PATTERN.test(token)) throw unauthorized("the API token is not valid");
  const db = getDb();
  const row = await findApiTokenByValue(db, token);
  if (!row) throw unauthorized("the API token is not valid");
  if (row.revoked_at !== null) throw unauthorized("the API token has been revoked");
  if (row.expires_at !== null && Date.parse(row.expires_at) <= now.getTime()) {
    throw unauthorized(`the API token expired at ${row.expires_at}`);
  }
  if (row.active !== 1) throw unauthorized("the API token's user has been deactivated");
  if (row.last_used_at === null || now.getTime() - Date.parse(row.last_used_at) > TOUCH_EVERY_MS) {
    // A write while serving what may be a view: on the primary.
    await touchApiToken(getPrimaryDb(), row.tokenId, now);
  }
  return { id: row.id, email: row.email, name: row.name, role: row.role, via: "token" };
}

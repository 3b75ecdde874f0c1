import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import type { Role } from "../../db/schema";
import { getDb } from "~/server/db.server";
import { createUser } from "~/features/users/index.server";
import { hashPassword } from "~/server/password.server";

export const BASE = "http://quarterdeck.test";
export const TEST_PASSWORD = "correct horse battery";

type Handler<A> = (args: A) => unknown;

/** Calls a loader or action the way Remix does, and returns whatever it returned or threw. */
export async function call<A extends LoaderFunctionArgs | ActionFunctionArgs>(
  handler: Handler<A>,
  request: Request,
  params: Record<string, string> = {},
): Promise<unknown> {
  try {
    return await handler({ request, params, context: { clientIp: "203.0.113.7", cspNonce: "" } } as A);
  } catch (thrown) {
    return thrown;
  }
}

export function get(path: string, cookie?: string): Request {
  return new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

export function post(path: string, fields: Record<string, string>, cookie?: string): Request {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
  });
}

/** Status of a returned or thrown Response, or of a single-fetch `data()` result. */
export function statusOf(result: unknown): number {
  if (result instanceof Response) return result.status;
  if (result && typeof result === "object" && "init" in result) {
    const init = (result as { init?: { status?: number } | null }).init;
    return init?.status ?? 200;
  }
  return 200;
}

/** Headers of a returned or thrown Response, or of a single-fetch `data()` result. */
export function headersOf(result: unknown): Headers {
  if (result instanceof Response) return result.headers;
  if (result && typeof result === "object" && "init" in result) {
    const init = (result as { init?: { headers?: HeadersInit } | null }).init;
    return new Headers(init?.headers);
  }
  return new Headers();
}

/** The payload of a `data()` result or a plain object. */
export function payloadOf<T = Record<string, unknown>>(result: unknown): T {
  if (result && typeof result === "object" && "data" in result && "init" in result) {
    return (result as { data: T }).data;
  }
  return result as T;
}

let counter = 0;
export async function makeUser(role: Role, overrides: { email?: string; active?: boolean } = {}) {
  counter += 1;
  return createUser(
    getDb(),
    {
      email: overrides.email ?? `${role}${counter}@example.test`,
      name: `${role} ${counter}`,
      role,
      passwordHash: await hashPassword(TEST_PASSWORD),
      active: overrides.active,
    },
    null,
  );
}

/** Signs in through the real login action and returns the Cookie header to send. */
export async function signIn(email: string, password = TEST_PASSWORD): Promise<string> {
  const { action } = await import("~/routes/login");
  const result = await call(action, post("/login", { email, password }));
  if (!(result instanceof Response) || result.status !== 302) {
    throw new Error(`sign-in failed for ${email}: ${statusOf(result)}`);
  }
  const setCookie = result.headers.get("Set-Cookie") ?? "";
  return setCookie.split(";")[0] ?? "";
}

export async function signedInAs(role: Role) {
  const user = await makeUser(role);
  return { user, cookie: await signIn(user.email) };
}

export { firstOf, nth } from "./rows";

import { beforeEach, describe, expect, it } from "vitest";

import pg from "pg";

import { databaseUrl, getDb, isPostgresUrl, openSqlite } from "~/server/db.server";
import { hashToken } from "~/features/users/index.server";
import { loader as appLoader } from "~/routes/_app";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { getUser } from "~/server/auth.server";
import { signIn as signInAttempt } from "~/server/login.server";
import { AppError } from "~/kernel/app-error";
import type { Refusal } from "~/server/responses.server";
import { TEST_PASSWORD, call, get, headersOf, makeUser, payloadOf, post, signIn, statusOf } from "../../support/app";
import { instantOnBusinessDate } from "../../support/business-date";

/** Another connection takes what a session touch writes; the returned function lets go. */
async function holdSessionsOf(userId: number): Promise<() => Promise<void>> {
  const url = databaseUrl();
  if (!isPostgresUrl(url)) {
    const importer = openSqlite(url);
    importer.exec("BEGIN IMMEDIATE");
    return async () => {
      importer.exec("ROLLBACK");
      importer.close();
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("BEGIN");
  await client.query("SELECT id FROM sessions WHERE user_id = $1 FOR UPDATE", [userId]);
  return async () => {
    await client.query("ROLLBACK");
    await client.end();
  };
}

async function sessionCount() {
  const row = await getDb().selectFrom("sessions").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

// Every call comes from one test IP: start each test with a clean throttle.
beforeEach(async () => {
  await getDb().deleteFrom("login_throttle").execute();
});

describe("sign in", () => {
  it("starts a server-side session with a HttpOnly, SameSite=Lax cookie", async () => {
    const user = await makeUser("head");
    const result = await call(loginAction, post("/login", { email: user.email.toUpperCase(), password: TEST_PASSWORD }));
    expect(result).toBeInstanceOf(Response);
    const response = result as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    const cookie = response.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/^qd_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    // the database keeps only a hash of the token
    const token = decodeURIComponent(cookie.split(";")[0]?.split("=")[1] ?? "");
    const raw = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as string;
    const row = await getDb().selectFrom("sessions").selectAll().where("id", "=", hashToken(raw)).executeTakeFirst();
    expect(row?.user_id).toBe(user.id);
  });

  it("marks the cookie Secure when served over HTTPS", async () => {
    const user = await makeUser("staff");
    const request = new Request("https://quarterdeck.test/login", {
      method: "POST",
      body: new URLSearchParams({ email: user.email, password: TEST_PASSWORD }),
    });
    const response = (await call(loginAction, request)) as Response;
    expect(response.headers.get("Set-Cookie")).toMatch(/Secure/);
  });

  it("goes back to the page the user asked for, but never off-site", async () => {
    const user = await makeUser("staff");
    const local = (await call(
      loginAction,
      post("/login", { email: user.email, password: TEST_PASSWORD, redirectTo: "/settings" }),
    )) as Response;
    expect(local.headers.get("Location")).toBe("/settings");
    for (const redirectTo of ["//evil.example/x", "/\t/evil.example/phish", "/\\evil.example", "/\r\nSet-Cookie: a=b", "https://evil.example/"]) {
      const before = await sessionCount();
      const offSite = await call(loginAction, post("/login", { email: user.email, password: TEST_PASSWORD, redirectTo }));
      // Refused at the field (400), before any password check: no session, no redirect, no 500.
      expect(statusOf(offSite), JSON.stringify(redirectTo)).toBe(400);
      expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(offSite).fieldErrors.redirectTo).toEqual(["validation.redirectTo"]);
      expect(await sessionCount()).toBe(before);
    }
  });

  it("switches the language and goes back only to a page of this site", async () => {
    const { action: setLocale } = await import("~/routes/set-locale");
    const back = (await call(setLocale, post("/set-locale", { locale: "zh-CN", redirectTo: "/plans" }))) as Response;
    expect(back.headers.get("Location")).toBe("/plans");
    for (const redirectTo of ["/\t/evil.example", "/\r\nX: y", "//evil.example"]) {
      expect(statusOf(await call(setLocale, post("/set-locale", { locale: "en", redirectTo })))).toBe(400);
    }
  });

  it.each([
    ["a wrong password", async () => ({ email: (await makeUser("head")).email, password: "not the password!" })],
    ["an unknown user", async () => ({ email: "nobody@example.test", password: TEST_PASSWORD })],
  ])("refuses %s with one message that does not tell which was wrong", async (_, fields) => {
    const before = await sessionCount();
    const result = await call(loginAction, post("/login", await fields()));
    expect(statusOf(result)).toBe(400);
    expect(payloadOf(result)).toMatchObject({ message: "login.invalid" });
    expect(await sessionCount()).toBe(before);
  });

  it("tells a deactivated user so only after the right password, and starts no session", async () => {
    const user = await makeUser("staff", { active: false });
    const before = await sessionCount();
    const wrong = await call(loginAction, post("/login", { email: user.email, password: "wrong password!!" }));
    expect(payloadOf(wrong)).toMatchObject({ message: "login.invalid" });
    const right = await call(loginAction, post("/login", { email: user.email, password: TEST_PASSWORD }));
    expect(statusOf(right)).toBe(403);
    expect(payloadOf(right)).toMatchObject({ message: "login.inactive" });
    expect(await sessionCount()).toBe(before);
  });

  it("rejects an over-long password as a field error without checking it", async () => {
    const user = await makeUser("head");
    const result = await call(loginAction, post("/login", { email: user.email, password: "x".repeat(129) }));
    expect(statusOf(result)).toBe(400);
    expect(payloadOf(result)).toMatchObject({ fieldErrors: { password: ["validation.passwordTooLong"] } });
  });

  it("rejects a malformed email as a field error", async () => {
    const result = await call(loginAction, post("/login", { email: "not-an-email", password: "whatever" }));
    expect(statusOf(result)).toBe(400);
    expect(payloadOf(result)).toMatchObject({ fieldErrors: { email: ["validation.email"] } });
  });

  it("backs off after repeated failures on an account, even for the right password, then lets it in", async () => {
    const user = await makeUser("head");
    // The attempts happen at a fixed instant of the business date, the last one an hour later.
    const at = instantOnBusinessDate("09:00:00");
    const ip = "198.51.100.20";
    for (let i = 0; i < 5; i++) {
      await expect(signInAttempt(user.email, `wrong password ${i}`, ip, at)).rejects.toMatchObject({ code: "invalid", status: 400, messageKey: "login.invalid" });
    }
    const throttled: unknown = await signInAttempt(user.email, TEST_PASSWORD, ip, at).catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(AppError);
    expect(throttled).toMatchObject({ code: "too_many", status: 429, messageKey: "login.throttled" });
    expect((throttled as AppError).detail.params?.seconds).toBeGreaterThan(0);

    // once the back-off has passed, the real password works again (no lockout)
    const later = new Date(at.getTime() + 60 * 60 * 1000);
    expect(await signInAttempt(user.email, TEST_PASSWORD, ip, later)).toEqual({ userId: user.id, twoFactor: false });
  });

  it("counts parallel guesses before checking them: 100 at once get at most the free failures' password checks", async () => {
    const user = await makeUser("head");
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => call(loginAction, post("/login", { email: user.email, password: `parallel guess ${i}` }))),
    );
    const statuses = results.map(statusOf);
    const checked = statuses.filter((status) => status === 400).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(100 - checked);
    const account = await getDb().selectFrom("login_throttle").select("failures").where("key", "=", `account:${user.email}`).executeTakeFirstOrThrow();
    expect(account.failures).toBe(checked);
  });

  it("takes back the attempt a successful sign-in counted, so an IP's signed-in users do not throttle it", async () => {
    for (let i = 0; i < 8; i++) {
      const user = await makeUser("staff");
      expect(statusOf(await call(loginAction, post("/login", { email: user.email, password: TEST_PASSWORD })))).toBe(302);
    }
    const rows = await getDb().selectFrom("login_throttle").selectAll().execute();
    expect(rows.every((row) => row.failures === 0)).toBe(true);
  });

  it("backs off an IP that guesses across many accounts", async () => {
    for (let i = 0; i < 5; i++) {
      await call(loginAction, post("/login", { email: `guess${i}@example.test`, password: "wrong password!!" }));
    }
    const user = await makeUser("staff");
    const throttled = await call(loginAction, post("/login", { email: user.email, password: TEST_PASSWORD }));
    expect(statusOf(throttled)).toBe(429);
  });
});

/** What a refused sign-in may leave behind: no session, no pending second step, no changed user. */
async function signInState() {
  const db = getDb();
  return {
    sessions: await sessionCount(),
    pending: await db.selectFrom("pending_sign_ins").selectAll().execute(),
    users: await db.selectFrom("users").selectAll().orderBy("id").execute(),
  };
}

describe("sign-in refusals in the one refusal shape", () => {
  const refusalKeys = ["code", "current", "fieldErrors", "intent", "message", "ok", "params", "subjectId", "submitted"];

  it("answers a wrong password with 400 invalid, keeping the email and never the password", async () => {
    const user = await makeUser("staff");
    const before = await signInState();
    const result = await call(loginAction, post("/login", { email: user.email, password: "not the password!", redirectTo: "/plans" }));
    expect(statusOf(result)).toBe(400);
    const body = payloadOf<Refusal>(result);
    expect(Object.keys(body).sort()).toEqual(refusalKeys);
    expect(body).toEqual({
      ok: false,
      code: "invalid",
      intent: null,
      message: "login.invalid",
      params: {},
      fieldErrors: {},
      submitted: { email: user.email, redirectTo: "/plans" },
      current: null,
      subjectId: null,
    });
    expect(headersOf(result).get("Retry-After")).toBeNull();
    expect(headersOf(result).get("Set-Cookie")).toBeNull();
    expect(await signInState()).toEqual(before);
  });

  it("answers a deactivated account's right password with 403 forbidden to the form, not an error page", async () => {
    const user = await makeUser("staff", { active: false });
    const before = await signInState();
    const result = await call(loginAction, post("/login", { email: user.email, password: TEST_PASSWORD }));
    expect(result).not.toBeInstanceOf(Response);
    expect(statusOf(result)).toBe(403);
    expect(payloadOf<Refusal>(result)).toMatchObject({ ok: false, code: "forbidden", message: "login.inactive", submitted: { email: user.email } });
    expect(await signInState()).toEqual(before);
  });

  it("answers a throttled sign-in with 429 too_many, the wait in params and in Retry-After, and changes nothing", async () => {
    const user = await makeUser("head");
    for (let i = 0; i < 5; i++) {
      expect(statusOf(await call(loginAction, post("/login", { email: user.email, password: `wrong password ${i}` })))).toBe(400);
    }
    const throttleBefore = await getDb().selectFrom("login_throttle").selectAll().orderBy("key").execute();
    const before = await signInState();
    const result = await call(loginAction, post("/login", { email: user.email, password: TEST_PASSWORD }));
    expect(statusOf(result)).toBe(429);
    const body = payloadOf<Refusal>(result);
    expect(Object.keys(body).sort()).toEqual(refusalKeys);
    expect(body).toMatchObject({ ok: false, code: "too_many", message: "login.throttled", fieldErrors: {}, submitted: { email: user.email } });
    expect(body.submitted).not.toHaveProperty("password");
    const seconds = body.params.seconds;
    expect(typeof seconds).toBe("number");
    expect(seconds).toBeGreaterThan(0);
    expect(headersOf(result).get("Retry-After")).toBe(String(seconds));
    expect(await signInState()).toEqual(before);
    expect(await getDb().selectFrom("login_throttle").selectAll().orderBy("key").execute()).toEqual(throttleBefore);
  });
});

describe("sessions", () => {
  it("lets a signed-in user in and sends anyone else to sign in", async () => {
    const user = await makeUser("leader");
    const cookie = await signIn(user.email);
    const ok = await call(appLoader, get("/settings", cookie));
    expect(payloadOf(ok)).toMatchObject({ user: { id: user.id, role: "leader" } });

    const anonymous = (await call(appLoader, get("/settings"))) as Response;
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fsettings");
  });

  it.each([
    ["a forged token", "qd_session=" + encodeURIComponent(Buffer.from(JSON.stringify("forged-token-value-1234567890")).toString("base64"))],
    ["garbage", "qd_session=%%%not-base64"],
    ["a non-string value", "qd_session=" + Buffer.from("{\"a\":1}").toString("base64")],
  ])("treats %s as signed out, never as an error", async (_, cookie) => {
    const result = (await call(appLoader, get("/", cookie))) as Response;
    expect(result.status).toBe(302);
    expect(result.headers.get("Location")).toMatch(/^\/login/);
  });

  it("ends a session after its absolute lifetime and after idling", async () => {
    const user = await makeUser("staff");
    // Every time is relative to one fixed instant of the business date, which getUser is given.
    const now = instantOnBusinessDate();
    const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
    const fresh = { last_seen_at: ago(60_000), expires_at: ago(-24 * 3600 * 1000) };
    for (const change of [
      { ...fresh, expires_at: ago(1000) },
      { ...fresh, last_seen_at: ago(24 * 3600 * 1000) },
    ]) {
      const cookie = await signIn(user.email);
      await getDb().updateTable("sessions").set(fresh).where("user_id", "=", user.id).execute();
      expect(await getUser(get("/", cookie), now)).toMatchObject({ id: user.id });
      await getDb().updateTable("sessions").set(change).where("user_id", "=", user.id).execute();
      expect(await getUser(get("/", cookie), now)).toBeNull();
      const left = await getDb().selectFrom("sessions").select("id").where("user_id", "=", user.id).execute();
      expect(left).toHaveLength(0);
    }
  });

  it("keeps serving a signed-in user while another writer holds the session (the touch is skipped)", async () => {
    const user = await makeUser("staff");
    const cookie = await signIn(user.email);
    const now = instantOnBusinessDate();
    const old = new Date(now.getTime() - 5 * 60 * 1000).toISOString();
    // the session's times relative to `now`, not to the wall clock the sign-in used: the business
    // date (Shanghai's) is a day ahead of UTC from 16:00 UTC on, and a session signed in then had
    // already expired at noon of it
    const expires = new Date(now.getTime() + 60 * 60 * 1000).toISOString();
    await getDb().updateTable("sessions").set({ last_seen_at: old, expires_at: expires }).where("user_id", "=", user.id).execute();
    // Another connection holds what the touch would write: on SQLite an import's write lock, on
    // PostgreSQL a transaction holding the session row. Waiting for it would hang the request
    // (and this test); a touch that failed on it would answer an error.
    const release = await holdSessionsOf(user.id);
    try {
      expect(await getUser(get("/", cookie), now)).toMatchObject({ id: user.id });
    } finally {
      await release();
    }
    const session = await getDb().selectFrom("sessions").select("last_seen_at").where("user_id", "=", user.id).executeTakeFirstOrThrow();
    expect(session.last_seen_at).toBe(old);
    // once the other writer is done, the next request notes the use
    expect(await getUser(get("/", cookie), now)).toMatchObject({ id: user.id });
    const touched = await getDb().selectFrom("sessions").select("last_seen_at").where("user_id", "=", user.id).executeTakeFirstOrThrow();
    expect(touched.last_seen_at).toBe(now.toISOString());
  });

  it("signs out by deleting the session on the server", async () => {
    const user = await makeUser("head");
    const cookie = await signIn(user.email);
    const result = (await call(logoutAction, post("/logout", {}, cookie))) as Response;
    expect(result.status).toBe(302);
    expect(result.headers.get("Set-Cookie")).toMatch(/Max-Age=0/);
    const reuse = (await call(appLoader, get("/", cookie))) as Response;
    expect(reuse.status).toBe(302);
  });
});

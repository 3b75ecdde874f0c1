import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { getDb } from "~/server/db.server";
import { listAuditFor } from "~/features/audit/index.server";
import { getSettings, setSetting } from "~/features/settings/index.server";
import { action as installationAction, loader as installationLoader } from "~/routes/_app.admin.settings";
import { totpCodeAt, totpStepAt } from "~/features/users/two-factor";
import { loader as appLoader } from "~/routes/_app";
import { action as editAction, loader as editLoader } from "~/routes/_app.admin.users.$userId";
import { action as settingsAction, loader as settingsLoader } from "~/routes/_app.settings";
import { action as loginAction, loader as loginLoader } from "~/routes/login";
import { signInSecondStep } from "~/server/login.server";
import type { Refusal } from "~/server/responses.server";
import { instantOnBusinessDate } from "../../../support/business-date";
import { TEST_PASSWORD, call, get, headersOf, makeUser, payloadOf, post, signIn, signedInAs, statusOf } from "../../../support/app";

// TOTP codes depend on the instant. The tests set that instant (only Date is faked; timers and
// the database stay real), so a code computed here is for the step the server checks, and moving
// to the next 30-second step is a clock change, not a wait.
const clock = {
  now: instantOnBusinessDate("03:00:05"),
  set(instant: Date) {
    clock.now = instant;
    vi.setSystemTime(instant);
  },
  start: () => clock.set(instantOnBusinessDate("03:00:05")),
  nextStep: () => clock.set(new Date((Math.floor(clock.now.getTime() / 30_000) + 1) * 30_000 + 1_000)),
};
const codeNow = (secret: string, offset = 0) => totpCodeAt(secret, totpStepAt(clock.now) + offset);

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  clock.start();
  await getDb().deleteFrom("login_throttle").execute();
});
afterEach(async () => {
  vi.useRealTimers();
  await setSetting(getDb(), "two_factor_roles", "");
  vi.unstubAllEnvs();
});

type SettingsData = Awaited<ReturnType<typeof settingsLoader>>;
const settingsOf = async (cookie: string) => payloadOf<SettingsData>(await call(settingsLoader, get("/settings", cookie))).twoFactor;

/** Starts and confirms the setup through the settings page; returns the secret and the recovery codes. */
async function enrol(cookie: string) {
  expect(statusOf(await call(settingsAction, post("/settings", { intent: "two-factor-start" }, cookie)))).toBe(200);
  const secret = (await settingsOf(cookie)).setup?.secret ?? "";
  const confirmed = await call(settingsAction, post("/settings", { intent: "two-factor-confirm", code: codeNow(secret) }, cookie));
  expect(statusOf(confirmed)).toBe(200);
  return { secret, recoveryCodes: payloadOf<{ recoveryCodes: string[] }>(confirmed).recoveryCodes };
}

function cookieNamed(response: Response, name: string): string {
  const header = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? "";
  return header.split(";")[0] ?? "";
}

/** The password step of a user with two-factor sign-in: a pending sign-in cookie, no session. */
async function passwordStep(email: string): Promise<string> {
  const result = (await call(loginAction, post("/login", { email, password: TEST_PASSWORD, redirectTo: "/plans" }))) as Response;
  expect(result.status).toBe(302);
  expect(result.headers.get("Location")).toBe("/login");
  expect(cookieNamed(result, "qd_session")).toBe("");
  const pending = cookieNamed(result, "qd_pending");
  expect(pending).toMatch(/^qd_pending=./);
  return pending;
}

const codeStep = (code: string, pending: string) => call(loginAction, post("/login", { intent: "code", code }, pending));

async function sessionCount(userId: number) {
  const row = await getDb().selectFrom("sessions").select((eb) => eb.fn.countAll().as("n")).where("user_id", "=", userId).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("two-factor enrolment on the settings page", () => {
  it("shows a QR code and the key, switches on only with a current code, and shows ten recovery codes once, stored as argon2id hashes", async () => {
    const { user, cookie } = await signedInAs("staff");
    expect(await settingsOf(cookie)).toMatchObject({ enabled: false, setup: null });
    await call(settingsAction, post("/settings", { intent: "two-factor-start" }, cookie));
    const { setup } = await settingsOf(cookie);
    expect(setup?.qrSvg).toMatch(/^<svg[^>]*>/);
    expect(setup?.qrSvg).not.toMatch(/<script/i);
    expect(setup?.secret).toMatch(/^[A-Z2-7]{32}$/);
    const secret = setup?.secret ?? "";

    const wrong = await call(settingsAction, post("/settings", { intent: "two-factor-confirm", code: String((Number(codeNow(secret)) + 1) % 1_000_000).padStart(6, "0") }, cookie));
    expect(statusOf(wrong)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(wrong).fieldErrors.code).toEqual(["twoFactor.codeInvalid"]);
    expect((await settingsOf(cookie)).enabled).toBe(false);

    const confirmed = await call(settingsAction, post("/settings", { intent: "two-factor-confirm", code: codeNow(secret) }, cookie));
    expect(statusOf(confirmed)).toBe(200);
    const codes = payloadOf<{ recoveryCodes: string[] }>(confirmed).recoveryCodes;
    expect(codes).toHaveLength(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(new Set(codes).size).toBe(10);
    expect(await settingsOf(cookie)).toMatchObject({ enabled: true, recoveryCodesLeft: 10, setup: null });
    const stored = await getDb().selectFrom("recovery_codes").select("code_hash").where("user_id", "=", user.id).execute();
    expect(stored).toHaveLength(10);
    for (const row of stored) expect(row.code_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(stored)).not.toContain(codes[0]?.replace("-", "") ?? "?");
    // the loader never shows them again
    expect(JSON.stringify(await settingsOf(cookie))).not.toContain(codes[0] ?? "?");
  });

  it("stores the secret encrypted when the installation has a key", async () => {
    vi.stubEnv("QUARTERDECK_SECRET_KEY", "11".repeat(32));
    const { user, cookie } = await signedInAs("staff");
    const { secret } = await enrol(cookie);
    const row = await getDb().selectFrom("users").select("two_factor_secret").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.two_factor_secret).toMatch(/^v1:/);
    expect(row.two_factor_secret).not.toContain(secret);
    // and sign-in still reads it
    const pending = await passwordStep(user.email);
    expect(statusOf(await codeStep(codeNow(secret, 1), pending))).toBe(302);
  });

  it("turns off or makes new recovery codes only with the password and a current code", async () => {
    const { user, cookie } = await signedInAs("head");
    const { secret, recoveryCodes } = await enrol(cookie);
    const before = await getDb().selectFrom("recovery_codes").select("code_hash").where("user_id", "=", user.id).execute();

    const wrongPassword = await call(settingsAction, post("/settings", { intent: "two-factor-disable", password: "not my password", code: codeNow(secret, 1) }, cookie));
    expect(statusOf(wrongPassword)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(wrongPassword).fieldErrors.password).toEqual(["twoFactor.passwordInvalid"]);
    expect(JSON.stringify(payloadOf(wrongPassword))).not.toContain("not my password");
    // the confirming code was used: it does not turn it off (replay)
    const replayed = await call(settingsAction, post("/settings", { intent: "two-factor-recovery", password: TEST_PASSWORD, code: codeNow(secret) }, cookie));
    expect(statusOf(replayed)).toBe(400);
    const recoveryAsCode = await call(settingsAction, post("/settings", { intent: "two-factor-disable", password: TEST_PASSWORD, code: recoveryCodes[0] ?? "" }, cookie));
    expect(statusOf(recoveryAsCode)).toBe(400);
    expect(await getDb().selectFrom("recovery_codes").select("code_hash").where("user_id", "=", user.id).execute()).toEqual(before);
    expect((await settingsOf(cookie)).enabled).toBe(true);

    const regenerated = await call(settingsAction, post("/settings", { intent: "two-factor-recovery", password: TEST_PASSWORD, code: codeNow(secret, 1) }, cookie));
    expect(statusOf(regenerated)).toBe(200);
    const fresh = payloadOf<{ recoveryCodes: string[] }>(regenerated).recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(recoveryCodes[0]);

    // an old recovery code no longer signs in
    const pending = await passwordStep(user.email);
    expect(statusOf(await codeStep(recoveryCodes[1] ?? "", pending))).toBe(400);
    await getDb().deleteFrom("login_throttle").execute();
    // off needs a newer code still: the next step
    clock.nextStep();
    const off = await call(settingsAction, post("/settings", { intent: "two-factor-disable", password: TEST_PASSWORD, code: codeNow(secret, 1) }, cookie));
    expect(statusOf(off)).toBe(200);
    expect((await settingsOf(cookie)).enabled).toBe(false);
    expect(await getDb().selectFrom("recovery_codes").select("id").where("user_id", "=", user.id).execute()).toEqual([]);
    expect((await listAuditFor(getDb(), "user", user.id)).map((entry) => entry.action)).toEqual(
      expect.arrayContaining(["two_factor_enabled", "two_factor_recovery_codes", "two_factor_disabled"]),
    );
  });

  it("refuses forged posts and changes nothing", async () => {
    const { user, cookie } = await signedInAs("staff");
    // confirming with no setup started
    const noSetup = await call(settingsAction, post("/settings", { intent: "two-factor-confirm", code: "123456" }, cookie));
    expect(statusOf(noSetup)).toBe(400);
    // turning off what is not on
    expect(statusOf(await call(settingsAction, post("/settings", { intent: "two-factor-disable", password: TEST_PASSWORD, code: "123456" }, cookie)))).toBe(400);
    // missing and oversized fields
    expect(statusOf(await call(settingsAction, post("/settings", { intent: "two-factor-confirm" }, cookie)))).toBe(400);
    expect(statusOf(await call(settingsAction, post("/settings", { intent: "two-factor-confirm", code: "1".repeat(500) }, cookie)))).toBe(400);
    const row = await getDb().selectFrom("users").select(["two_factor_secret", "two_factor_pending_secret"]).where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ two_factor_secret: null, two_factor_pending_secret: null });
    // a code step without a pending sign-in signs nobody in
    const noPending = (await call(loginAction, post("/login", { intent: "code", code: "123456" }))) as unknown;
    expect(statusOf(noPending)).toBe(400);
    expect(payloadOf<Refusal>(noPending)).toEqual({
      ok: false,
      code: "invalid",
      intent: "code",
      message: "twoFactor.expired",
      params: {},
      fieldErrors: {},
      // the code is a secret: never sent back into the page
      submitted: { intent: "code" },
      current: null,
      subjectId: null,
    });
    // the stale pending cookie is cleared with the refusal: the page goes back to the password step
    expect(headersOf(noPending).get("Set-Cookie")).toMatch(/^qd_pending=;.*Max-Age=0/);
    expect(await sessionCount(user.id)).toBe(1);
  });
});

describe("sign-in with two factors", () => {
  it("asks for the code after the password, and only then starts the session", async () => {
    const { user, cookie } = await signedInAs("staff");
    const { secret } = await enrol(cookie);
    const sessionsBefore = await sessionCount(user.id);
    const pending = await passwordStep(user.email);
    expect(payloadOf<{ step: string }>(await call(loginLoader, get("/login", pending))).step).toBe("code");
    expect(payloadOf<{ step: string }>(await call(loginLoader, get("/login"))).step).toBe("password");
    expect(await sessionCount(user.id)).toBe(sessionsBefore);

    const signedIn = (await codeStep(codeNow(secret, 1), pending)) as Response;
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("Location")).toBe("/plans");
    expect(cookieNamed(signedIn, "qd_session")).toMatch(/^qd_session=./);
    expect(cookieNamed(signedIn, "qd_pending")).toBe("qd_pending=");
    expect(await sessionCount(user.id)).toBe(sessionsBefore + 1);
    // the pending sign-in is used up
    expect(statusOf(await codeStep(codeNow(secret, 1), pending))).toBe(400);
  });

  it("forgets a pending sign-in after five minutes: the password is asked again", async () => {
    const { user, cookie } = await signedInAs("staff");
    const { secret } = await enrol(cookie);
    const pending = await passwordStep(user.email);
    const token = JSON.parse(Buffer.from(decodeURIComponent(pending.split("=")[1] ?? ""), "base64").toString("utf8")) as string;
    const later = new Date(clock.now.getTime() + 6 * 60_000);
    await expect(signInSecondStep(token, codeNow(secret, 1), "203.0.113.7", later)).rejects.toMatchObject({ code: "invalid", messageKey: "twoFactor.expired" });
    // within the five minutes the same code works
    expect(await signInSecondStep(token, codeNow(secret, 1), "203.0.113.7")).toEqual({ userId: user.id, redirectTo: "/plans" });
  });

  it("refuses a code that was already accepted (replay within its window)", async () => {
    const { user, cookie } = await signedInAs("staff");
    const { secret } = await enrol(cookie);
    const code = codeNow(secret, 1);
    expect(statusOf(await codeStep(code, await passwordStep(user.email)))).toBe(302);
    const again = await codeStep(code, await passwordStep(user.email));
    expect(statusOf(again)).toBe(400);
    expect(payloadOf<{ message: string }>(again).message).toBe("twoFactor.codeInvalid");
    // nor the enrolment's code, older than the last accepted one
    expect(statusOf(await codeStep(codeNow(secret), await passwordStep(user.email)))).toBe(400);
  });

  it("counts wrong codes as failed sign-in attempts: the back-off then refuses even the right code", async () => {
    const { user, cookie } = await signedInAs("staff");
    const { secret } = await enrol(cookie);
    const pending = await passwordStep(user.email);
    const wrong = String((Number(codeNow(secret, 1)) + 500_000) % 1_000_000).padStart(6, "0");
    for (let attempt = 0; attempt < 5; attempt += 1) expect(statusOf(await codeStep(wrong, pending))).toBe(400);
    const account = await getDb().selectFrom("login_throttle").select("failures").where("key", "=", `account:${user.email}`).executeTakeFirst();
    expect(account?.failures).toBe(5);
    const pendingBefore = await getDb().selectFrom("pending_sign_ins").selectAll().where("user_id", "=", user.id).execute();
    const throttled = await codeStep(codeNow(secret, 1), pending);
    expect(statusOf(throttled)).toBe(429);
    const body = payloadOf<Refusal>(throttled);
    expect(body).toMatchObject({ ok: false, code: "too_many", intent: "code", message: "login.throttled", fieldErrors: {}, submitted: { intent: "code" } });
    expect(body.params.seconds).toBeGreaterThan(0);
    expect(headersOf(throttled).get("Retry-After")).toBe(String(body.params.seconds));
    // the refusal keeps the pending sign-in (and its cookie) and starts no session
    expect(headersOf(throttled).get("Set-Cookie")).toBeNull();
    expect(await getDb().selectFrom("pending_sign_ins").selectAll().where("user_id", "=", user.id).execute()).toEqual(pendingBefore);
    expect(await sessionCount(user.id)).toBe(1);
    // and the password step of the same account waits too
    expect(statusOf(await call(loginAction, post("/login", { email: user.email, password: TEST_PASSWORD })))).toBe(429);
  });

  it("accepts a recovery code once, in any case and with spaces", async () => {
    const { user, cookie } = await signedInAs("staff");
    const { recoveryCodes } = await enrol(cookie);
    const code = recoveryCodes[3] ?? "";
    expect(statusOf(await codeStep(` ${code.toUpperCase().replace("-", " ")} `, await passwordStep(user.email)))).toBe(302);
    expect(statusOf(await codeStep(code, await passwordStep(user.email)))).toBe(400);
    expect((await settingsOf(cookie)).recoveryCodesLeft).toBe(9);
  });

  it("leaves API tokens and users without two-factor sign-in as they were: one step", async () => {
    const user = await makeUser("staff");
    expect(await signIn(user.email)).toMatch(/^qd_session=./);
  });
});

describe("two-factor requirement by role", () => {
  it("sends a user of a required role to enrolment after signing in, and lets them do nothing else until enrolled", async () => {
    await setSetting(getDb(), "two_factor_roles", "admin,leader");
    const leader = await makeUser("leader");
    const cookie = await signIn(leader.email);
    for (const path of ["/", "/plans", "/admin/users"]) {
      const result = await call(appLoader, get(path, cookie));
      expect(statusOf(result), path).toBe(302);
      expect((result as Response).headers.get("Location")).toBe("/settings?twoFactor=required");
    }
    expect(payloadOf<SettingsData>(await call(settingsLoader, get("/settings?twoFactor=required", cookie))).twoFactorRequired).toBe(true);
    // a staff user is not concerned
    const staff = await signedInAs("staff");
    expect(statusOf(await call(appLoader, get("/plans", staff.cookie)))).toBe(200);

    expect(payloadOf<SettingsData>(await call(settingsLoader, get("/settings", staff.cookie))).twoFactorRequired).toBe(false);

    await enrol(cookie);
    expect(statusOf(await call(appLoader, get("/plans", cookie)))).toBe(200);
    expect(payloadOf<SettingsData>(await call(settingsLoader, get("/settings", cookie))).twoFactorRequired).toBe(false);
  });
});

describe("the installation's required roles", () => {
  it("are administrators and leadership on a fresh installation; the administrator changes them, audited; forged roles change nothing", async () => {
    await getDb().deleteFrom("settings").where("key", "=", "two_factor_roles").execute();
    expect((await getSettings(getDb())).twoFactorRoles).toEqual(["leader", "admin"]);
    await setSetting(getDb(), "two_factor_roles", "");
    const admin = await signedInAs("admin");
    expect(payloadOf<{ settings: { twoFactorRoles: string[] } }>(await call(installationLoader, get("/admin/settings", admin.cookie))).settings.twoFactorRoles).toEqual([]);

    const forged = await call(installationAction, post("/admin/settings", { intent: "two-factor-roles", admin: "yes", basedOn: "" }, admin.cookie));
    expect(statusOf(forged)).toBe(400);
    const head = await signedInAs("head");
    expect(statusOf(await call(installationAction, post("/admin/settings", { intent: "two-factor-roles", staff: "on", basedOn: "" }, head.cookie)))).toBe(403);
    expect((await getSettings(getDb())).twoFactorRoles).toEqual([]);

    expect(statusOf(await call(installationAction, post("/admin/settings", { intent: "two-factor-roles", head: "on", admin: "on", basedOn: "" }, admin.cookie)))).toBe(200);
    expect((await getSettings(getDb())).twoFactorRoles).toEqual(["head", "admin"]);
    const [entry] = await listAuditFor(getDb(), "settings", "two_factor_roles");
    expect(JSON.parse(entry?.after ?? "null")).toEqual({ twoFactorRoles: ["head", "admin"] });
  });
});

describe("administrator's reset", () => {
  it("shows whether two-factor sign-in is on and resets it, audited; others cannot", async () => {
    const { user, cookie } = await signedInAs("staff");
    await enrol(cookie);
    const admin = await signedInAs("admin");
    const params = { userId: String(user.id) };
    expect(payloadOf<{ twoFactor: boolean }>(await call(editLoader, get(`/admin/users/${user.id}`, admin.cookie), params)).twoFactor).toBe(true);

    for (const role of ["head", "leader", "staff"] as const) {
      const other = await signedInAs(role);
      expect(statusOf(await call(editAction, post(`/admin/users/${user.id}`, { intent: "reset-two-factor" }, other.cookie), params))).toBe(403);
    }
    expect((await settingsOf(cookie)).enabled).toBe(true);

    const reset = await call(editAction, post(`/admin/users/${user.id}`, { intent: "reset-two-factor" }, admin.cookie), params);
    expect(statusOf(reset)).toBe(200);
    expect(payloadOf<{ message: string }>(reset).message).toBe("twoFactor.resetDone");
    expect(payloadOf<{ twoFactor: boolean }>(await call(editLoader, get(`/admin/users/${user.id}`, admin.cookie), params)).twoFactor).toBe(false);
    const [entry] = await listAuditFor(getDb(), "user", user.id);
    expect(entry?.action).toBe("two_factor_reset");
    // they sign in with the password alone again
    expect(await signIn(user.email)).toMatch(/^qd_session=./);
    // resetting what is off is refused
    expect(statusOf(await call(editAction, post(`/admin/users/${user.id}`, { intent: "reset-two-factor" }, admin.cookie), params))).toBe(400);
  });
});

import { describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { createApiToken } from "~/features/users/index.server";
import { action as editAction, loader as editLoader } from "~/routes/_app.admin.users.$userId";
import { action as usersAction, loader as usersLoader } from "~/routes/_app.admin.users._index";
import { call, get, makeUser, payloadOf, post, signIn, signedInAs, statusOf } from "../../../support/app";

async function userCount() {
  const row = await getDb().selectFrom("users").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe("admin user pages", () => {
  it("lists users for an admin, without password hashes", async () => {
    const { cookie } = await signedInAs("admin");
    const result = payloadOf<{ users: Record<string, unknown>[] }>(await call(usersLoader, get("/admin/users", cookie)));
    expect(result.users.length).toBeGreaterThan(0);
    for (const user of result.users) expect(user).not.toHaveProperty("password_hash");
  });

  it.each(["head", "staff", "leader"] as const)("refuses a %s user the pages and the actions, changing nothing", async (role) => {
    const { cookie } = await signedInAs(role);
    const victim = await makeUser("staff");
    const before = await userCount();

    expect(statusOf(await call(usersLoader, get("/admin/users", cookie)))).toBe(403);
    expect(statusOf(await call(editLoader, get(`/admin/users/${victim.id}`, cookie), { userId: String(victim.id) }))).toBe(403);
    const create = await call(
      usersAction,
      post("/admin/users", { intent: "create", email: "sneaky@example.test", name: "Sneaky", role: "admin" }, cookie),
    );
    expect(statusOf(create)).toBe(403);
    const promote = await call(
      editAction,
      post(`/admin/users/${victim.id}`, { intent: "change-role", role: "admin" }, cookie),
      { userId: String(victim.id) },
    );
    expect(statusOf(promote)).toBe(403);

    expect(await userCount()).toBe(before);
    const after = await getDb().selectFrom("users").select("role").where("id", "=", victim.id).executeTakeFirstOrThrow();
    expect(after.role).toBe("staff");
  });

  it("creates a user with a generated password that works, and audits it", async () => {
    const { cookie, user: admin } = await signedInAs("admin");
    const result = payloadOf<{ ok: boolean; generatedPassword: string; email: string }>(
      await call(
        usersAction,
        post("/admin/users", { intent: "create", email: "New.Person@Example.test", name: "New Person", role: "staff", password: "" }, cookie),
      ),
    );
    expect(result.ok).toBe(true);
    expect(result.email).toBe("new.person@example.test");
    expect(result.generatedPassword).toHaveLength(20);
    await expect(signIn("new.person@example.test", result.generatedPassword)).resolves.toMatch(/^qd_session=/);

    const audit = await getDb()
      .selectFrom("audit_log")
      .selectAll()
      .where("entity", "=", "user")
      .where("action", "=", "create")
      .where("user_id", "=", admin.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.after).toEqual(expect.any(String));
    expect(audit[0]?.after).not.toMatch(/password/);
  });

  it.each([
    [{ email: "bad", name: "X", role: "staff" }, "email", "validation.email"],
    [{ email: "ok@example.test", name: "", role: "staff" }, "name", "validation.required"],
    [{ email: "ok@example.test", name: "X", role: "owner" }, "role", "validation.role"],
    [{ email: "ok@example.test", name: "X", role: "staff", password: "short" }, "password", "validation.passwordTooShort"],
    [{ email: "ok@example.test", name: "X", role: "staff", password: "y".repeat(129) }, "password", "validation.passwordTooLong"],
    [{ email: "ok@example.test", name: "X", role: "staff", password: "password1234" }, "password", "validation.passwordCommon"],
    [{ email: "olivia.ng@example.test", name: "Olivia Ng", role: "staff", password: "Olivia.Ng-2026!" }, "password", "validation.passwordContext"],
    [{ email: "ok@example.test", name: "X", role: "staff", password: "quarterdeck-2026" }, "password", "validation.passwordContext"],
  ])("refuses bad input %# with a field error and creates nothing", async (fields, field, message) => {
    const { cookie } = await signedInAs("admin");
    const before = await userCount();
    const result = await call(usersAction, post("/admin/users", { intent: "create", ...fields }, cookie));
    expect(statusOf(result)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(result).fieldErrors[field]).toContain(message);
    expect(await userCount()).toBe(before);
  });

  it("refuses a duplicate email", async () => {
    const { cookie } = await signedInAs("admin");
    const existing = await makeUser("staff");
    const result = await call(
      usersAction,
      post("/admin/users", { intent: "create", email: existing.email, name: "Again", role: "staff" }, cookie),
    );
    expect(statusOf(result)).toBe(400);
    expect(payloadOf(result)).toMatchObject({ fieldErrors: { email: ["users.emailTaken"] } });
  });

  it("changes a role, deactivates (ending sessions) and resets a password", async () => {
    const { cookie } = await signedInAs("admin");
    const target = await makeUser("staff");
    const targetCookie = await signIn(target.email);
    const params = { userId: String(target.id) };

    const role = await call(editAction, post(`/admin/users/${target.id}`, { intent: "change-role", role: "head" }, cookie), params);
    expect(payloadOf(role)).toMatchObject({ ok: true, message: "users.roleSaved" });

    const off = await call(editAction, post(`/admin/users/${target.id}`, { intent: "set-active", active: "false" }, cookie), params);
    expect(payloadOf(off)).toMatchObject({ ok: true, message: "users.deactivated" });
    const sessions = await getDb().selectFrom("sessions").select("id").where("user_id", "=", target.id).execute();
    expect(sessions).toHaveLength(0);
    await expect(signIn(target.email)).rejects.toThrow(/403/);
    expect(targetCookie).toMatch(/^qd_session=/);

    await call(editAction, post(`/admin/users/${target.id}`, { intent: "set-active", active: "true" }, cookie), params);
    const reset = payloadOf<{ ok: boolean; password: string }>(
      await call(editAction, post(`/admin/users/${target.id}`, { intent: "reset-password", password: "" }, cookie), params),
    );
    expect(reset.ok).toBe(true);
    await expect(signIn(target.email, reset.password)).resolves.toMatch(/^qd_session=/);

    const row = await getDb().selectFrom("users").select(["role", "active"]).where("id", "=", target.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ role: "head", active: 1 });
  });

  it("refuses a common password on reset and keeps the old one", async () => {
    const { cookie } = await signedInAs("admin");
    const target = await makeUser("staff");
    const params = { userId: String(target.id) };
    const weak = await call(editAction, post(`/admin/users/${target.id}`, { intent: "reset-password", password: "iloveyou2026" }, cookie), params);
    expect(statusOf(weak)).toBe(400);
    expect(payloadOf(weak)).toMatchObject({ ok: false, message: "validation.passwordCommon" });
    await expect(signIn(target.email)).resolves.toMatch(/^qd_session=/);
  });

  it("revokes a user's API tokens when they are deactivated, so reactivating does not revive them", async () => {
    const { cookie, user: admin } = await signedInAs("admin");
    const target = await makeUser("head");
    const { token } = await createApiToken(getDb(), { userId: target.id, name: "nightly", expiresInDays: null });
    const params = { userId: String(target.id) };
    await call(editAction, post(`/admin/users/${target.id}`, { intent: "set-active", active: "false" }, cookie), params);
    await call(editAction, post(`/admin/users/${target.id}`, { intent: "set-active", active: "true" }, cookie), params);
    const rows = await getDb().selectFrom("api_tokens").select(["revoked_at"]).where("user_id", "=", target.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.revoked_at).not.toBeNull();
    expect(token).toMatch(/^qd_/);
    const audit = await getDb().selectFrom("audit_log").select("user_id").where("entity", "=", "api_token").where("action", "=", "revoke:deactivated").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(audit.user_id).toBe(admin.id);
  });

  describe("editing a user's name and email", () => {
    const edit = (target: { id: number }, fields: Record<string, string>, cookie: string) =>
      call(editAction, post(`/admin/users/${target.id}`, { intent: "edit-details", ...fields }, cookie), { userId: String(target.id) });
    const stored = (id: number) => getDb().selectFrom("users").select(["name", "email"]).where("id", "=", id).executeTakeFirstOrThrow();

    it("saves both, normalises the email, audits the change, and the user signs in with the new email", async () => {
      const { cookie, user: admin } = await signedInAs("admin");
      const target = await makeUser("staff");
      const result = await edit(target, { name: "  Wang Fang 王芳 ", email: "Wang.Fang@Example.test", expectedName: target.name, expectedEmail: target.email }, cookie);
      expect(statusOf(result)).toBe(200);
      expect(payloadOf(result)).toMatchObject({ ok: true, message: "users.detailsSaved" });
      expect(await stored(target.id)).toEqual({ name: "Wang Fang 王芳", email: "wang.fang@example.test" });

      const audit = await getDb()
        .selectFrom("audit_log")
        .selectAll()
        .where("entity", "=", "user")
        .where("entity_id", "=", String(target.id))
        .where("action", "=", "update:details")
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]?.user_id).toBe(admin.id);
      expect(JSON.parse(audit[0]?.before ?? "null")).toMatchObject({ name: target.name, email: target.email });
      expect(JSON.parse(audit[0]?.after ?? "null")).toMatchObject({ name: "Wang Fang 王芳", email: "wang.fang@example.test" });
      await expect(signIn("wang.fang@example.test")).resolves.toMatch(/^qd_session=/);
      await expect(signIn(target.email)).rejects.toThrow();
    });

    it.each([
      [{ name: "", email: "ok@example.test" }, "name", "validation.required"],
      [{ name: "X".repeat(101), email: "ok@example.test" }, "name", "validation.nameTooLong"],
      [{ name: "X", email: "not an email" }, "email", "validation.email"],
      [{ name: "X", email: "" }, "email", "validation.required"],
    ])("refuses bad input %# with the shared schema's field error and changes nothing", async (fields, field, message) => {
      const { cookie } = await signedInAs("admin");
      const target = await makeUser("staff");
      const result = await edit(target, { ...fields, expectedName: target.name, expectedEmail: target.email }, cookie);
      expect(statusOf(result)).toBe(400);
      expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(result).fieldErrors[field]).toContain(message);
      expect(await stored(target.id)).toEqual({ name: target.name, email: target.email });
    });

    it("refuses another user's email (in any case) and changes nothing", async () => {
      const { cookie } = await signedInAs("admin");
      const target = await makeUser("staff");
      const other = await makeUser("head");
      const result = await edit(target, { name: "Renamed", email: other.email.toUpperCase(), expectedName: target.name, expectedEmail: target.email }, cookie);
      expect(statusOf(result)).toBe(400);
      expect(payloadOf(result)).toMatchObject({ fieldErrors: { email: ["users.emailTaken"] } });
      expect(await stored(target.id)).toEqual({ name: target.name, email: target.email });
    });

    it("refuses a stale edit with 409 and the values stored now, changing nothing; the next save based on them goes through", async () => {
      const { cookie } = await signedInAs("admin");
      const target = await makeUser("staff");
      // Another administrator renamed the user after this form was loaded.
      await edit(target, { name: "Someone Else's Name", email: target.email, expectedName: target.name, expectedEmail: target.email }, cookie);
      const stale = await edit(target, { name: "My Name", email: "mine@example.test", expectedName: target.name, expectedEmail: target.email }, cookie);
      expect(statusOf(stale)).toBe(409);
      expect(payloadOf(stale)).toMatchObject({
        ok: false,
        code: "conflict",
        intent: "edit-details",
        message: "users.conflict",
        current: { name: "Someone Else's Name", email: target.email },
        submitted: { name: "My Name", email: "mine@example.test" },
        subjectId: target.id,
      });
      expect(await stored(target.id)).toEqual({ name: "Someone Else's Name", email: target.email });

      const again = await edit(target, { name: "My Name", email: "mine@example.test", expectedName: "Someone Else's Name", expectedEmail: target.email }, cookie);
      expect(statusOf(again)).toBe(200);
      expect(await stored(target.id)).toEqual({ name: "My Name", email: "mine@example.test" });
    });

    it("refuses a form without the values it was based on", async () => {
      const { cookie } = await signedInAs("admin");
      const target = await makeUser("staff");
      const forged = await edit(target, { name: "Forged", email: "forged@example.test" }, cookie);
      expect(statusOf(forged)).toBe(400);
      expect(await stored(target.id)).toEqual({ name: target.name, email: target.email });
    });

    it.each(["head", "staff", "leader"] as const)("refuses a %s user, changing nothing", async (role) => {
      const { cookie } = await signedInAs(role);
      const target = await makeUser("staff");
      const result = await edit(target, { name: "Hijacked", email: "hijack@example.test", expectedName: target.name, expectedEmail: target.email }, cookie);
      expect(statusOf(result)).toBe(403);
      expect(await stored(target.id)).toEqual({ name: target.name, email: target.email });
    });
  });

  it("does not let an admin lock themselves out", async () => {
    const { cookie, user: admin } = await signedInAs("admin");
    const params = { userId: String(admin.id) };
    const off = await call(editAction, post(`/admin/users/${admin.id}`, { intent: "set-active", active: "false" }, cookie), params);
    expect(statusOf(off)).toBe(400);
    expect(payloadOf(off)).toMatchObject({ ok: false, code: "invalid", intent: "set-active", message: "users.notYourself", fieldErrors: {} });
    const demote = await call(editAction, post(`/admin/users/${admin.id}`, { intent: "change-role", role: "staff" }, cookie), params);
    expect(statusOf(demote)).toBe(400);
    const row = await getDb().selectFrom("users").select(["role", "active"]).where("id", "=", admin.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ role: "admin", active: 1 });
  });

  it("answers 404 for an unknown user and 400 for an unknown intent", async () => {
    const { cookie } = await signedInAs("admin");
    expect(statusOf(await call(editLoader, get("/admin/users/999999", cookie), { userId: "999999" }))).toBe(404);
    expect(statusOf(await call(editLoader, get("/admin/users/abc", cookie), { userId: "abc" }))).toBe(404);
    const target = await makeUser("staff");
    const forged = await call(editAction, post(`/admin/users/${target.id}`, { intent: "delete-everything" }, cookie), {
      userId: String(target.id),
    });
    expect(statusOf(forged)).toBe(400);
  });

  it("answers 404 to a post for an unknown or malformed user id, changing nothing", async () => {
    const { cookie } = await signedInAs("admin");
    const before = await getDb().selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    for (const userId of ["999999", "1e3", "-1"]) {
      const result = await call(editAction, post(`/admin/users/${userId}`, { intent: "change-role", role: "head" }, cookie), { userId });
      expect(statusOf(result)).toBe(404);
    }
    const after = await getDb().selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});

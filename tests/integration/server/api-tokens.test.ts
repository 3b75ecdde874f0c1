import crypto from "node:crypto";

import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { action, loader } from "~/routes/_app.settings";
import { loader as apiLoader } from "~/routes/api.kpis";
import { createApiToken } from "~/features/users/index.server";
import { BASE, call, firstOf, get, makeUser, nth, payloadOf, post, signedInAs, statusOf } from "../../support/app";
import { instantOnBusinessDate } from "../../support/business-date";

let owner: { user: { id: number }; cookie: string };
let other: { user: { id: number }; cookie: string };

beforeAll(async () => {
  owner = await signedInAs("staff");
  other = await signedInAs("leader");
});

interface TokenRow {
  id: number;
  name: string;
  tokenPrefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  expired: boolean;
}

async function listed(cookie: string): Promise<TokenRow[]> {
  return payloadOf<{ tokens: TokenRow[] }>(await call(loader, get("/settings", cookie))).tokens;
}

function rows(userId?: number) {
  let query = getDb().selectFrom("api_tokens").selectAll();
  if (userId !== undefined) query = query.where("user_id", "=", userId);
  return query.orderBy("id").execute();
}

function auditOf(tokenId: number) {
  return getDb()
    .selectFrom("audit_log")
    .select(["user_id", "action", "before", "after"])
    .where("entity", "=", "api_token")
    .where("entity_id", "=", String(tokenId))
    .orderBy("id")
    .execute();
}

async function createToken(cookie: string, fields: Record<string, string>) {
  const result = await call(action, post("/settings", { intent: "create-token", ...fields }, cookie));
  return { status: statusOf(result), payload: payloadOf<{ token: { value: string; name: string }; fieldErrors: Record<string, string>; [key: string]: unknown }>(result), result };
}

// Each test starts with no token at all (ids are never reused, so the audit entries stay apart).
beforeEach(async () => {
  await getDb().deleteFrom("api_tokens").execute();
});

describe("creating a token", () => {
  it("dates the token, its expiry and its audit entry by the instant it is created at", async () => {
    const at = instantOnBusinessDate("08:30:00");
    const someone = await makeUser("staff");
    const { summary } = await createApiToken(getDb(), { userId: someone.id, name: "dated", expiresInDays: 7 }, at);
    expect(summary.createdAt).toBe(at.toISOString());
    expect(summary.expiresAt).toBe(new Date(at.getTime() + 7 * 86_400_000).toISOString());
    const audit = await getDb().selectFrom("audit_log").select(["at", "action"]).where("entity", "=", "api_token").where("entity_id", "=", String(summary.id)).execute();
    expect(audit).toEqual([{ at: at.toISOString(), action: "create" }]);
  });

  it("shows the value once, stores only its SHA-256, and audits the creation", async () => {
    expect(await listed(owner.cookie)).toEqual([]);
    const { status, payload, result } = await createToken(owner.cookie, { name: "  Nightly KPI report ", expiresInDays: "30" });
    expect(status).toBe(200);
    expect((result as { init?: { headers?: Record<string, string> } }).init?.headers).toEqual({ "Cache-Control": "no-store" });
    expect(payload.ok).toBe(true);
    expect(payload.done).toBe("token-created");
    const value = payload.token.value as string;
    expect(payload.token.name).toBe("Nightly KPI report");
    expect(value).toMatch(/^qd_[A-Za-z0-9_-]{43}$/);

    const row = firstOf(await rows(owner.user.id));
    expect(row.token_hash).toBe(crypto.createHash("sha256").update(value).digest("hex"));
    expect(row.token_prefix).toBe(value.slice(0, 9));
    expect(JSON.stringify(await rows())).not.toContain(value);
    expect(Date.parse(row.expires_at as string) - Date.parse(row.created_at)).toBe(30 * 86_400_000);

    const audit = await auditOf(row.id);
    expect(audit.map((a) => [a.user_id, a.action])).toEqual([[owner.user.id, "create"]]);
    expect(JSON.parse(nth(audit, 0).after as string)).toEqual({
      userId: owner.user.id,
      name: "Nightly KPI report",
      tokenPrefix: row.token_prefix,
      expiresAt: row.expires_at,
    });
    expect(JSON.stringify(audit)).not.toContain(value);
    expect(JSON.stringify(audit)).not.toContain(row.token_hash);

    // the list shows it without the value; "last used" fills in once the token is used
    const [item] = await listed(owner.cookie);
    expect(item).toEqual({
      id: row.id,
      name: "Nightly KPI report",
      tokenPrefix: row.token_prefix,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      lastUsedAt: null,
      expired: false,
    });
    const response = (await call(
      apiLoader,
      new Request(`${BASE}/api/kpis?asOf=2026-03-31`, { headers: { Authorization: `Bearer ${value}` } }),
    )) as Response;
    expect(response.status).toBe(200);
    expect(firstOf(await listed(owner.cookie)).lastUsedAt).not.toBeNull();
  });

  it("makes a token without expiry when the days are left empty", async () => {
    const { status, payload } = await createToken(owner.cookie, { name: "No expiry", expiresInDays: "" });
    expect(status).toBe(200);
    const row = (await rows(owner.user.id)).find((r) => r.name === "No expiry");
    expect(row?.expires_at).toBeNull();
    expect(payload.token.value).toMatch(/^qd_/);
  });

  it("lists only the user's own tokens", async () => {
    await createToken(other.cookie, { name: "Leader's", expiresInDays: "7" });
    expect((await listed(other.cookie)).map((t) => t.name)).toEqual(["Leader's"]);
    expect((await listed(owner.cookie)).map((t) => t.name)).not.toContain("Leader's");
  });

  it.each([
    ["an expiry of 0 days", { name: "x", expiresInDays: "0" }, "expiresInDays", "apiTokens.expiryInvalid"],
    ["a negative expiry", { name: "x", expiresInDays: "-5" }, "expiresInDays", "apiTokens.expiryInvalid"],
    ["an expiry over a year", { name: "x", expiresInDays: "366" }, "expiresInDays", "apiTokens.expiryInvalid"],
    ["a fractional expiry", { name: "x", expiresInDays: "1.5" }, "expiresInDays", "apiTokens.expiryInvalid"],
    ["an expiry in words", { name: "x", expiresInDays: "forever" }, "expiresInDays", "apiTokens.expiryInvalid"],
    ["an empty name", { name: "   ", expiresInDays: "30" }, "name", "validation.required"],
    ["a name over 100 characters", { name: "n".repeat(101), expiresInDays: "30" }, "name", "validation.nameTooLong"],
  ])("refuses a forged post with %s: 400, a field error, nothing created", async (_label, fields, field, message) => {
    const before = await rows();
    const auditBefore = await getDb().selectFrom("audit_log").select("id").execute();
    const { status, payload } = await createToken(owner.cookie, fields);
    expect(status).toBe(400);
    expect(payload.ok).toBe(false);
    expect(payload.fieldErrors[field]).toEqual([message]);
    expect(await rows()).toEqual(before);
    expect(await getDb().selectFrom("audit_log").select("id").execute()).toEqual(auditBefore);
  });

  it("sends anonymous posts to the sign-in page", async () => {
    const result = await call(action, post("/settings", { intent: "create-token", name: "x", expiresInDays: "" }));
    expect(statusOf(result)).toBe(302);
    expect((result as Response).headers.get("Location")).toBe("/login?redirectTo=%2Fsettings");
  });
});

describe("revoking a token", () => {
  // Each test has a live token of the user's own and one of someone else's.
  beforeEach(async () => {
    expect((await createToken(owner.cookie, { name: "Reporting", expiresInDays: "30" })).status).toBe(200);
    expect((await createToken(other.cookie, { name: "Leader's", expiresInDays: "7" })).status).toBe(200);
  });

  it("refuses someone else's token exactly as a missing one (404, same body) and changes nothing", async () => {
    const theirs = firstOf(await rows(other.user.id));
    const before = await rows();
    const auditBefore = await auditOf(theirs.id);
    const result = await call(action, post("/settings", { intent: "revoke-token", tokenId: String(theirs.id) }, owner.cookie));
    const missing = await call(action, post("/settings", { intent: "revoke-token", tokenId: "999999" }, owner.cookie));
    expect(statusOf(result)).toBe(404);
    expect(await (result as Response).text()).toBe(await (missing as Response).text());
    expect(await rows()).toEqual(before);
    expect(await auditOf(theirs.id)).toEqual(auditBefore);
  });

  it("answers 404 for a token that does not exist and 400 for a forged id", async () => {
    const missing = await call(action, post("/settings", { intent: "revoke-token", tokenId: "999999" }, owner.cookie));
    expect(statusOf(missing)).toBe(404);
    const forged = await call(action, post("/settings", { intent: "revoke-token", tokenId: "1 OR 1=1" }, owner.cookie));
    expect(statusOf(forged)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(forged).fieldErrors.tokenId).toEqual(["apiTokens.unknownToken"]);
  });

  it("revokes the user's own token: gone from the list, audited, and a second revoke changes nothing", async () => {
    const mine = firstOf((await rows(owner.user.id)).filter((r) => r.revoked_at === null));
    const result = await call(action, post("/settings", { intent: "revoke-token", tokenId: String(mine.id) }, owner.cookie));
    expect(statusOf(result)).toBe(200);
    expect(payloadOf(result)).toEqual({ ok: true, done: "token-revoked", name: mine.name });
    const after = (await rows(owner.user.id)).find((r) => r.id === mine.id);
    expect(after?.revoked_at).not.toBeNull();
    expect((await listed(owner.cookie)).map((t) => t.id)).not.toContain(mine.id);
    const audit = await auditOf(mine.id);
    expect(audit.map((a) => a.action)).toEqual(["create", "revoke"]);
    expect(JSON.parse(nth(audit, 1).before as string)).toMatchObject({ name: mine.name, revokedAt: null });
    expect(JSON.parse(nth(audit, 1).after as string)).toMatchObject({ name: mine.name, revokedAt: after?.revoked_at });

    const again = await call(action, post("/settings", { intent: "revoke-token", tokenId: String(mine.id) }, owner.cookie));
    expect(statusOf(again)).toBe(200);
    expect((await auditOf(mine.id)).length).toBe(2);
    expect((await rows(owner.user.id)).find((r) => r.id === mine.id)?.revoked_at).toBe(after?.revoked_at);
  });
});

describe("the settings page's preferences form", () => {
  it("still saves without an intent", async () => {
    const result = await call(action, post("/settings", { locale: "zh-CN", amountUnit: "wan" }, owner.cookie));
    expect(payloadOf(result)).toEqual({ ok: true, done: "preferences" });
    const loaded = payloadOf<{ locale: string; amountUnit: string }>(await call(loader, get("/settings", owner.cookie)));
    expect([loaded.locale, loaded.amountUnit]).toEqual(["zh-CN", "wan"]);
  });
});

describe("a password reset", () => {
  it("revokes the user's live tokens, audited by the administrator", async () => {
    const { action: editUser } = await import("~/routes/_app.admin.users.$userId");
    const victim = await signedInAs("staff");
    const { payload } = await createToken(victim.cookie, { name: "laptop", expiresInDays: "30" });
    const created = { token: payload.token.value as string };
    const bearer = (token: string) =>
      new Request(`${BASE}/api/kpis?asOf=2026-01-31`, { headers: { Authorization: `Bearer ${token}` } });
    expect(statusOf(await call(apiLoader, bearer(created.token)))).toBe(200);

    const admin = await signedInAs("admin");
    await call(
      editUser,
      post(`/admin/users/${victim.user.id}`, { intent: "reset-password", password: "" }, admin.cookie),
      { userId: String(victim.user.id) },
    );
    expect(statusOf(await call(apiLoader, bearer(created.token)))).toBe(401);
    const row = firstOf(await rows(victim.user.id));
    expect(row.revoked_at).not.toBeNull();
    const audit = await auditOf(row.id);
    expect(audit.at(-1)).toMatchObject({ user_id: admin.user.id, action: "revoke:password-reset" });
  });
});

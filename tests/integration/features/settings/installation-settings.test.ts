import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { listAuditFor } from "~/features/audit/index.server";
import { getSettings } from "~/features/settings/index.server";
import { action, loader } from "~/routes/_app.admin.settings";
import { call, get, makeUser, payloadOf, post, signIn, statusOf } from "../../../support/app";

const cookies = { admin: "", head: "", staff: "", leader: "" };

beforeAll(async () => {
  for (const role of ["admin", "head", "staff", "leader"] as const) {
    cookies[role] = await signIn((await makeUser(role)).email);
  }
});

describe("installation settings (fiscal year's first month)", () => {
  it("shows the administrator the current month, January by default", async () => {
    const data = payloadOf<Awaited<ReturnType<typeof loader>>>(await call(loader, get("/admin/settings", cookies.admin)));
    expect(data.settings.fiscalStartMonth).toBe(1);
    expect(data.plans).toBe(0);
  });

  it("refuses everyone but the administrator, reading or writing, and changes nothing", async () => {
    for (const role of ["head", "staff", "leader"] as const) {
      expect(statusOf(await call(loader, get("/admin/settings", cookies[role])))).toBe(403);
      expect(statusOf(await call(action, post("/admin/settings", { fiscalStartMonth: "4", basedOn: "1" }, cookies[role])))).toBe(403);
    }
    expect((await getSettings(getDb())).fiscalStartMonth).toBe(1);
  });

  it("refuses a month that does not exist at the field", async () => {
    for (const month of ["0", "13", "April", ""]) {
      const result = await call(action, post("/admin/settings", { fiscalStartMonth: month, basedOn: "1" }, cookies.admin));
      expect(statusOf(result)).toBe(400);
      expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(result).fieldErrors.fiscalStartMonth).toEqual(["installation.invalidMonth"]);
    }
    expect((await getSettings(getDb())).fiscalStartMonth).toBe(1);
  });

  it("saves April and records who changed it from what", async () => {
    expect(statusOf(await call(action, post("/admin/settings", { fiscalStartMonth: "4", basedOn: "1" }, cookies.admin)))).toBe(200);
    expect((await getSettings(getDb())).fiscalStartMonth).toBe(4);
    const [entry] = await listAuditFor(getDb(), "settings", "fiscal_start_month");
    expect(JSON.parse(entry?.before ?? "null")).toEqual({ fiscalStartMonth: 1 });
    expect(JSON.parse(entry?.after ?? "null")).toEqual({ fiscalStartMonth: 4 });
  });

  it("refuses a save based on a month another administrator has changed since, showing theirs, and changes nothing", async () => {
    // The month is April now (the test above); this form still showed January.
    const auditBefore = (await listAuditFor(getDb(), "settings", "fiscal_start_month")).length;
    const stale = await call(action, post("/admin/settings", { fiscalStartMonth: "7", basedOn: "1" }, cookies.admin));
    expect(statusOf(stale)).toBe(409);
    expect(payloadOf(stale)).toMatchObject({ ok: false, code: "conflict", message: "installation.conflict", current: { fiscalStartMonth: 4 } });
    expect((await getSettings(getDb())).fiscalStartMonth).toBe(4);
    expect(await listAuditFor(getDb(), "settings", "fiscal_start_month")).toHaveLength(auditBefore);
    // A forged post without the month the form showed is a stale form, and changes nothing.
    for (const basedOn of [undefined, "", "0", "April"]) {
      const fields: Record<string, string> = { fiscalStartMonth: "7" };
      if (basedOn !== undefined) fields.basedOn = basedOn;
      const forged = await call(action, post("/admin/settings", fields, cookies.admin));
      expect(statusOf(forged)).toBe(400);
      expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(forged).fieldErrors.basedOn).toEqual(["installation.staleForm"]);
    }
    expect((await getSettings(getDb())).fiscalStartMonth).toBe(4);
    // Based on what is stored, the save goes through.
    expect(statusOf(await call(action, post("/admin/settings", { fiscalStartMonth: "7", basedOn: "4" }, cookies.admin)))).toBe(200);
    expect((await getSettings(getDb())).fiscalStartMonth).toBe(7);
  });

  it("refuses a stale save of the two-factor roles, showing the stored ones", async () => {
    const fresh = await call(action, post("/admin/settings", { intent: "two-factor-roles", head: "on", basedOn: (await getSettings(getDb())).twoFactorRoles.join(",") }, cookies.admin));
    expect(statusOf(fresh)).toBe(200);
    expect((await getSettings(getDb())).twoFactorRoles).toEqual(["head"]);
    const stale = await call(action, post("/admin/settings", { intent: "two-factor-roles", leader: "on", basedOn: "" }, cookies.admin));
    expect(statusOf(stale)).toBe(409);
    expect(payloadOf(stale)).toMatchObject({ code: "conflict", intent: "two-factor-roles", current: { twoFactorRoles: ["head"] } });
    expect((await getSettings(getDb())).twoFactorRoles).toEqual(["head"]);
  });
});

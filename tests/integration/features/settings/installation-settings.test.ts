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
      expect(statusOf(await call(action, post("/admin/settings", { fiscalStartMonth: "4" }, cookies[role])))).toBe(403);
    }
    expect((await getSettings(getDb())).fiscalStartMonth).toBe(1);
  });

  it("refuses a month that does not exist at the field", async () => {
    for (const month of ["0", "13", "April", ""]) {
      const result = await call(action, post("/admin/settings", { fiscalStartMonth: month }, cookies.admin));
      expect(statusOf(result)).toBe(400);
      expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(result).fieldErrors.fiscalStartMonth).toEqual(["installation.invalidMonth"]);
    }
    expect((await getSettings(getDb())).fiscalStartMonth).toBe(1);
  });

  it("saves April and records who changed it from what", async () => {
    expect(statusOf(await call(action, post("/admin/settings", { fiscalStartMonth: "4" }, cookies.admin)))).toBe(200);
    expect((await getSettings(getDb())).fiscalStartMonth).toBe(4);
    const [entry] = await listAuditFor(getDb(), "settings", "fiscal_start_month");
    expect(JSON.parse(entry?.before ?? "null")).toEqual({ fiscalStartMonth: 1 });
    expect(JSON.parse(entry?.after ?? "null")).toEqual({ fiscalStartMonth: 4 });
  });
});

import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/server/db.server";
import { STANDARD_CREDIT_POLICY, policyVersion } from "~/features/credit/grades/grades";
import { policyToFormValues } from "~/features/credit/grades/schema";
import { getCreditPolicy, saveCreditPolicy } from "~/features/credit/grades/queries.server";
import { action, loader } from "~/routes/_app.credit.grades";
import { call, get, payloadOf, post, signedInAs, statusOf } from "../../../../support/app";
import { defined } from "../../../../support/defined";

type LoaderData = Awaited<ReturnType<typeof loader>>;

/** The form post of a policy, as the page's inputs name their fields. */
/** Built on the standard policy, based on the stored version (a fresh form). */
async function formPost(change: (fields: Record<string, string>) => void = () => {}): Promise<Record<string, string>> {
  const stored = await getCreditPolicy(getDb());
  const values = policyToFormValues(STANDARD_CREDIT_POLICY, policyVersion(stored));
  const fields: Record<string, string> = { intent: "save-policy", basedOn: values.basedOn };
  values.grades.forEach((grade, i) => {
    for (const [key, value] of Object.entries(grade)) fields[`grades.${i}.${key}`] = String(value);
  });
  values.rules?.forEach((rule, i) => {
    for (const [key, value] of Object.entries(rule)) fields[`rules.${i}.${key}`] = String(value ?? "");
  });
  change(fields);
  return fields;
}

async function policyAndAuditCount() {
  const policy = await getCreditPolicy(getDb());
  const audit = await getDb()
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("entity", "=", "credit_policy")
    .executeTakeFirstOrThrow();
  return { grades: policy.grades, rules: policy.rules, audits: Number(audit.n) };
}

const cookies = { head: "", staff: "", leader: "", admin: "" };
let headId = 0;

const storedGrades = () => getDb().selectFrom("credit_grades").selectAll().execute();
const storedRules = () => getDb().selectFrom("credit_rules").selectAll().execute();
const seeded: { grades: Awaited<ReturnType<typeof storedGrades>>; rules: Awaited<ReturnType<typeof storedRules>> } = { grades: [], rules: [] };

beforeAll(async () => {
  for (const role of ["head", "staff", "leader", "admin"] as const) {
    const { user, cookie } = await signedInAs(role);
    cookies[role] = cookie;
    if (role === "head") headId = user.id;
  }
  seeded.grades = await storedGrades();
  seeded.rules = await storedRules();
});

// Each test starts from the policy the migration seeded: the tests save changes to it.
beforeEach(async () => {
  const db = getDb();
  for (const grade of seeded.grades) await db.updateTable("credit_grades").set(grade).where("code", "=", grade.code).execute();
  await db.deleteFrom("credit_rules").execute();
  if (seeded.rules.length > 0) await db.insertInto("credit_rules").values(seeded.rules).execute();
});

describe("the credit policy model", () => {
  it("starts with the standard grades and rules, seeded by the migration", async () => {
    const policy = await getCreditPolicy(getDb());
    expect({ grades: policy.grades, rules: policy.rules }).toEqual(STANDARD_CREDIT_POLICY);
    expect(policy.updatedByName).toBeNull();
  });

  it("refuses to add, drop or reorder grades, changing nothing", async () => {
    const before = await policyAndAuditCount();
    const reordered = { ...STANDARD_CREDIT_POLICY, grades: [...STANDARD_CREDIT_POLICY.grades].reverse() };
    expect(await saveCreditPolicy(getDb(), reordered, headId)).toEqual({ ok: false, error: "gradesChanged" });
    expect(await policyAndAuditCount()).toEqual(before);
  });

  it("writes nothing and no audit entry for an unchanged policy", async () => {
    const before = await policyAndAuditCount();
    expect(await saveCreditPolicy(getDb(), STANDARD_CREDIT_POLICY, headId)).toEqual({ ok: true, changed: false });
    expect(await policyAndAuditCount()).toEqual(before);
  });
});

describe("the grades page", () => {
  it.each(["head", "staff", "leader"] as const)("%s reads the grades; only the head may edit", async (role) => {
    const result = await call(loader, get("/credit/grades", cookies[role]));
    expect(statusOf(result)).toBe(200);
    const data = payloadOf<LoaderData>(result);
    expect(data.policy.grades.map((g) => g.code)).toEqual(["A", "B", "C", "D"]);
    expect(data.canEdit).toBe(role === "head");
  });

  it("refuses the administrator (no ledger:read) and sends the signed-out to sign in", async () => {
    expect(statusOf(await call(loader, get("/credit/grades", cookies.admin)))).toBe(403);
    const anonymous = await call(loader, get("/credit/grades"));
    expect(statusOf(anonymous)).toBe(302);
  });

  it("reads a post with grades.length=4294967295 as the four grades sent, at once", async () => {
    const before = await policyAndAuditCount();
    const result = await call(
      action,
      post("/credit/grades", await formPost((f) => Object.assign(f, { "grades.length": "4294967295", "grades.4.code": "", "grades.99999.code": "Z" })), cookies.head),
    );
    // grades.4 is an empty fifth grade, refused at its field; nothing is saved.
    expect(statusOf(result)).toBe(400);
    const errorFields = Object.keys(payloadOf<{ fieldErrors: Record<string, string[]> }>(result).fieldErrors);
    expect(errorFields.length).toBeGreaterThan(0);
    expect(errorFields.every((key) => key.startsWith("grades.4"))).toBe(true);
    expect(await policyAndAuditCount()).toEqual(before);
  });

  it.each(["staff", "leader", "admin"] as const)("a %s post gets 403 and changes nothing", async (role) => {
    const before = await policyAndAuditCount();
    const result = await call(action, post("/credit/grades", await formPost((f) => (f["grades.0.graceDays"] = "30")), cookies[role]));
    expect(statusOf(result)).toBe(403);
    expect(await policyAndAuditCount()).toEqual(before);
  });

  it.each<[string, (f: Record<string, string>) => void, string, string]>([
    ["contradictory thresholds", (f) => (f["rules.3.threshold"] = "4"), "rules.3.threshold", "credit.validation.overlappingThresholds"],
    ["negative grace days", (f) => (f["grades.1.graceDays"] = "-5"), "grades.1.graceDays", "credit.validation.notNegative"],
    ["a worse grade with longer terms", (f) => (f["grades.3.paymentTermsDays"] = "45"), "grades.3.paymentTermsDays", "credit.validation.gradeOrder"],
    ["stop shipment inside the grace days", (f) => (f["grades.0.stopShipmentDays"] = "10"), "grades.0.stopShipmentDays", "credit.validation.stopBeforeGrace"],
    ["a negative limit guideline", (f) => (f["grades.2.limitMonthsOfSales"] = "-1"), "grades.2.limitMonthsOfSales", "credit.validation.notNegative"],
    ["a cap without a grade", (f) => (f["rules.7.toGrade"] = ""), "rules.7.toGrade", "credit.validation.toGradeRequired"],
  ])("refuses %s with a field error (400) and changes nothing", async (_label, change, field, message) => {
    const before = await policyAndAuditCount();
    const result = await call(action, post("/credit/grades", await formPost(change), cookies.head));
    expect(statusOf(result)).toBe(400);
    expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(result).fieldErrors[field]).toContain(message);
    expect(await policyAndAuditCount()).toEqual(before);
  });

  it("refuses a post that renames a grade (400, nothing changed)", async () => {
    const before = await policyAndAuditCount();
    const result = await call(action, post("/credit/grades", await formPost((f) => (f["grades.3.code"] = "E")), cookies.head));
    expect(statusOf(result)).toBe(400);
    expect(await policyAndAuditCount()).toEqual(before);
  });

  it("saves the head's valid change, audited with before and after", async () => {
    const before = await policyAndAuditCount();
    const result = await call(
      action,
      post(
        "/credit/grades",
        await formPost((f) => {
          f["grades.1.graceDays"] = "7";
          f["grades.2.limitMonthsOfSales"] = "0.8";
          f["rules.1.threshold"] = "12.5";
          // drop the last rule (the write-off cap) and add a broken-promise cap instead
          f["rules.7.metric"] = "broken_promises";
          f["rules.7.comparator"] = "gte";
          f["rules.7.threshold"] = "3";
          f["rules.7.toGrade"] = "D";
        }),
        cookies.head,
      ),
    );
    expect(statusOf(result)).toBe(200);
    expect(payloadOf(result)).toEqual({ ok: true, changed: true });

    const after = await getCreditPolicy(getDb());
    expect(defined(after.grades[1]).graceDays).toBe(7);
    expect(defined(after.grades[2]).limitMonthsOfSales).toBe(0.8);
    expect(defined(after.rules[1]).threshold).toBe(12.5);
    expect(after.rules[7]).toEqual({ metric: "broken_promises", comparator: "gte", threshold: 3, action: "to-grade", toGrade: "D" });
    expect(after.updatedByName).toMatch(/^head/);

    const audits = await getDb()
      .selectFrom("audit_log")
      .selectAll()
      .where("entity", "=", "credit_policy")
      .orderBy("id", "desc")
      .execute();
    expect(audits).toHaveLength(before.audits + 1);
    expect(defined(audits[0]).user_id).toBe(headId);
    expect(JSON.parse(defined(audits[0]).before ?? "{}").grades[1].graceDays).toBe(10);
    expect(JSON.parse(defined(audits[0]).after ?? "{}").grades[1].graceDays).toBe(7);
  });

  it("saves a rule list with one rule removed (indexes with a gap from the form)", async () => {
    const result = await call(
      action,
      post(
        "/credit/grades",
        await formPost((f) => {
          for (const key of Object.keys(f)) if (key.startsWith("rules.2.")) delete f[key];
        }),
        cookies.head,
      ),
    );
    expect(statusOf(result)).toBe(200);
    const after = await getCreditPolicy(getDb());
    expect(after.rules).toHaveLength(STANDARD_CREDIT_POLICY.rules.length - 1);
    expect(after.rules.map((r) => r.metric)).not.toContain(undefined);
  });
});

describe("two people editing the policy", () => {
  it("refuses a save based on a policy someone changed since, with theirs; a forged version changes nothing", async () => {
    const head = await signedInAs("head");
    // The form as the first head opened it, then another save comes first.
    const opened = await formPost((f) => (f["grades.0.graceDays"] = "11"));
    const first = await call(action, post("/credit/grades", await formPost((f) => (f["grades.1.graceDays"] = "12")), head.cookie));
    expect(statusOf(first)).toBe(200);
    const stored = await getCreditPolicy(getDb());

    const stale = await call(action, post("/credit/grades", opened, head.cookie));
    expect(statusOf(stale)).toBe(409);
    expect(payloadOf(stale)).toMatchObject({ ok: false, code: "conflict", message: "credit.validation.policyConflict" });
    expect(payloadOf<{ current: { grades: { graceDays: number }[] } }>(stale).current.grades[1]?.graceDays).toBe(12);
    expect(await getCreditPolicy(getDb())).toEqual(stored);

    for (const basedOn of ["", "nonsense", "0123456789ABCDEF"]) {
      const forged = await call(action, post("/credit/grades", { ...opened, basedOn }, head.cookie));
      expect(statusOf(forged)).toBe(400);
      expect(payloadOf<{ fieldErrors: Record<string, string[]> }>(forged).fieldErrors.basedOn).toEqual(["credit.validation.staleForm"]);
    }
    const { basedOn: _dropped, ...withoutVersion } = opened;
    expect(statusOf(await call(action, post("/credit/grades", withoutVersion, head.cookie)))).toBe(400);
    expect(await getCreditPolicy(getDb())).toEqual(stored);

    // Based on what is stored now, the same change goes through.
    expect(statusOf(await call(action, post("/credit/grades", await formPost((f) => (f["grades.0.graceDays"] = "11")), head.cookie)))).toBe(200);
  });
});

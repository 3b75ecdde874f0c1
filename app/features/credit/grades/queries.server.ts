import type { CreditGrade, CreditPolicy, CreditRule } from "~/features/credit/grades/grades";
import { policyVersion } from "~/features/credit/grades/grades";
import type { Db } from "~/server/db.server";
import { recordAudit } from "~/features/audit/index.server";

export interface StoredCreditPolicy extends CreditPolicy {
  /** the latest change to any grade, ISO timestamp */
  updatedAt: string | null;
  updatedByName: string | null;
}

/** The grades (best first) and the rules (in their order). The migration seeds the standard set. */
export async function getCreditPolicy(db: Db): Promise<StoredCreditPolicy> {
  const [gradeRows, ruleRows] = await Promise.all([
    db
      .selectFrom("credit_grades")
      .leftJoin("users", "users.id", "credit_grades.updated_by")
      .select([
        "credit_grades.code",
        "credit_grades.payment_terms_days",
        "credit_grades.grace_days",
        "credit_grades.stop_shipment_days",
        "credit_grades.review_months",
        "credit_grades.limit_policy",
        "credit_grades.limit_months_tenths",
        "credit_grades.updated_at",
        "users.name as updatedByName",
      ])
      .orderBy("credit_grades.rank")
      .execute(),
    db.selectFrom("credit_rules").selectAll().orderBy("position").orderBy("id").execute(),
  ]);
  const grades: CreditGrade[] = gradeRows.map((row) => ({
    code: row.code,
    paymentTermsDays: row.payment_terms_days,
    graceDays: row.grace_days,
    stopShipmentDays: row.stop_shipment_days,
    reviewMonths: row.review_months,
    limitPolicy: row.limit_policy,
    limitMonthsOfSales: row.limit_months_tenths / 10,
  }));
  const rules: CreditRule[] = ruleRows.map((row) => ({
    metric: row.metric,
    comparator: row.comparator,
    threshold: row.threshold_hundredths / 100,
    action: row.action,
    toGrade: row.to_grade,
  }));
  const latest = gradeRows.reduce<(typeof gradeRows)[number] | null>(
    (best, row) => (best === null || row.updated_at > best.updated_at ? row : best),
    null,
  );
  return { grades, rules, updatedAt: latest?.updated_at ?? null, updatedByName: latest?.updatedByName ?? null };
}

export type SavePolicyResult =
  | { ok: true; changed: boolean }
  | { ok: false; error: "gradesChanged" }
  | { ok: false; error: "conflict"; current: Pick<CreditPolicy, "grades" | "rules"> };

/**
 * Replaces the grades' terms and the whole rule list in one transaction, audited with before and
 * after. The grade codes and their order are fixed here: customers carry their grade's code, so
 * renaming, dropping or reordering grades is a migration of customers, not a form edit.
 * An unchanged policy writes nothing (and no audit entry).
 */
export async function saveCreditPolicy(
  db: Db,
  policy: CreditPolicy,
  userId: number,
  now = new Date(),
  basedOn: string | null = null,
): Promise<SavePolicyResult> {
  return db.transaction().execute(async (trx) => {
    const before = await getCreditPolicy(trx);
    const plainBefore = { grades: before.grades, rules: before.rules };
    // Someone saved since the form was shown (an unchanged save is let through below).
    if (basedOn !== null && basedOn !== policyVersion(plainBefore) && JSON.stringify(plainBefore) !== JSON.stringify({ grades: policy.grades, rules: policy.rules })) {
      return { ok: false as const, error: "conflict" as const, current: plainBefore };
    }
    const beforeCodes = before.grades.map((g) => g.code).join(",");
    if (policy.grades.map((g) => g.code).join(",") !== beforeCodes) return { ok: false as const, error: "gradesChanged" as const };
    const plain = (p: CreditPolicy) => ({ grades: p.grades, rules: p.rules });
    if (JSON.stringify(plain(before)) === JSON.stringify(plain(policy))) return { ok: true as const, changed: false };

    const at = now.toISOString();
    for (const grade of policy.grades) {
      const old = before.grades.find((g) => g.code === grade.code);
      if (JSON.stringify(old) === JSON.stringify(grade)) continue;
      await trx
        .updateTable("credit_grades")
        .set({
          payment_terms_days: grade.paymentTermsDays,
          grace_days: grade.graceDays,
          stop_shipment_days: grade.stopShipmentDays,
          review_months: grade.reviewMonths,
          limit_policy: grade.limitPolicy,
          limit_months_tenths: Math.round(grade.limitMonthsOfSales * 10),
          updated_by: userId,
          updated_at: at,
        })
        .where("code", "=", grade.code)
        .execute();
    }
    await trx.deleteFrom("credit_rules").execute();
    if (policy.rules.length > 0) {
      await trx
        .insertInto("credit_rules")
        .values(
          policy.rules.map((rule, position) => ({
            position,
            metric: rule.metric,
            comparator: rule.comparator,
            threshold_hundredths: Math.round(rule.threshold * 100),
            action: rule.action,
            to_grade: rule.action === "to-grade" ? rule.toGrade : null,
          })),
        )
        .execute();
    }
    // Rules carry no updated_at of their own: a rule-only change still dates the policy.
    if (JSON.stringify(before.grades) === JSON.stringify(policy.grades)) {
      await trx.updateTable("credit_grades").set({ updated_by: userId, updated_at: at }).where("rank", "=", 0).execute();
    }
    await recordAudit(trx, { userId, entity: "credit_policy", entityId: "grades", action: "update", before: plain(before), after: plain(policy) }, now);
    return { ok: true as const, changed: true };
  });
}

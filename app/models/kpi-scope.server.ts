import type { Db } from "~/db.server";

/** The regions, credit grades and owners the dashboard's scope picker offers: those the customers have. */
export interface KpiScopeChoices {
  regions: string[];
  grades: string[];
  /** users who own at least one customer */
  owners: { email: string; name: string }[];
}

export async function kpiScopeChoices(db: Db): Promise<KpiScopeChoices> {
  const [regions, grades, owners] = await Promise.all([
    db.selectFrom("customers").select("region").distinct().where("region", "is not", null).orderBy("region").execute(),
    db
      .selectFrom("customers")
      .select("credit_grade")
      .distinct()
      .where("credit_grade", "is not", null)
      .orderBy("credit_grade")
      .execute(),
    db
      .selectFrom("users")
      .select(["users.email", "users.name"])
      .where("users.id", "in", db.selectFrom("customers").select("owner_id").where("owner_id", "is not", null))
      .orderBy("users.name")
      .execute(),
  ]);
  return {
    regions: regions.map((r) => r.region).filter((r): r is string => r !== null),
    grades: grades.map((g) => g.credit_grade).filter((g): g is string => g !== null),
    owners: owners.map((o) => ({ email: o.email, name: o.name })),
  };
}

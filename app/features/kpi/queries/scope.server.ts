import { sql } from "kysely";

import type { Db } from "~/server/db.server";
import type { KpiScope } from "~/features/kpi/scope";

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

/**
 * What people call the owners and customers some scopes name: `owner:EMAIL` → the user's name,
 * `customer:CODE` → "CODE name". Keyed by scope text; scopes it cannot name are left out.
 */
export async function scopeNames(db: Db, scopes: readonly KpiScope[]): Promise<Record<string, string>> {
  const emails = [...new Set(scopes.flatMap((scope) => (scope.type === "owner" ? [scope.email] : [])))];
  const codes = [...new Set(scopes.flatMap((scope) => (scope.type === "customer" ? [scope.code] : [])))];
  const names: Record<string, string> = {};
  if (emails.length > 0) {
    const users = await db.selectFrom("users").select(["email", "name"]).where("email", "in", emails).execute();
    for (const user of users) names[`owner:${user.email.toLowerCase()}`] = user.name;
  }
  if (codes.length > 0) {
    const customers = await db.selectFrom("customers").select(["code", "name"]).where("code", "in", codes).execute();
    for (const customer of customers) names[`customer:${customer.code}`] = `${customer.code} ${customer.name}`;
  }
  return names;
}

export interface CustomerOption {
  code: string;
  name: string;
}

/** Up to `limit` customers whose code or name holds `text` (any case), codes first, for the scope picker's search. */
export async function searchCustomers(db: Db, text: string, limit = 20): Promise<CustomerOption[]> {
  const query = text.trim().toLowerCase();
  if (query === "") return [];
  const pattern = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .selectFrom("customers")
    .select(["code", "name"])
    .where(sql<boolean>`(lower(code) like ${pattern} escape '\\' or lower(name) like ${pattern} escape '\\')`)
    .orderBy(sql`case when lower(code) like ${`${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\' then 0 else 1 end`)
    .orderBy("code")
    .limit(limit)
    .execute();
}

/**
 * Who may read which provisions: head and leadership every scope; staff only their own customers'
 * (`owner:<their email>` or one customer of theirs). Unlike the KPIs, not the company's: the
 * named-customer list names other owners' customers and why they are doubtful.
 */
import { type KpiAccess, kpiAccess } from "~/features/kpi";
import type { KpiScope } from "~/features/kpi";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import type { Role } from "~/kernel/permissions";

export function provisionAccess(user: { id: number; role: Role; email: string }, scope: KpiScope): KpiAccess {
  const access = kpiAccess(user, scope);
  if (access.kind === "allowed" && scope.type === "company" && ledgerScopeOf(user).kind !== "all") {
    return { kind: "forbidden", message: `staff may ask for their own customers' provisions: owner:${user.email.toLowerCase()} or customer:CODE of one of them` };
  }
  return access;
}

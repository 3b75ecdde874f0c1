/**
 * Which KPI scopes a user may read (the CLI runs as the operator and is not limited).
 * `ledger:read` is required at all: administrators manage users, not business data.
 * Head and leadership read every scope. Staff read the company-wide figures (everyone sees them
 * on the dashboard), their own book (`owner:<their email>`) and each customer they own; not
 * another owner's book or customers, and not regions or grades, which can be a handful of other
 * owners' customers and would give their figures away.
 */
import type { KpiScope } from "./scope";
import { ledgerScopeOf } from "~/kernel/ledger/scope";
import { type Role, can } from "~/kernel/permissions";

export interface KpiReader {
  id: number;
  role: Role;
  email: string;
}

export type KpiAccess =
  | { kind: "allowed" }
  | { kind: "forbidden"; message: string }
  /** allowed when the customer is the reader's own (looked up by the caller: it needs the ledger) */
  | { kind: "own-customer-only"; code: string };

export function canReadKpis(user: KpiReader): boolean {
  return can(user, "ledger:read");
}

export function kpiAccess(user: KpiReader, scope: KpiScope): KpiAccess {
  if (!canReadKpis(user)) return { kind: "forbidden", message: "your role does not see ledger figures" };
  if (ledgerScopeOf(user).kind === "all") return { kind: "allowed" };
  switch (scope.type) {
    case "company":
      return { kind: "allowed" };
    case "owner":
      return scope.email === user.email.toLowerCase()
        ? { kind: "allowed" }
        : { kind: "forbidden", message: `you may ask for your own customers (owner:${user.email.toLowerCase()}), not another owner's` };
    case "customer":
      return { kind: "own-customer-only", code: scope.code };
    case "region":
    case "grade":
      return {
        kind: "forbidden",
        message: `staff may ask for company, owner:${user.email.toLowerCase()} or customer:CODE of their own customers, not ${scope.type} figures`,
      };
  }
}

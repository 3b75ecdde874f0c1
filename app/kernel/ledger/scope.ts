/**
 * Whose customers a user sees on the ledger screens. `ledger:read` opens the screens; within
 * them staff see their own book of customers (PRODUCT.md: "see their customers"), everyone
 * else with the permission sees every customer. Every ledger query takes a scope, so the rule
 * is applied where the rows are read, not by the page that shows them.
 */
import type { Role } from "~/kernel/permissions";

export type LedgerScope = { kind: "all" } | { kind: "owner"; ownerId: number };

const OWN_CUSTOMERS_ONLY: readonly Role[] = ["staff"];

export function ledgerScopeOf(user: { id: number; role: Role }): LedgerScope {
  return OWN_CUSTOMERS_ONLY.includes(user.role) ? { kind: "owner", ownerId: user.id } : { kind: "all" };
}

/** True when a customer with this owner is inside the scope (an unowned customer is nobody's own). */
export function scopeAllows(scope: LedgerScope, ownerId: number | null): boolean {
  return scope.kind === "all" || ownerId === scope.ownerId;
}

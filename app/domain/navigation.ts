import { type Permission, type Role, can } from "./permissions";

export interface NavItem {
  to: string;
  /** i18n key */
  label: string;
}

/**
 * Navigation entries and the permission each needs; the menu shows only what the role may open.
 * `/` is the KPI dashboard for whoever reads the ledger (its label says so) and a plain home page
 * for the others (the administrator).
 */
// `own`: shown when the role holds the permission on the user's own records (head and staff for My tasks).
const NAVIGATION: readonly (NavItem & { permission: Permission; own?: true; labelWith?: { permission: Permission; label: string } })[] = [
  { to: "/", label: "nav.home", permission: "app:use", labelWith: { permission: "ledger:read", label: "nav.dashboard" } },
  { to: "/plans", label: "plans.nav", permission: "plan:read" },
  { to: "/review", label: "review.nav", permission: "review:read" },
  { to: "/tasks", label: "planItems.nav", permission: "plan-item:update", own: true },
  { to: "/customers", label: "nav.customers", permission: "ledger:read" },
  { to: "/invoices", label: "nav.invoices", permission: "ledger:read" },
  { to: "/status", label: "status.nav", permission: "ledger:read" },
  { to: "/scoreboard", label: "scoreboard.nav", permission: "ledger:read" },
  { to: "/credit", label: "credit.nav", permission: "ledger:read" },
  { to: "/import", label: "nav.import", permission: "ledger:import" },
  { to: "/admin/users", label: "nav.users", permission: "users:manage" },
  { to: "/admin/settings", label: "installation.nav", permission: "settings:manage" },
  { to: "/settings", label: "nav.settings", permission: "app:use" },
];

export function navigationFor(user: { id: number; role: Role }): NavItem[] {
  return NAVIGATION.filter((item) => can(user, item.permission, item.own ? { ownerId: user.id } : undefined)).map(({ to, label, labelWith }) => ({
    to,
    label: labelWith && can(user, labelWith.permission) ? labelWith.label : label,
  }));
}

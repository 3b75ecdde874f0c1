import { type Permission, type Role, can } from "./permissions";

export interface NavItem {
  to: string;
  /** i18n key */
  label: string;
  /** current only on this very page: another entry is a page under it (/status and /status/published) */
  exact?: true;
}

/** The top bar's menus: a handful of entries, the rest grouped so the bar stays one row. */
export type NavGroupKey = "ledger" | "reports";

export type NavEntry =
  | ({ kind: "link" } & NavItem)
  | { kind: "group"; key: NavGroupKey; /** i18n key */ label: string; items: NavItem[] };

const GROUP_LABELS: Record<NavGroupKey, string> = { ledger: "nav.groups.ledger", reports: "nav.groups.reports" };

/**
 * Navigation entries and the permission each needs; the menu shows only what the role may open.
 * `/` is the KPI dashboard for whoever reads the ledger (its label says so) and a plain home page
 * for the others (the administrator).
 */
// `own`: shown when the role holds the permission on the user's own records (head and staff for My tasks).
const NAVIGATION: readonly (NavItem & {
  permission: Permission;
  own?: true;
  labelWith?: { permission: Permission; label: string };
  group?: NavGroupKey;
})[] = [
  { to: "/", label: "nav.home", permission: "app:use", labelWith: { permission: "ledger:read", label: "nav.dashboard" } },
  { to: "/plans", label: "plans.nav", permission: "plan:read" },
  { to: "/tasks", label: "planItems.nav", permission: "plan-item:update", own: true },
  { to: "/customers", label: "nav.customers", permission: "ledger:read", group: "ledger" },
  { to: "/invoices", label: "nav.invoices", permission: "ledger:read", group: "ledger" },
  { to: "/import", label: "nav.import", permission: "ledger:import", group: "ledger" },
  { to: "/status", label: "status.nav", permission: "ledger:read", group: "reports" },
  { to: "/status/published", label: "status.published.nav", permission: "status:publications", group: "reports" },
  { to: "/forecast", label: "forecast.nav", permission: "ledger:read", group: "reports" },
  { to: "/forecast/push", label: "pushOverview.nav", permission: "ledger:read", group: "reports" },
  { to: "/review", label: "review.nav", permission: "review:read", group: "reports" },
  { to: "/scoreboard", label: "scoreboard.nav", permission: "ledger:read", group: "reports" },
  { to: "/warnings", label: "warnings.nav", permission: "ledger:read", group: "reports" },
  { to: "/provisions", label: "provisions.nav", permission: "ledger:read", group: "reports" },
  { to: "/credit", label: "credit.nav", permission: "ledger:read" },
  { to: "/admin/users", label: "nav.users", permission: "users:manage" },
  { to: "/admin/settings", label: "installation.nav", permission: "settings:manage" },
  { to: "/settings", label: "nav.settings", permission: "app:use" },
];

function allowed(user: { id: number; role: Role }) {
  const items = NAVIGATION.filter((item) => can(user, item.permission, item.own ? { ownerId: user.id } : undefined));
  return items.map(({ to, label, labelWith, group }) => ({
    to,
    label: labelWith && can(user, labelWith.permission) ? labelWith.label : label,
    group,
    ...(items.some((other) => other.to.startsWith(`${to}/`)) ? { exact: true as const } : {}),
  }));
}

const asNavItem = ({ to, label, exact }: NavItem): NavItem => ({ to, label, ...(exact ? { exact } : {}) });

/** Every page the role may open from the menu, in menu order. */
export function navigationFor(user: { id: number; role: Role }): NavItem[] {
  return allowed(user).map(asNavItem);
}

/**
 * The same pages as the top bar shows them: a group sits where its first page would, and a group
 * the role would see only one page of is that page's plain link.
 */
export function navigationMenu(user: { id: number; role: Role }): NavEntry[] {
  const items = allowed(user);
  const entries: NavEntry[] = [];
  for (const item of items) {
    const link = asNavItem(item);
    if (!item.group) {
      entries.push({ kind: "link", ...link });
      continue;
    }
    const members = items.filter((other) => other.group === item.group);
    if (members.length === 1) entries.push({ kind: "link", ...link });
    else if (members[0] === item) entries.push({ kind: "group", key: item.group, label: GROUP_LABELS[item.group], items: members.map(asNavItem) });
  }
  return entries;
}

/** Whether a menu link is the page being shown (or a page under it); `/` only for itself. */
export function isCurrentSection(to: string, pathname: string, exact = false): boolean {
  if (to === "/" || exact) return pathname === to;
  return pathname === to || pathname.startsWith(`${to}/`);
}

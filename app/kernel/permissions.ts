import { isOneOf } from "./guards";

/**
 * Who may do what, as data. Deny by default: a permission not listed for a role is refused.
 * `:own` permissions apply only to records the user owns; the route passes the owner to check.
 * The UI reads this map only to hide controls; every loader and action enforces it.
 */
export const ROLES = ["head", "staff", "leader", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "app:use",
  "users:manage",
  "settings:manage",
  "ledger:read",
  "ledger:import",
  "plan:read",
  "plan:edit",
  "plan:approve",
  "plan-item:update",
  "plan-item:update:own",
  "plan:comment",
  "credit:review",
  "credit:approve",
  "collection:log",
  "collection:log:own",
  "review:read",
  "review:comment",
  "api-token:manage",
  "provision:edit",
  "provision:approve",
  "status:publications",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  head: [
    "app:use",
    "ledger:read",
    "ledger:import",
    "plan:read",
    "plan:edit",
    "plan-item:update",
    "plan:comment",
    "credit:review",
    "collection:log",
    "review:read",
    "api-token:manage",
    "provision:edit",
    "status:publications",
  ],
  staff: [
    "app:use",
    "ledger:read",
    "plan:read",
    "plan-item:update:own",
    "plan:comment",
    "collection:log:own",
    "review:read",
    "api-token:manage",
  ],
  leader: [
    "app:use",
    "ledger:read",
    "plan:read",
    "plan:approve",
    "plan:comment",
    "credit:approve",
    "review:read",
    "review:comment",
    "api-token:manage",
    "provision:approve",
    "status:publications",
  ],
  admin: ["app:use", "users:manage", "settings:manage", "api-token:manage"],
};

export function isRole(value: unknown): value is Role {
  return isOneOf(ROLES, value);
}

/**
 * True when `role` holds `permission`, or holds its `:own` variant and the record is the user's.
 * `ownerId` undefined means "no particular record": only the unrestricted permission counts.
 */
export function can(
  user: { id: number; role: Role },
  permission: Permission,
  record?: { ownerId: number | null },
): boolean {
  const granted = ROLE_PERMISSIONS[user.role] ?? [];
  if (granted.includes(permission)) return true;
  const own = `${permission}:own`;
  return record !== undefined && record.ownerId === user.id && granted.some((p) => p === own);
}

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

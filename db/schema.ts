import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** ISO timestamp (UTC, `2026-11-23T16:44:09.000Z`) stored as text: portable across SQLite and Postgres. */
type Timestamp = string;
/** 0/1 in SQLite; kept numeric so the same code reads Postgres smallints. */
type Flag = ColumnType<number, number | undefined, number>;

export type Role = "head" | "staff" | "leader" | "admin";
export type Locale = "en" | "zh-CN";
export type AmountUnit = "yuan" | "wan";

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  /** null for users created by a ledger import who have never been given a password */
  password_hash: string | null;
  active: Flag;
  locale: ColumnType<Locale, Locale | undefined, Locale>;
  amount_unit: ColumnType<AmountUnit, AmountUnit | undefined, AmountUnit>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  /** sha256 of the cookie token: a stolen database does not yield live sessions */
  id: string;
  user_id: number;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginThrottleTable {
  /** `ip:<address>` or `account:<email>` */
  key: string;
  failures: number;
  last_failure_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  user_id: number | null;
  entity: string;
  entity_id: string;
  action: string;
  /** JSON text */
  before: string | null;
  /** JSON text */
  after: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type AuditEntry = Selectable<AuditLogTable>;

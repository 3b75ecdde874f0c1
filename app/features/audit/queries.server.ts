import type { Db } from "~/server/db.server";

export interface AuditInput {
  userId: number | null;
  entity: string;
  entityId: string | number;
  action: string;
  before?: unknown;
  after?: unknown;
}

/** Append-only: there is no update or delete for audit entries anywhere in the app. */
export async function recordAudit(db: Db, entry: AuditInput, at = new Date()): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      at: at.toISOString(),
      user_id: entry.userId,
      entity: entry.entity,
      entity_id: String(entry.entityId),
      action: entry.action,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}

export function listAuditFor(db: Db, entity: string, entityId: string | number) {
  return db
    .selectFrom("audit_log")
    .leftJoin("users", "users.id", "audit_log.user_id")
    .select(["audit_log.id", "audit_log.at", "audit_log.action", "audit_log.before", "audit_log.after", "users.name as userName"])
    .where("audit_log.entity", "=", entity)
    .where("audit_log.entity_id", "=", String(entityId))
    .orderBy("audit_log.id", "desc")
    .execute();
}

/** One action's entries for many records of an entity since a moment, newest first, in one query. */
export function listAuditActions(db: Db, entity: string, entityIds: (string | number)[], action: string, since: string) {
  return db
    .selectFrom("audit_log")
    .leftJoin("users", "users.id", "audit_log.user_id")
    .select(["audit_log.id", "audit_log.at", "audit_log.entity_id", "audit_log.after", "users.name as userName"])
    .where("audit_log.entity", "=", entity)
    .where("audit_log.entity_id", "in", entityIds.length === 0 ? [""] : entityIds.map(String))
    .where("audit_log.action", "=", action)
    .where("audit_log.at", ">=", since)
    .orderBy("audit_log.id", "desc")
    .execute();
}

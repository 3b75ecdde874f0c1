import type { HoldKind } from "~/features/credit/holds/holds";
import type { Db } from "~/server/db.server";
import { recordAudit } from "~/features/audit/index.server";

export interface HoldRow {
  id: number;
  customerId: number;
  kind: HoldKind;
  reason: string;
  setAt: string;
  setByName: string | null;
  releasedAt: string | null;
  releasedByName: string | null;
  releaseReason: string | null;
}

function holdsQuery(db: Db) {
  return db
    .selectFrom("customer_holds as h")
    .leftJoin("users as setter", "setter.id", "h.set_by")
    .leftJoin("users as releaser", "releaser.id", "h.released_by")
    .select([
      "h.id",
      "h.customer_id as customerId",
      "h.kind",
      "h.reason",
      "h.set_at as setAt",
      "setter.name as setByName",
      "h.released_at as releasedAt",
      "releaser.name as releasedByName",
      "h.release_reason as releaseReason",
    ]);
}

/** The hold in force (at most one per customer), or null. */
export async function currentHold(db: Db, customerId: number): Promise<HoldRow | null> {
  const row = await holdsQuery(db).where("h.customer_id", "=", customerId).where("h.released_at", "is", null).executeTakeFirst();
  return row ?? null;
}

/** Every hold the customer has had, newest first. */
export function holdHistory(db: Db, customerId: number): Promise<HoldRow[]> {
  return holdsQuery(db).where("h.customer_id", "=", customerId).orderBy("h.set_at", "desc").orderBy("h.id", "desc").execute();
}

/** Customers on hold now, with the customer's code and name, stop shipment first. */
export function listCurrentHolds(db: Db) {
  return holdsQuery(db)
    .innerJoin("customers as c", "c.id", "h.customer_id")
    .select(["c.code as customerCode", "c.name as customerName"])
    .where("h.released_at", "is", null)
    .orderBy("h.kind", "desc")
    .orderBy("c.code")
    .execute();
}

export async function countCustomersOnHold(db: Db): Promise<number> {
  const row = await db
    .selectFrom("customer_holds")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("released_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type HoldChangeResult = { ok: true; hold: HoldRow | null } | { ok: false; error: "sameHold" | "noHold" | "unknownCustomer" };

/**
 * Puts a customer on hold. Changing the kind of a hold in force releases the old row (its
 * release reason says what replaced it) and opens a new one, so the history reads in order.
 */
export async function setHold(
  db: Db,
  input: { customerId: number; kind: HoldKind; reason: string },
  userId: number,
  now = new Date(),
): Promise<HoldChangeResult> {
  return db.transaction().execute(async (trx) => {
    const customer = await trx.selectFrom("customers").select("id").where("id", "=", input.customerId).executeTakeFirst();
    if (!customer) return { ok: false as const, error: "unknownCustomer" as const };
    const before = await currentHold(trx, input.customerId);
    if (before?.kind === input.kind) return { ok: false as const, error: "sameHold" as const };
    const at = now.toISOString();
    if (before) {
      await trx
        .updateTable("customer_holds")
        .set({ released_at: at, released_by: userId, release_reason: `→ ${input.kind}: ${input.reason}` })
        .where("id", "=", before.id)
        .execute();
    }
    await trx
      .insertInto("customer_holds")
      .values({ customer_id: input.customerId, kind: input.kind, reason: input.reason, set_by: userId, set_at: at })
      .execute();
    const after = await currentHold(trx, input.customerId);
    await recordAudit(
      trx,
      {
        userId,
        entity: "customer_hold",
        entityId: input.customerId,
        action: before ? "change" : "set",
        before: before ? { kind: before.kind, reason: before.reason } : null,
        after: { kind: input.kind, reason: input.reason },
      },
      now,
    );
    return { ok: true as const, hold: after };
  });
}

export async function releaseHold(
  db: Db,
  input: { customerId: number; reason: string },
  userId: number,
  now = new Date(),
): Promise<HoldChangeResult> {
  return db.transaction().execute(async (trx) => {
    const before = await currentHold(trx, input.customerId);
    if (!before) return { ok: false as const, error: "noHold" as const };
    await trx
      .updateTable("customer_holds")
      .set({ released_at: now.toISOString(), released_by: userId, release_reason: input.reason })
      .where("id", "=", before.id)
      .execute();
    await recordAudit(
      trx,
      {
        userId,
        entity: "customer_hold",
        entityId: input.customerId,
        action: "release",
        before: { kind: before.kind, reason: before.reason },
        after: { released: true, reason: input.reason },
      },
      now,
    );
    return { ok: true as const, hold: null };
  });
}

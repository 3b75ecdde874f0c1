import type { Db } from "~/server/db.server";
import type { AmountUnit, Locale, Role } from "../../../db/schema";
import { recordAudit } from "~/features/audit/index.server";
import { findUserById, updateUser } from "~/features/users/index.server";
import { AppError } from "~/kernel/app-error";

import { type CompanyLetterhead, type InstallationSettings, countPlans, getSettings, setSetting } from "./queries.server";

/** The administrator's settings page: the settings, and how many plans a change would concern. */
export async function installationSettingsPage(db: Db): Promise<{ settings: InstallationSettings; plans: number }> {
  return { settings: await getSettings(db), plans: await countPlans(db) };
}

/** Saves the fiscal year's first month, audited; saving the value it already has changes nothing. */
export async function saveInstallationSettings(
  db: Db,
  actorId: number,
  next: { fiscalStartMonth: number; basedOn: number },
  now = new Date(),
): Promise<void> {
  const before = await getSettings(db);
  if (before.fiscalStartMonth === next.fiscalStartMonth) return;
  if (before.fiscalStartMonth !== next.basedOn) throw AppError.conflict("installation.conflict", { fiscalStartMonth: before.fiscalStartMonth });
  await db.transaction().execute(async (trx) => {
    await setSetting(trx, "fiscal_start_month", String(next.fiscalStartMonth));
    await recordAudit(
      trx,
      {
        userId: actorId,
        entity: "settings",
        entityId: "fiscal_start_month",
        action: "updated",
        before: { fiscalStartMonth: before.fiscalStartMonth },
        after: { fiscalStartMonth: next.fiscalStartMonth },
      },
      now,
    );
  });
}

/** Which roles must sign in with two factors (none, some, all), audited; the same list changes nothing. */
export async function saveTwoFactorRoles(db: Db, actorId: number, next: { twoFactorRoles: Role[]; basedOn: Role[] }, now = new Date()): Promise<void> {
  const before = await getSettings(db);
  if (before.twoFactorRoles.join(",") === next.twoFactorRoles.join(",")) return;
  if (before.twoFactorRoles.join(",") !== next.basedOn.join(",")) throw AppError.conflict("installation.conflict", { twoFactorRoles: before.twoFactorRoles });
  await db.transaction().execute(async (trx) => {
    await setSetting(trx, "two_factor_roles", next.twoFactorRoles.join(","));
    await recordAudit(
      trx,
      {
        userId: actorId,
        entity: "settings",
        entityId: "two_factor_roles",
        action: "updated",
        before: { twoFactorRoles: before.twoFactorRoles },
        after: { twoFactorRoles: next.twoFactorRoles },
      },
      now,
    );
  });
}

/** The signed-in user's preferences: each changed one saved (and audited) on its own. */
export async function savePreferences(db: Db, userId: number, next: { locale: Locale; amountUnit: AmountUnit }): Promise<void> {
  const current = await findUserById(db, userId);
  if (!current) throw AppError.notFound();
  if (current.locale !== next.locale) await updateUser(db, userId, { locale: next.locale }, userId);
  if (current.amount_unit !== next.amountUnit) await updateUser(db, userId, { amountUnit: next.amountUnit }, userId);
}

/**
 * The company's name, address and contact line as its letters print them, audited; a save based
 * on values another administrator has changed since is refused (409); the same values change nothing.
 */
export async function saveCompanyLetterhead(db: Db, actorId: number, next: { company: CompanyLetterhead; basedOn: CompanyLetterhead }, now = new Date()): Promise<void> {
  const before = (await getSettings(db)).company;
  const same = (a: CompanyLetterhead, b: CompanyLetterhead) => a.name === b.name && a.address === b.address && a.contact === b.contact;
  if (same(before, next.company)) return;
  if (!same(before, next.basedOn)) throw AppError.conflict("installation.conflict", { company: before });
  await db.transaction().execute(async (trx) => {
    await setSetting(trx, "company_name", next.company.name);
    await setSetting(trx, "company_address", next.company.address);
    await setSetting(trx, "company_contact", next.company.contact);
    await recordAudit(trx, { userId: actorId, entity: "settings", entityId: "company", action: "updated", before, after: next.company }, now);
  });
}

/**
 * The administrator's chat robots. Webhook URLs carry their access token and secrets sign
 * messages: both are sealed (AES-256-GCM) with QUARTERDECK_SECRET_KEY when it is set; without
 * it they are stored as typed and the page says so.
 */
import type { Db } from "~/server/db.server";
import { sealSecret } from "~/server/secret-box.server";
import { AppError } from "~/kernel/app-error";
import { can, type Role } from "~/kernel/permissions";
import type { Locale } from "~/i18n";
import { activeRobots, deactivateRobot, insertRobot } from "~/features/notifications/queries.server";

type Admin = { id: number; role: Role };

function requireAdmin(actor: Admin) {
  if (!can(actor, "settings:manage")) throw AppError.forbidden();
}

export function secretKeyConfigured(): boolean {
  return Boolean(process.env.QUARTERDECK_SECRET_KEY?.trim());
}

/** The robots for the page: never their URL or secret, only where the URL points. */
export async function loadRobots(db: Db, actor: Admin) {
  requireAdmin(actor);
  const robots = (await activeRobots(db)).map((robot) => ({ id: robot.id, kind: robot.kind, name: robot.name, locale: robot.locale, signed: robot.secret !== null }));
  return { robots, keyConfigured: secretKeyConfigured() };
}

export async function addRobot(
  db: Db,
  actor: Admin,
  input: { kind: "wecom" | "dingtalk" | "feishu"; name: string; url: string; secret: string | null; locale: Locale },
  now = new Date(),
): Promise<number> {
  requireAdmin(actor);
  return insertRobot(db, {
    kind: input.kind,
    name: input.name,
    url: sealSecret(input.url),
    secret: input.secret === null ? null : sealSecret(input.secret),
    locale: input.locale,
    createdBy: actor.id,
    at: now.toISOString(),
  });
}

export async function removeRobot(db: Db, actor: Admin, robotId: number): Promise<void> {
  requireAdmin(actor);
  if (!(await deactivateRobot(db, robotId))) throw AppError.notFound();
}

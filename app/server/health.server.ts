import { Migrator, sql } from "kysely";

import { migrationProvider } from "../../db/migrations/index";
import type { Db } from "./db.server";

/** A run still "running" after this long has lost its process: imports take seconds to minutes. */
export const STUCK_IMPORT_MINUTES = 60;

export interface Readiness {
  ready: boolean;
  checks: {
    database: "ok" | "unreachable";
    migrations: "current" | "pending" | "unknown";
    imports: "ok" | "stuck" | "unknown";
  };
  pendingMigrations: string[];
  stuckImports: number[];
}

/**
 * What `/readyz` answers: the database answers, every migration has run, and no import has been
 * "running" for longer than any import takes. Without a session, for load balancers and monitors;
 * it names no data, only migration names and import run ids.
 */
export async function readiness(db: Db, now = new Date()): Promise<Readiness> {
  const result: Readiness = {
    ready: false,
    checks: { database: "unreachable", migrations: "unknown", imports: "unknown" },
    pendingMigrations: [],
    stuckImports: [],
  };
  try {
    await sql`select 1`.execute(db);
  } catch {
    return result;
  }
  result.checks.database = "ok";
  const migrations = await new Migrator({ db, provider: migrationProvider }).getMigrations();
  result.pendingMigrations = migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
  result.checks.migrations = result.pendingMigrations.length === 0 ? "current" : "pending";
  if (result.checks.migrations === "current") {
    const startedBefore = new Date(now.getTime() - STUCK_IMPORT_MINUTES * 60_000).toISOString();
    const stuck = await db.selectFrom("import_runs").select("id").where("status", "=", "running").where("started_at", "<", startedBefore).execute();
    result.stuckImports = stuck.map((row) => row.id);
    result.checks.imports = stuck.length === 0 ? "ok" : "stuck";
  }
  result.ready = result.checks.migrations === "current" && result.checks.imports === "ok";
  return result;
}

import { type Db, pendingMigrationNames, pingDatabase, runningImportsStartedBefore } from "./db.server";
import type { ReplicaHealth } from "./replica.server";

/** A run still "running" after this long has lost its process: imports take seconds to minutes. */
export const STUCK_IMPORT_MINUTES = 60;

export interface Readiness {
  ready: boolean;
  checks: {
    database: "ok" | "unreachable";
    migrations: "current" | "pending" | "unknown";
    imports: "ok" | "stuck" | "unknown";
    /** the read replica (DATABASE_REPLICA_URL): "degraded" when views read from the primary instead */
    replica: "none" | "ok" | "degraded";
  };
  /** the replica's state when there is one: unreachable or lagging, how far, and why */
  replica: ReplicaHealth | null;
  pendingMigrations: string[];
  stuckImports: number[];
}

/**
 * What `/readyz` answers: the database answers, every migration has run, and no import has been
 * "running" for longer than any import takes. Without a session, for load balancers and monitors;
 * it names no data, only migration names and import run ids. A read replica that is down or far
 * behind does not make the app unready (views read from the primary then): the body says it is
 * degraded.
 */
export async function readiness(db: Db, now = new Date(), replica: ReplicaHealth | null = null): Promise<Readiness> {
  const result: Readiness = {
    ready: false,
    checks: { database: "unreachable", migrations: "unknown", imports: "unknown", replica: replica === null ? "none" : replica.state === "ok" ? "ok" : "degraded" },
    replica,
    pendingMigrations: [],
    stuckImports: [],
  };
  if (!(await pingDatabase(db))) return result;
  result.checks.database = "ok";
  result.pendingMigrations = await pendingMigrationNames(db);
  result.checks.migrations = result.pendingMigrations.length === 0 ? "current" : "pending";
  if (result.checks.migrations === "current") {
    const startedBefore = new Date(now.getTime() - STUCK_IMPORT_MINUTES * 60_000).toISOString();
    result.stuckImports = await runningImportsStartedBefore(db, startedBefore);
    result.checks.imports = result.stuckImports.length === 0 ? "ok" : "stuck";
  }
  result.ready = result.checks.migrations === "current" && result.checks.imports === "ok";
  return result;
}

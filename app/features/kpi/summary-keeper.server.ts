import { type ChildProcess, fork } from "node:child_process";
import path from "node:path";

import { type Db, databasePath } from "~/server/db.server";
import { kpiSummariesBehind } from "~/features/kpi/queries/summary-status.server";

export { kpiSummariesBehind };

/**
 * The background job that brings the KPI summaries up to date when something outside the app's
 * writers left them behind (an SQL edit of customers; a database migrated while the app ran).
 * The app process looks every `intervalMs` with one small read; when there is work it forks one
 * child process (db/cli/kpi-summaries-worker.ts) that catches up in its own transaction, so the
 * request thread never does, and requests keep reading the summaries meanwhile. At most one
 * child at a time per app process; a second one (another app process) finds nothing left to do.
 */

export interface KpiSummaryKeeper {
  /** Looks now instead of at the next tick; resolves when any catch-up it started has ended. */
  check(): Promise<void>;
  stop(): void;
}

function runWorker(databaseFile: string): Promise<void> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = fork(path.resolve("db/cli/kpi-summaries-worker.ts"), [databaseFile], {
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", "ignore", "pipe", "ipc"],
      });
    } catch (error) {
      console.error("The KPI summaries catch-up could not start:", error);
      resolve();
      return;
    }
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.on("error", (error) => console.error("The KPI summaries catch-up could not start:", error));
    child.on("exit", (code) => {
      // A busy database (an import holding the write lock) is retried at the next look.
      if (code !== 0) console.error(`The KPI summaries catch-up stopped (exit code ${code}); it is retried.${stderr ? `\n${stderr.trim()}` : ""}`);
      resolve();
    });
  });
}

export function startKpiSummaryKeeper(db: Db, { intervalMs = 10_000, databaseFile = databasePath() } = {}): KpiSummaryKeeper {
  let running: Promise<void> | null = null;
  let stopped = false;
  const check = async (): Promise<void> => {
    if (running) return running;
    if (stopped) return;
    running = (async () => {
      try {
        if (await kpiSummariesBehind(db)) await runWorker(databaseFile);
      } catch (error) {
        console.error("The KPI summaries check failed:", error);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = setInterval(() => void check(), intervalMs);
  timer.unref();
  return {
    check,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

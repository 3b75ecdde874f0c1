import { type ChildProcess, fork } from "node:child_process";

import { type Db, databaseUrl } from "~/server/db.server";
import { workerScript } from "~/server/worker-script.server";
import type { Job } from "~/server/jobs.server";
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

function runWorker(databaseFile: string): Promise<void> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      const script = workerScript("db/cli/kpi-summaries-worker.ts");
      child = fork(script.modulePath, [databaseFile], {
        execArgv: script.execArgv,
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

/**
 * The job (server/jobs.server.ts runs it every ten seconds): one small read, and a catch-up in a
 * child process only when the summaries are behind.
 */
export function kpiSummariesJob(db: Db, { databaseFile = databaseUrl(), everyMs = 10_000 } = {}): Job {
  return {
    name: "kpi-summaries",
    everyMs,
    async run() {
      if (!(await kpiSummariesBehind(db))) return null;
      await runWorker(databaseFile);
      return null;
    },
  };
}

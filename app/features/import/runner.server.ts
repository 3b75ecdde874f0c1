import { fork } from "node:child_process";

import { databaseUrl, getDb } from "~/server/db.server";
import { workerScript } from "~/server/worker-script.server";
import { message } from "~/features/import/issue-text";
import type { ImportJob, ImportJobFile } from "~/features/import/job.server";
import type { ImportProgress } from "~/features/import/import-ledger.server";
import { failImportRun, findImportRun } from "~/features/import/queries/runs.server";

/**
 * Starts web imports in a child process and remembers their progress for the progress bar.
 * Progress lives in this process's memory: with several app processes, the one that started an
 * import shows its bar; every process shows the outcome, which is in the database.
 */
const holder = globalThis as unknown as { __quarterdeckImports?: Map<number, ImportProgress> };
const progressByRun = (holder.__quarterdeckImports ??= new Map());

export function importProgress(runId: number): ImportProgress | undefined {
  return progressByRun.get(runId);
}

export function startImport(runId: number, files: ImportJobFile[], userId: number, onExit?: () => void): void {
  const job: ImportJob = { databaseFile: databaseUrl(), files, userId, source: "web", runId };
  const script = workerScript("app/features/import/worker.server.ts");
  const worker = fork(script.modulePath, [], {
    execArgv: script.execArgv,
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  let stderr = "";
  worker.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  progressByRun.set(runId, { file: "", fileIndex: 0, fileCount: files.length, bytesRead: 0, totalBytes: 1, rows: 0 });
  worker.on("message", (message: { type: string; progress?: ImportProgress }) => {
    if (message.type === "progress" && message.progress) progressByRun.set(runId, message.progress);
  });
  worker.on("exit", async (code) => {
    progressByRun.delete(runId);
    onExit?.();
    // A crash before the job could record its outcome: say so (the transaction rolled back).
    const run = await findImportRun(getDb(), runId);
    if (run && (run.status === "running" || run.status === "pending")) {
      await failImportRun(getDb(), runId, message("processStopped", { code: String(code) }), stderr.trim() || undefined);
    }
  });
  worker.send(job);
}

import { type ImportJob, runImportJob } from "~/features/import/job.server";

/**
 * The web app's import process: forked per import so the bulk work never runs on the server's
 * request thread. Receives one job over IPC, reports progress, exits. Killing it mid-way
 * leaves the database as it was (one transaction).
 */
process.once("message", (job: ImportJob) => {
  runImportJob(job, (progress) => process.send?.({ type: "progress", progress }))
    .then((result) => {
      process.send?.({ type: "done", ok: result.ok }, () => process.exit(0));
    })
    .catch((error: unknown) => {
      process.send?.({ type: "failed", message: error instanceof Error ? error.message : String(error) }, () =>
        process.exit(1),
      );
    });
});

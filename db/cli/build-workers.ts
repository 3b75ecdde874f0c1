import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { buildSync } from "esbuild";

/**
 * npm run build:workers (part of npm run build) — the app's child processes and `npm run import`
 * bundled to plain JavaScript under build/workers, each one file with its packages left to
 * node_modules, so that Node runs them without tsx (app/server/worker-script.server.ts says why).
 */
export const WORKER_ENTRIES = ["db/cli/import.ts", "app/features/import/worker.server.ts", "db/cli/kpi-summaries-worker.ts"];

/**
 * Bundles one entry (a path from the project root) into `outfile`, written beside it first and
 * renamed into place: a process forked meanwhile reads the old bundle or the new one, whole.
 */
export function bundleScript(entry: string, outfile: string): string {
  const written = `${outfile}.${process.pid}.tmp.js`;
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // node_modules stay where they are: native addons and their files load as usual
    packages: "external",
    alias: { "~": "./app" },
    outfile: written,
    logLevel: "warning",
  });
  fs.renameSync(written, outfile);
  return outfile;
}

/** Where an entry's bundle goes: build/workers/<its path>.js. */
export function workerBundlePath(entry: string): string {
  return path.resolve("build/workers", entry.replace(/\.ts$/, ".js"));
}

// `tsx db/cli/build-workers.ts [ENTRY ...]`: the entries named (`npm run import` bundles only itself), or all
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const named = process.argv.slice(2);
  for (const entry of named.length > 0 ? named : WORKER_ENTRIES) bundleScript(entry, workerBundlePath(entry));
}

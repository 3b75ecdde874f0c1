import path from "node:path";
import { fileURLToPath } from "node:url";

import { buildSync } from "esbuild";

/**
 * npm run build:workers (part of npm run build) — the app's child processes and `npm run import`
 * bundled to plain JavaScript under build/workers, each one file with its packages left to
 * node_modules, so that Node runs them without tsx (app/server/worker-script.server.ts says why).
 */
export const WORKER_ENTRIES = ["db/cli/import.ts", "app/features/import/worker.server.ts", "db/cli/kpi-summaries-worker.ts"];

/** Bundles one entry (a path from the project root) into `outfile`. */
export function bundleScript(entry: string, outfile: string): string {
  buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // node_modules stay where they are: native addons and their files load as usual
    packages: "external",
    alias: { "~": "./app" },
    outfile,
    logLevel: "warning",
  });
  return outfile;
}

/** Where an entry's bundle goes: build/workers/<its path>.js. */
export function workerBundlePath(entry: string): string {
  return path.resolve("build/workers", entry.replace(/\.ts$/, ".js"));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const entry of WORKER_ENTRIES) bundleScript(entry, workerBundlePath(entry));
}

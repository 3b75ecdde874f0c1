import fs from "node:fs";
import path from "node:path";

/**
 * How to start one of the app's child processes (the web import, the KPI summaries' catch-up):
 * in production (`npm start`) the bundle `npm run build` made of it under build/workers
 * (db/cli/build-workers.ts), run by
 * Node itself; otherwise, and when there is no bundle, its TypeScript source through tsx. tsx
 * compiles each module as it loads, on a loader thread of its own: an import process started so
 * holds some 100 MB more (190 MB before its first row against 90 MB) and spends 1.5 s more CPU
 * starting, which took a 1M-row import past its 300 MB. In development and in the integration
 * tests the source runs, so a changed module needs no build.
 */
export function workerScript(source: string): { modulePath: string; execArgv: string[] } {
  const bundle = path.resolve("build/workers", source.replace(/\.ts$/, ".js"));
  if (process.env.NODE_ENV === "production" && fs.existsSync(bundle)) return { modulePath: bundle, execArgv: [] };
  return { modulePath: path.resolve(source), execArgv: ["--import", "tsx"] };
}

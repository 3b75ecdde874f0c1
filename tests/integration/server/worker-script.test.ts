import fs from "node:fs";
import path from "node:path";

import { afterEach, describe, expect, it, vi } from "vitest";

import { workerScript } from "~/server/worker-script.server";

/**
 * The app's child processes (the web import, the KPI summaries' catch-up) run bundled by Node in
 * production and from their TypeScript through tsx otherwise (app/server/worker-script.server.ts).
 */
describe("the script a child process runs", () => {
  // one name per test process: the file runs on SQLite and on PostgreSQL at once
  const source = `tests/integration/server/worker-script-probe-${process.pid}.ts`;
  const bundle = path.resolve(`build/workers/tests/integration/server/worker-script-probe-${process.pid}.js`);

  afterEach(() => {
    vi.unstubAllEnvs();
    fs.rmSync(bundle, { force: true });
  });

  it("is the bundle, run by Node itself, in production once npm run build made it", () => {
    fs.mkdirSync(path.dirname(bundle), { recursive: true });
    fs.writeFileSync(bundle, "");
    vi.stubEnv("NODE_ENV", "production");
    expect(workerScript(source)).toEqual({ modulePath: bundle, execArgv: [] });
  });

  it("is the TypeScript source through tsx without a bundle, and outside production", () => {
    vi.stubEnv("NODE_ENV", "production");
    expect(workerScript(source)).toEqual({ modulePath: path.resolve(source), execArgv: ["--import", "tsx"] });
    fs.mkdirSync(path.dirname(bundle), { recursive: true });
    fs.writeFileSync(bundle, "");
    vi.stubEnv("NODE_ENV", "test");
    expect(workerScript(source)).toEqual({ modulePath: path.resolve(source), execArgv: ["--import", "tsx"] });
  });
});

import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { TestProject } from "vitest/node";

import { freePort } from "../support/free-port";

import { businessDateUnderTest } from "../support/business-date";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    /** the served app's SQLite file, for tests that load data through the CLI first */
    databaseFile: string;
    /** the business date the served app runs at (its QUARTERDECK_TODAY) */
    today: string;
  }
}


/**
 * Starts the built app the way `npm start` does (migrate, seed demo data, serve) on a fresh
 * temporary database and a free port; browser tests reach it through `inject("baseURL")`.
 */
export default async function setup(project: TestProject) {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Browser tests need Chromium at ${CHROMIUM} (apt-get install -y chromium). ` +
        "Set SKIP_BROWSER_TESTS=1 to run without them.",
    );
  }
  if (!fs.existsSync("build/index.js")) throw new Error("No build: run `npm run build` first (npm test does).");

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-e2e-"));
  const port = await freePort();
  const today = businessDateUnderTest();
  const server: ChildProcess = spawn("node_modules/.bin/tsx", ["db/cli/start.ts"], {
    env: { ...process.env, DATABASE_URL: path.join(dir, "e2e.db"), PORT: String(port), HOST: "127.0.0.1", QUARTERDECK_TODAY: today },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    // Migrating and seeding the demo takes seconds on an idle machine, minutes on a loaded one.
    const timer = setTimeout(() => reject(new Error(`The app did not start within 180 s:\n${output}`)), 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Quarterdeck is serving")) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.stdout?.on("data", onData);
    server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    server.once("exit", (code) => reject(new Error(`The app exited with ${code} before serving:\n${output}`)));
  });

  project.provide("baseURL", `http://127.0.0.1:${port}`);
  project.provide("databaseFile", path.join(dir, "e2e.db"));
  project.provide("today", today);
  console.log(`Browser tests run at business date ${today}`);

  return async () => {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 8_000))]);
    if (server.exitCode === null) server.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

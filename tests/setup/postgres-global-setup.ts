import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { TestProject } from "vitest/node";

import { freePort } from "../support/free-port";

declare module "vitest" {
  export interface ProvidedContext {
    /** A PostgreSQL server's URL (its `postgres` database); each test file makes its own database there. */
    postgresUrl: string;
  }
}

/** Debian installs the server programs outside PATH, under /usr/lib/postgresql/<version>/bin. */
export function serverBin(): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (fs.existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = path.join(root, version, "bin");
    if (fs.existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  throw new Error(
    "The PostgreSQL tests start a private server and need Debian's postgresql (apt-get install -y postgresql), " +
      "or QD_TEST_POSTGRES_URL naming a server to use. Set SKIP_POSTGRES_TESTS=1 to run without them.",
  );
}


/**
 * A private PostgreSQL cluster for the run: initdb in a temporary folder, started on a free port of
 * 127.0.0.1 with fsync off (a test cluster is thrown away), stopped and removed afterwards. As root
 * the server runs as the `postgres` user, which Debian's package creates (PostgreSQL refuses root).
 */
export default async function setup(project: TestProject) {
  const given = process.env.QD_TEST_POSTGRES_URL;
  if (given) {
    project.provide("postgresUrl", given);
    return;
  }
  const bin = serverBin();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-pg-"));
  const data = path.join(dir, "data");
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["postgres", dir]);
  const run = (program: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, program), ...args], { stdio: "pipe" })
      : execFileSync(path.join(bin, program), args, { stdio: "pipe" });
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "start"]);
  project.provide("postgresUrl", `postgres://postgres@127.0.0.1:${port}/postgres`);
  console.log(`PostgreSQL tests run on a private cluster at 127.0.0.1:${port}`);

  return () => {
    try {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import pg from "pg";

import { serverBin } from "../setup/postgres-global-setup";
import { freePort } from "./free-port";

/** A streaming replica (hot standby) of the test cluster, for the read-replica tests. */
export interface Standby {
  /** The standby's URL for the database `primaryUrl` names. */
  url: string;
  /** Stops replaying the primary's WAL: the standby's contents stand still (it keeps receiving). */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** Waits until the standby has replayed everything the primary has inserted so far. */
  caughtUp(): Promise<void>;
  stop(): void;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/**
 * Copies the running cluster behind `primaryUrl` with pg_basebackup (-R writes the standby's
 * connection back to the primary) and starts the copy on another free port. The test cluster
 * runs with the defaults a standby needs: wal_level replica, WAL senders, and a trust line for
 * replication connections from 127.0.0.1.
 */
export async function startStandby(primaryUrl: string): Promise<Standby> {
  const primary = new URL(primaryUrl);
  // pg_ctl on PATH may be a lone link into the server's folder, which holds pg_basebackup too.
  const bin = path.dirname(fs.realpathSync(path.join(serverBin(), "pg_ctl")));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qd-pg-standby-"));
  const data = path.join(dir, "data");
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["postgres", dir]);
  const run = (program: string, args: string[]) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, program), ...args], { stdio: "pipe" })
      : execFileSync(path.join(bin, program), args, { stdio: "pipe" });
  run("pg_basebackup", ["-h", primary.hostname, "-p", primary.port, "-U", primary.username || "postgres", "-D", data, "-R", "-X", "stream", "--no-sync", "--checkpoint=fast"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c hot_standby=on -c max_connections=200`;
  run("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "start"]);

  const url = new URL(primaryUrl);
  url.port = String(port);
  const standbyUrl = url.toString();
  return {
    url: standbyUrl,
    async pauseReplay() {
      await query(standbyUrl, "SELECT pg_wal_replay_pause()");
      // The pause takes effect at the next record the startup process looks at.
      for (let look = 0; look < 400; look++) {
        const [row] = await query<{ state: string }>(standbyUrl, "SELECT pg_get_wal_replay_pause_state() AS state");
        if (row?.state === "paused") return;
        await pause(25);
      }
      throw new Error("the standby did not pause its replay");
    },
    async resumeReplay() {
      await query(standbyUrl, "SELECT pg_wal_replay_resume()");
    },
    async caughtUp() {
      const [target] = await query<{ lsn: string }>(primaryUrl, "SELECT pg_current_wal_insert_lsn()::text AS lsn");
      for (let look = 0; look < 800; look++) {
        const [row] = await query<{ done: boolean }>(standbyUrl, `SELECT pg_last_wal_replay_lsn() >= '${target?.lsn}'::pg_lsn AS done`);
        if (row?.done) return;
        await pause(25);
      }
      throw new Error(`the standby did not replay up to ${target?.lsn}`);
    },
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

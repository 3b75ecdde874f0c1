import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import pg from "pg";

import { BackupError, type BackupReport } from "./db-backup.server";
import { databaseLabel } from "./db.server";

/**
 * The app's own backups of a PostgreSQL database: `pg_dump --format=custom` of DATABASE_URL into a
 * file, and `pg_restore --clean --if-exists --single-transaction` of such a file back into it. A
 * managed database's own backups and point-in-time recovery stay the primary tool (README,
 * Backups); these are the copies an administrator takes before an upgrade or keeps off site.
 *
 * The dump reads one snapshot, exported from a read transaction of this process (pg_dump
 * `--snapshot`), so the row counts printed for it are the dump's own. The client programs come
 * from POSTGRES_BIN_DIR, else PATH; pg_dump refuses a server newer than itself, so its version is
 * checked first and said in words.
 */

/** What a client program answered. */
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A URL without its password, and the password for the environment (never on a command line). */
function connection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = "";
  return { dbname: parsed.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

function programPath(name: "pg_dump" | "pg_restore"): string {
  const dir = process.env.POSTGRES_BIN_DIR?.trim();
  return dir ? path.join(dir, name) : name;
}

function run(name: "pg_dump" | "pg_restore", args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(programPath(name), args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && "code" in error && error.code === "ENOENT") {
        reject(
          new BackupError(
            `${name} was not found (${process.env.POSTGRES_BIN_DIR?.trim() ? `POSTGRES_BIN_DIR is ${process.env.POSTGRES_BIN_DIR}` : "looked for on PATH"}). ` +
              "Backups of a PostgreSQL database need PostgreSQL's client programs of the server's major version or newer " +
              "(Debian/Ubuntu: apt-get install postgresql-client-<version>), on PATH or in the folder POSTGRES_BIN_DIR names.",
          ),
        );
        return;
      }
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The major version in a client program's `--version` line ("pg_dump (PostgreSQL) 15.18 (Debian …)"). */
export function clientMajorVersion(versionLine: string): number | null {
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(versionLine);
  if (!match) return null;
  const major = Number(match[1]);
  // Before 10 the major version was two numbers (9.6); those are all older than any server we run on.
  return major < 10 ? major + Number(match[2] ?? 0) / 10 : major;
}

/** Refuses a client program older than the server: pg_dump cannot dump a newer server's database. */
async function checkClient(name: "pg_dump" | "pg_restore", serverMajor: number, serverVersion: string): Promise<void> {
  const answer = await run(name, ["--version"]);
  const major = clientMajorVersion(answer.stdout);
  if (answer.code !== 0 || major === null) {
    throw new BackupError(`${programPath(name)} --version did not answer as PostgreSQL's ${name} does: ${(answer.stderr || answer.stdout).trim()}`);
  }
  if (major < serverMajor) {
    throw new BackupError(
      `${name} is version ${answer.stdout.trim().replace(/^.*\(PostgreSQL\)\s*/, "")}, older than the PostgreSQL server (${serverVersion}): ` +
        `${name} cannot work with a newer server. Install PostgreSQL's client programs of version ${serverMajor} or newer ` +
        `(Debian/Ubuntu: apt-get install postgresql-client-${serverMajor}) and put them first on PATH, or set POSTGRES_BIN_DIR ` +
        `to their folder (Debian: /usr/lib/postgresql/${serverMajor}/bin).`,
    );
  }
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

async function serverVersion(client: pg.Client): Promise<{ major: number; text: string }> {
  const { rows } = await client.query<{ num: string; text: string }>("SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS text");
  return { major: Math.floor(Number(rows[0]?.num) / 10_000), text: rows[0]?.text ?? "?" };
}

/** Rows per table of the database's own schema (the app's tables), by name, as `client` sees them. */
async function tableCounts(client: pg.Client): Promise<Record<string, number>> {
  const { rows: tables } = await client.query<{ name: string }>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename",
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${name.replaceAll('"', '""')}"`);
    counts[name] = Number(rows[0]?.n);
  }
  return counts;
}

/** Fails unless `file` is an archive pg_restore reads (its table of contents lists). */
async function checkArchive(file: string): Promise<void> {
  const listed = await run("pg_restore", ["--list", file]);
  if (listed.code !== 0) throw new BackupError(`${file} is not a backup pg_restore can read: ${listed.stderr.trim()}`);
}

/**
 * Dumps the database `url` names into `target` (a new file: an existing one is never
 * overwritten), in pg_dump's custom format, while the app keeps running.
 */
export async function backupPostgres(url: string, target: string): Promise<BackupReport> {
  if (fs.existsSync(target)) throw new BackupError(`${target} exists already; choose a new file name.`);
  const client = await connect(url);
  try {
    const version = await serverVersion(client);
    await checkClient("pg_dump", version.major, version.text);
    await checkClient("pg_restore", version.major, version.text);
    fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    const partial = `${target}.partial`;
    fs.rmSync(partial, { force: true });
    // One snapshot for the dump and the counts: held by this transaction until pg_dump is done.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const { rows } = await client.query<{ snapshot: string }>("SELECT pg_export_snapshot() AS snapshot");
    const tables = await tableCounts(client);
    const { dbname, env } = connection(url);
    const dumped = await run("pg_dump", ["--format=custom", `--snapshot=${rows[0]?.snapshot ?? ""}`, `--file=${partial}`, `--dbname=${dbname}`], env);
    await client.query("COMMIT");
    if (dumped.code !== 0) {
      fs.rmSync(partial, { force: true });
      throw new BackupError(`pg_dump failed: ${dumped.stderr.trim()}`);
    }
    await checkArchive(partial);
    fs.renameSync(partial, target);
    return { file: path.resolve(target), bytes: fs.statSync(target).size, tables };
  } finally {
    await client.end();
  }
}

/**
 * Restores a pg_dump archive into the database `url` names, replacing the tables it holds, in one
 * transaction (a failure changes nothing). Run it with the app stopped. The archive is checked
 * first, and the database as it was is dumped beside the backup first, as
 * `<backup>.before-restore-<stamp>`, so a wrong restore can be undone.
 */
export async function restorePostgres(backup: string, url: string, stamp: string): Promise<BackupReport & { previous: string }> {
  if (!fs.existsSync(backup)) throw new BackupError(`There is no backup at ${backup}.`);
  const client = await connect(url);
  try {
    const version = await serverVersion(client);
    await checkClient("pg_restore", version.major, version.text);
    await checkArchive(backup);
    const previous = `${backup}.before-restore-${stamp}`;
    await backupPostgres(url, previous);
    const { dbname, env } = connection(url);
    const restored = await run("pg_restore", ["--clean", "--if-exists", "--single-transaction", `--dbname=${dbname}`, backup], env);
    if (restored.code !== 0) {
      throw new BackupError(`pg_restore failed and changed nothing (the database is as it was, also kept in ${previous}): ${restored.stderr.trim()}`);
    }
    return { file: databaseLabel(url), bytes: fs.statSync(backup).size, tables: await tableCounts(client), previous };
  } finally {
    await client.end();
  }
}

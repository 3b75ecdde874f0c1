import fs from "node:fs";

import pg from "pg";

import { createDb, isPostgresUrl, openSqlite, pendingMigrationNames } from "../app/server/db.server";
import { kpiAnswer } from "../app/features/kpi/kpi.server";
import { monthEndsBefore } from "../app/kernel/dates";
import type { IsoDate } from "../app/kernel/ledger/types";
import { migrateToLatest } from "./migrate";

/*
 * Moving an installation from its SQLite file to PostgreSQL (`npm run db:copy`): every table, rows
 * as they are (ids kept, so every reference still holds), the derived tables too, so the
 * PostgreSQL side needs no rebuild. Then the proof: the same row count in every table and the
 * same KPI object, company-wide and per owner, at a few dates.
 */

/** Kysely's own bookkeeping: the target's migrations write their own. */
const NOT_COPIED = new Set(["kysely_migration", "kysely_migration_lock"]);

/** Rows per INSERT: PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_PARAMETERS = 60_000;

export interface CopyOptions {
  from: string;
  to: string;
  /** dates to compare the KPI object at; by default the last document's date and the 3 month ends before it */
  dates?: IsoDate[];
  log?: (line: string) => void;
}

export interface CopyReport {
  tables: { name: string; source: number; target: number }[];
  kpis: { asOf: IsoDate; scope: string; same: boolean }[];
  ok: boolean;
}

/** A refusal the command prints as it is (bad input, a target that is not empty). */
export class CopyRefused extends Error {}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Copies `from` (an SQLite file at the latest migration) into the empty PostgreSQL database `to`, then checks it. */
export async function copyToPostgres(options: CopyOptions): Promise<CopyReport> {
  const log = options.log ?? (() => undefined);
  if (isPostgresUrl(options.from) || !fs.existsSync(options.from)) throw new CopyRefused(`--from must be an SQLite file; there is none at ${options.from}`);
  if (!isPostgresUrl(options.to)) throw new CopyRefused("--to must be a postgres:// URL");

  const source = createDb(options.from);
  const target = createDb(options.to);
  try {
    const pending = await pendingMigrationNames(source);
    if (pending.length > 0) {
      throw new CopyRefused(`${options.from} has migrations to run first (npm run db:migrate with DATABASE_URL=${options.from}): ${pending.join(", ")}`);
    }
    await migrateToLatest(target);
    const sqlite = openSqlite(options.from);
    const client = new pg.Client({ connectionString: options.to });
    await client.connect();
    try {
      const tables = sqlite.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
        .map((row) => row.name)
        .filter((name) => !NOT_COPIED.has(name));
      const users = await client.query<{ n: string }>("SELECT count(*) AS n FROM users");
      if (Number(users.rows[0]?.n) > 0) throw new CopyRefused("the PostgreSQL database already has users: copy into a new, empty database");

      await client.query("BEGIN");
      // Rows go in as they are, in any table order: foreign keys and the triggers (the SQLite
      // triggers' PL/pgSQL twins, which would e.g. refuse a frozen plan's rows or add audit
      // entries) stay off for this transaction; the source's rows already satisfied them.
      await client.query("SET LOCAL session_replication_role = replica");
      // The rows the migrations seeded (rules, templates, settings) are the source's to give.
      await client.query(`TRUNCATE ${tables.map(quote).join(", ")}`);
      for (const table of tables) {
        const columns = sqlite.prepare<[string], { name: string }>("SELECT name FROM pragma_table_info(?) ORDER BY cid").all(table).map((c) => c.name);
        const perInsert = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
        const head = `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES `;
        let batch: unknown[][] = [];
        let copied = 0;
        const flush = async () => {
          if (batch.length === 0) return;
          const values: unknown[] = [];
          const tuples = batch.map((row) => `(${row.map((value) => (values.push(value), `$${values.length}`)).join(", ")})`);
          await client.query(head + tuples.join(", "), values);
          copied += batch.length;
          batch = [];
        };
        // raw(): each row an array of the columns in the order selected
        for (const row of sqlite.prepare<[], unknown[]>(`SELECT ${columns.map(quote).join(", ")} FROM ${quote(table)}`).raw().iterate()) {
          batch.push(row);
          if (batch.length >= perInsert) await flush();
        }
        await flush();
        if (copied > 0) log(`${table}: ${copied.toLocaleString("en")} rows`);
      }
      // Identity columns continue after the copied ids.
      const identities = await client.query<{ table_name: string; column_name: string }>(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'",
      );
      for (const { table_name: table, column_name: column } of identities.rows) {
        if (!tables.includes(table)) continue;
        await client.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT max(${quote(column)}) FROM ${quote(table)}), 1), (SELECT count(*) > 0 FROM ${quote(table)}))`,
          [quote(table), column],
        );
      }
      await client.query("COMMIT");

      const report: CopyReport = { tables: [], kpis: [], ok: true };
      for (const table of tables) {
        const sourceCount = sqlite.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${quote(table)}`).get()?.n ?? 0;
        const targetCount = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table)}`)).rows[0]?.n);
        report.tables.push({ name: table, source: sourceCount, target: targetCount });
        if (sourceCount !== targetCount) report.ok = false;
      }
      const dates = options.dates ?? checkDates(sqlite.prepare<[], { d: IsoDate | null }>("SELECT max(issue_date) AS d FROM invoices").get()?.d ?? null);
      const owners = sqlite.prepare<[], { email: string }>("SELECT DISTINCT u.email FROM customers c JOIN users u ON u.id = c.owner_id ORDER BY u.email LIMIT 3").all().map(
        (row) => `owner:${row.email}`,
      );
      for (const asOf of dates) {
        for (const scope of ["company", ...owners]) {
          const same = JSON.stringify(await kpiAnswer(source, { asOf, scope })) === JSON.stringify(await kpiAnswer(target, { asOf, scope }));
          report.kpis.push({ asOf, scope, same });
          if (!same) report.ok = false;
        }
      }
      return report;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      sqlite.close();
      await client.end();
    }
  } finally {
    await source.destroy();
    await target.destroy();
  }
}

/** The last invoice's date and the three month ends before it (none for an empty ledger). */
function checkDates(last: IsoDate | null): IsoDate[] {
  return last ? [last, ...monthEndsBefore(last, 3)] : [];
}

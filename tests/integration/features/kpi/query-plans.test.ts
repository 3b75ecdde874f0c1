import type SQLite from "better-sqlite3";
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Database } from "../../../../db/schema";
import { databaseUrl, isPostgresUrl, openSqlite } from "~/server/db.server";
import { kpiObject } from "~/features/kpi/kpi.server";
import { importLedgerFixture } from "../../../support/ledger";
import { tablesRead, tablesReadWhole, planNodes, withoutSeqScans } from "../../../support/postgres-plan";

/**
 * The request path of the KPI service must not read the ledger: every statement `kpiObject`
 * runs for a company, owner, region or grade scope is planned here with EXPLAIN QUERY PLAN, and
 * none may scan a table or read invoices, payments or adjustments at all; a customer scope may
 * read that one customer's documents through the customer index, nothing more. The plans are
 * kept in `__plans__/` so a change shows up in review. On PostgreSQL the same statements are
 * planned with EXPLAIN (its planner's choices depend on the tables' statistics, so no snapshot
 * there) and held to the same rules.
 */

const postgres = isPostgresUrl(databaseUrl());

let sqlite: SQLite.Database;
let db: Kysely<Database>;
const statements: CompiledQuery[] = [];

beforeAll(async () => {
  await importLedgerFixture();
  const log = (event: { level: string; query: CompiledQuery }) => {
    if (event.level === "query") statements.push(event.query);
  };
  if (postgres) {
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl(), max: 1 }) }), log });
    // Fresh statistics, so the plans do not depend on whether autovacuum has looked at the tables yet.
    await db.executeQuery(CompiledQuery.raw("ANALYZE"));
    return;
  }
  sqlite = openSqlite(databaseUrl());
  db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), log });
});
afterAll(async () => {
  await db.destroy();
});

const LEDGER_TABLES = /\b(invoices|payments|adjustments)\b/;
/** Small by nature, read whole: the installation settings, and `asked`, the list of days a request asks for (<= 40). */
const SMALL = new Set(["settings", "asked"]);

function planOf(statement: CompiledQuery): string[] {
  const rows = sqlite.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...(statement.parameters as unknown[])) as { detail: string }[];
  return rows.map((row) => row.detail);
}

/** Statements run for one request, with their plans; numbers in the SQL vary with the dates asked. */
async function plansFor(request: { asOf: string; scope?: string; periodStart?: string; baseline?: string }) {
  statements.length = 0;
  await kpiObject(db, request);
  return statements.map((statement) => ({ sql: statement.sql.replace(/\s+/g, " "), plan: planOf(statement) }));
}

/**
 * The plans as kept for review: one file per request rather than a `.snap` file, because a
 * `.snap` file's entries count as obsolete on the PostgreSQL run, which never takes them, and
 * that fails a CI run.
 */
function planText(plans: { sql: string; plan: string[] }[]): string {
  return plans.map(({ sql, plan }) => [sql, ...plan.map((step) => `  ${step}`)].join("\n")).join("\n\n") + "\n";
}

const REQUESTS = [
  { asOf: "2025-11-23" },
  { asOf: "2025-09-30", scope: "owner:staff@demo.quarterdeck", periodStart: "2025-01-01", baseline: "2024-06-30" },
  { asOf: "2025-06-15", scope: "region:East" },
  { asOf: "2031-01-01", scope: "grade:A" },
];

if (!postgres) describe("KPI request plans", () => {
  it.each(REQUESTS.map((request, index) => ({ request, index })))("read no ledger table and scan nothing big: $request", async ({ request, index }) => {
    const plans = await plansFor(request);
    expect(plans.length).toBeGreaterThan(0);
    for (const { sql, plan } of plans) {
      for (const step of plan) {
        expect(step, sql).not.toMatch(LEDGER_TABLES);
        const scanned = /^SCAN (\S+)/.exec(step)?.[1];
        const constantRows = /^SCAN \d+ CONSTANT ROWS$/.test(step);
        if (scanned !== undefined && !constantRows) expect(SMALL.has(scanned), `${step} in ${sql}`).toBe(true);
      }
    }
    await expect(planText(plans)).toMatchFileSnapshot(`./__plans__/request-${index + 1}.txt`);
  });

  it("read one customer's documents through the customer index only", async () => {
    const plans = await plansFor({ asOf: "2025-11-23", scope: "customer:FX001" });
    for (const { sql, plan } of plans) {
      for (const step of plan) {
        expect(step, sql).not.toMatch(/^SCAN (invoices|payments|adjustments)\b/);
        if (/^SEARCH (invoices|payments|adjustments)\b/.test(step)) {
          expect(step, sql).toMatch(/\((customer_id=\?|rowid=\?)/);
        }
      }
    }
    await expect(planText(plans)).toMatchFileSnapshot("./__plans__/customer.txt");
  });
});

/** Statements run for one request, with their PostgreSQL plans (sequential scans priced out, see withoutSeqScans). */
async function postgresPlansFor(request: { asOf: string; scope?: string; periodStart?: string; baseline?: string }) {
  statements.length = 0;
  await kpiObject(db, request);
  const asked = [...statements];
  return withoutSeqScans(db, async (trx) => {
    const plans = [];
    for (const statement of asked) {
      const result = await trx.executeQuery(CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${statement.sql}`, [...statement.parameters]));
      // EXPLAIN (FORMAT JSON) answers one row whose one column is a list holding the plan
      plans.push({ sql: statement.sql.replace(/\s+/g, " "), plan: (result.rows as { "QUERY PLAN": [{ Plan: unknown }] }[])[0]?.["QUERY PLAN"][0].Plan });
    }
    return plans;
  });
}

if (postgres) describe("KPI request plans on PostgreSQL", () => {
  it.each(REQUESTS)("read no ledger table and scan nothing big: %o", async (request) => {
    const plans = await postgresPlansFor(request);
    expect(plans.length).toBeGreaterThan(0);
    for (const { sql, plan } of plans) {
      expect(tablesRead(plan).filter((table) => LEDGER_TABLES.test(table)), sql).toEqual([]);
      expect(tablesReadWhole(plan).filter((table) => !SMALL.has(table)), sql).toEqual([]);
    }
  });

  it("read one customer's documents through the customer index only", async () => {
    const plans = await postgresPlansFor({ asOf: "2025-11-23", scope: "customer:FX001" });
    const documents = plans.flatMap(({ plan }) => planNodes(plan).filter((node) => LEDGER_TABLES.test(node["Relation Name"] ?? "")));
    expect(documents.length).toBeGreaterThan(0);
    for (const { sql, plan } of plans) {
      expect(tablesReadWhole(plan).filter((table) => LEDGER_TABLES.test(table)), sql).toEqual([]);
    }
    // each document read is narrowed to the customer (its customer index) or to one row (the primary key)
    for (const node of documents) expect(node["Index Cond"], node["Relation Name"]).toMatch(/^\(+(customer_id = |id = )/);
  });
});

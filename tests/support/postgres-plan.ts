import { sql } from "kysely";

import type { Db } from "~/server/db.server";

/** One node of PostgreSQL's EXPLAIN (FORMAT JSON) plan: the fields the plan tests read. */
export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Alias?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  "Recheck Cond"?: string;
  Plans?: PlanNode[];
}

/** Every node of a plan, depth first. */
export function planNodes(root: unknown): PlanNode[] {
  const node = root as PlanNode;
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

/**
 * The tables a plan reads whole: a scan of the table, or of one of its indexes, with no condition
 * narrowing it (an index's condition, or a bitmap heap scan's recheck of one). Sorted, each once.
 */
export function tablesReadWhole(root: unknown): string[] {
  const whole = planNodes(root).filter(
    (node) => node["Relation Name"] !== undefined && /Scan$/.test(node["Node Type"]) && !node["Index Cond"] && !node["Recheck Cond"],
  );
  return [...new Set(whole.map((node) => node["Relation Name"] as string))].sort();
}

/** The tables a plan reads at all, sorted, each once. */
export function tablesRead(root: unknown): string[] {
  return [...new Set(planNodes(root).flatMap((node) => (node["Relation Name"] ? [node["Relation Name"]] : [])))].sort();
}

/**
 * Runs `explain` on a transaction with sequential scans priced out (SET LOCAL enable_seqscan =
 * off). A test's small tables are cheaper for PostgreSQL to read whole than through an index; so
 * priced, a plan uses an index wherever one serves the condition, and a table that none serves is
 * still read whole (a Seq Scan): what the plan tests ask.
 */
export async function withoutSeqScans<T>(db: Db, explain: (trx: Db) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    return explain(trx);
  });
}

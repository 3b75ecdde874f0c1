import { parseArgs } from "node:util";

import { isValidIsoDate } from "../../app/kernel/dates";
import { CopyRefused, copyToPostgres } from "../copy";

const USAGE = `Usage: npm run db:copy -- --from FILE.db --to postgres://user:password@host:5432/db [--dates YYYY-MM-DD,…]
Copies an installation's SQLite file into a new, empty PostgreSQL database (migrated first): every
table, ids kept. Then compares the row count of every table and the KPI object (company and owners)
at the last invoice's date and the three month ends before it, or at --dates. Run it with the app
stopped. The PostgreSQL user must be allowed to set session_replication_role (a superuser, or on a
managed database its administrator role) for the copy's one transaction. Exit 1 on a difference.`;

let values;
try {
  ({ values } = parseArgs({
    options: { from: { type: "string" }, to: { type: "string" }, dates: { type: "string" }, help: { type: "boolean", short: "h" } },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(1);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const dates = values.dates?.split(",").map((date) => date.trim());
if (!values.from || !values.to || (dates && !dates.every(isValidIsoDate))) {
  console.error(USAGE);
  process.exit(1);
}

try {
  const report = await copyToPostgres({ from: values.from, to: values.to, dates, log: (line) => console.log(line) });
  for (const table of report.tables.filter((t) => t.source !== t.target)) {
    console.error(`${table.name}: ${table.source} rows in the file, ${table.target} in PostgreSQL`);
  }
  for (const kpi of report.kpis.filter((k) => !k.same)) console.error(`KPIs differ at ${kpi.asOf} for ${kpi.scope}`);
  console.log(
    `${report.ok ? "Copied" : "Copied, with differences:"} ${report.tables.length} tables; row counts ${report.tables.every((t) => t.source === t.target) ? "equal" : "differ"}; ` +
      `KPI objects ${report.kpis.every((k) => k.same) ? "equal" : "differ"} at ${report.kpis.length} date × scope checks.`,
  );
  process.exit(report.ok ? 0 : 1);
} catch (error) {
  console.error(error instanceof CopyRefused ? error.message : `db:copy: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

import { closeDb } from "../../app/server/db.server";
import { kpiCommand } from "./kpi-command";

const result = await kpiCommand(process.argv.slice(2));
await closeDb();
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;

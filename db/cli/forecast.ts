import { closeDb } from "../../app/server/db.server";
import { forecastCommand } from "./forecast-command";

const result = await forecastCommand(process.argv.slice(2));
await closeDb();
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;

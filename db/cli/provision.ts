import { closeDb } from "../../app/server/db.server";
import { provisionCommand } from "./provision-command";

const result = await provisionCommand(process.argv.slice(2));
await closeDb();
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.code;

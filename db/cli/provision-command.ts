import { CLI_NAMES, resolveProvisionRequest } from "../../app/features/provisions";
import { computeProvision, provisionJson } from "../../app/features/provisions/index.server";
import { runJsonCommand, type CommandResult } from "./json-command";

export const PROVISION_USAGE = `Usage: npm run -s provision -- --as-of YYYY-MM-DD --method ladder|matrix [--basis issue|due]
                              [--bands 365,730,1095,1460,1825 --rates 5,10,20,50,80,100]
                              [--scope company|customer:CODE|owner:EMAIL|region:NAME|grade:G] --json
Prints the bad-debt provision as one line of JSON on stdout (amounts in major units, rates as
fractions), from the database named by DATABASE_URL. --bands are the upper ages in days of every
band but the last (an invoice aged exactly 365 days is in the first band), --rates percentages, one
more than the bands; without them the stored rate table applies. Exit 1 with a message on bad input.`;

/** `npm run provision` without the process around it (tests run it in-process); the caller closes the database. */
export function provisionCommand(args: string[]): Promise<CommandResult> {
  return runJsonCommand(
    {
      name: "provision",
      usage: PROVISION_USAGE,
      flags: ["as-of", "method", "basis", "bands", "rates", "scope"],
      resolve: (flag) =>
        resolveProvisionRequest(
          { asOf: flag("as-of"), method: flag("method"), basis: flag("basis"), bands: flag("bands"), rates: flag("rates"), scope: flag("scope") },
          CLI_NAMES,
        ),
      answer: async (db, request) => provisionJson(await computeProvision(db, request)),
    },
    args,
  );
}

import { forecastFor, forecastJson, resolveForecastRequest } from "../../app/features/forecast/index.server";
import { runJsonCommand, type CommandResult } from "./json-command";

export const FORECAST_USAGE = `Usage: npm run -s forecast -- --as-of YYYY-MM-DD [--scope company|customer:CODE|owner:EMAIL|region:NAME|grade:G]
                             [--weeks N] --json
Prints the collections forecast after the as-of date as one line of JSON on stdout: N weeks
(default 13), 12 months and the expected write-off, from the database named by DATABASE_URL.
--json is required (the only output format). Exit 1 with a message on bad input.`;

/** `npm run forecast` without the process around it (tests run it in-process); the caller closes the database. */
export function forecastCommand(args: string[]): Promise<CommandResult> {
  return runJsonCommand(
    {
      name: "forecast",
      usage: FORECAST_USAGE,
      flags: ["as-of", "scope", "weeks"],
      resolve: (flag) =>
        resolveForecastRequest({ asOf: flag("as-of") ?? "", scope: flag("scope"), weeks: flag("weeks") }, { asOf: "--as-of", weeks: "--weeks" }),
      answer: async (db, request) => forecastJson(await forecastFor(db, request)),
    },
    args,
  );
}

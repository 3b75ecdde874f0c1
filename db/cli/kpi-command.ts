import { kpiAnswer, resolveKpiRequest } from "../../app/features/kpi/kpi.server";
import { runJsonCommand, type CommandResult } from "./json-command";

export type { CommandResult };

export const KPI_USAGE = `Usage: npm run -s kpi -- --as-of YYYY-MM-DD [--scope company|customer:CODE|owner:EMAIL|region:NAME|grade:G]
                        [--period-start YYYY-MM-DD] [--baseline YYYY-MM-DD] --json
Prints the KPI object of KPIS.md section 5 as one line of JSON on stdout, from the database named
by DATABASE_URL. --json is required (the only output format). Exit 1 with a message on bad input.`;

/** `npm run kpi` without the process around it (tests run it in-process); the caller closes the database. */
export function kpiCommand(args: string[]): Promise<CommandResult> {
  return runJsonCommand(
    {
      name: "kpi",
      usage: KPI_USAGE,
      flags: ["as-of", "scope", "period-start", "baseline"],
      resolve: (flag) => {
        const request = { asOf: flag("as-of") ?? "", scope: flag("scope"), periodStart: flag("period-start"), baseline: flag("baseline") };
        resolveKpiRequest(request, { asOf: "--as-of", periodStart: "--period-start", baseline: "--baseline" });
        return request;
      },
      answer: (db, request) => kpiAnswer(db, request),
    },
    args,
  );
}

import { beforeAll, describe, expect, it } from "vitest";

import { loader as openapiLoader } from "~/routes/api.openapi[.]json";
import { loader as kpisLoader } from "~/routes/api.kpis";
import { loader as forecastLoader } from "~/routes/api.forecast";
import { BASE, call, makeUser, signedInAs } from "../../support/app";
import { schemaProblems } from "../../support/json-schema";
import { FORECAST_AS_OF, forecastLedgerOwners, importForecastLedger } from "../../support/forecast-ledger";

const owners = forecastLedgerOwners("openapi");
let cookie: string;
let document: Record<string, unknown>;

beforeAll(async () => {
  await makeUser("staff", { email: owners.a });
  await importForecastLedger(owners);
  cookie = (await signedInAs("head")).cookie;
  const response = (await call(openapiLoader, new Request(`${BASE}/api/openapi.json`))) as Response;
  expect(response.status).toBe(200);
  document = (await response.json()) as Record<string, unknown>;
});

async function answer(loader: typeof kpisLoader, path: string, withCookie = true) {
  const response = (await call(loader, new Request(`${BASE}${path}`, { headers: withCookie ? { Cookie: cookie } : {} }))) as Response;
  return { status: String(response.status), body: (await response.json()) as unknown };
}

/** The schema the document gives for this path's answer with this status. */
function responseSchema(path: string, status: string): Record<string, unknown> {
  const paths = document.paths as Record<string, { get: { responses: Record<string, { content: { "application/json": { schema: Record<string, unknown> } } }> } }>;
  const schema = paths[path]?.get.responses[status]?.content["application/json"].schema;
  if (!schema) throw new Error(`no schema for ${path} ${status}`);
  return schema;
}

describe("/api/openapi.json", () => {
  it("is an OpenAPI 3.1 document, served without signing in, describing /api/kpis and /api/forecast", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(Object.keys(document.paths as object)).toEqual(["/api/kpis", "/api/forecast"]);
  });

  it("describes the real answers of /api/kpis and /api/forecast, good and refused", async () => {
    const cases: [typeof kpisLoader, string, string, boolean][] = [
      [kpisLoader, "/api/kpis", `?asOf=${FORECAST_AS_OF}`, true],
      [kpisLoader, "/api/kpis", `?asOf=${FORECAST_AS_OF}&scope=customer:F1&periodStart=2026-01-01`, true],
      [kpisLoader, "/api/kpis", "?asOf=2026-02-30", true],
      [kpisLoader, "/api/kpis", `?asOf=${FORECAST_AS_OF}`, false],
      [kpisLoader, "/api/kpis", `?asOf=${FORECAST_AS_OF}&scope=customer:NOPE`, true],
      [forecastLoader, "/api/forecast", `?asOf=${FORECAST_AS_OF}`, true],
      [forecastLoader, "/api/forecast", `?asOf=${FORECAST_AS_OF}&scope=owner:${owners.a}&weeks=4`, true],
      [forecastLoader, "/api/forecast", `?asOf=${FORECAST_AS_OF}&weeks=99`, true],
      [forecastLoader, "/api/forecast", `?asOf=${FORECAST_AS_OF}`, false],
      [forecastLoader, "/api/forecast", `?asOf=${FORECAST_AS_OF}&scope=grade:Z`, true],
    ];
    const statuses: string[] = [];
    for (const [loader, path, query, withCookie] of cases) {
      const { status, body } = await answer(loader, `${path}${query}`, withCookie);
      statuses.push(status);
      expect(schemaProblems(document, responseSchema(path, status), body), `${path}${query}`).toEqual([]);
    }
    expect(statuses).toEqual(["200", "200", "400", "401", "404", "200", "200", "400", "401", "404"]);
  });

  it("catches an answer that strays from it", () => {
    const schema = responseSchema("/api/forecast", "200");
    expect(schemaProblems(document, schema, { asOf: "2026-03-31", scope: "company", weeks: [{ start: "2026-04-01" }], months: [], expected_write_off: "0", notes: [], extra: 1 })).toEqual([
      "$.weeks[0].end: missing",
      "$.weeks[0].open: missing",
      "$.weeks[0].new_sales: missing",
      "$.weeks[0].expected: missing",
      "$.weeks[0].low: missing",
      "$.weeks[0].high: missing",
      "$.expected_write_off: string is not number",
      "$.extra: not in the schema",
    ]);
  });
});

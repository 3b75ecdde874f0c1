/**
 * The OpenAPI 3.1 description of the JSON API (`/api/openapi.json`), for BI tools (Power BI,
 * FineBI, Excel's Power Query) and scripts. A test holds the real answers to these schemas: an
 * API added later is described here too.
 */

const date = { type: "string", format: "date", pattern: "^\\d{4}-\\d{2}-\\d{2}$" } as const;
const amount = { type: "number", description: "Major units of the base currency (e.g. 12345.67)" } as const;
const nullableNumber = { type: ["number", "null"] } as const;

const scopeParameter = {
  name: "scope",
  in: "query",
  required: false,
  description: "company (default), customer:CODE, owner:EMAIL, region:NAME or grade:G. Staff may ask for company, owner:<their email> and their own customers.",
  schema: { type: "string" },
} as const;

const asOfParameter = { name: "asOf", in: "query", required: true, description: "At the end of this day (YYYY-MM-DD)", schema: date } as const;

const errorResponses = Object.fromEntries(
  [
    ["400", "Bad input: a missing or unreal date, an unknown or repeated parameter, a malformed scope"],
    ["401", "No valid session cookie or API token"],
    ["403", "The role or the scope is not allowed for this user"],
    ["404", "The scope names no customer, owner, region or grade the ledger has"],
    ["405", "Only GET"],
  ].map(([status, description]) => [status, { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }]),
);

const aging = (keys: readonly string[]) => ({
  type: "object",
  additionalProperties: false,
  required: keys,
  properties: Object.fromEntries(keys.map((key) => [key, amount])),
});

export const OPENAPI_DOCUMENT = {
  openapi: "3.1.0",
  info: {
    title: "Quarterdeck API",
    version: "1.0.0",
    description:
      "Receivables KPIs and the collections forecast, read-only. Authenticate with a signed-in session cookie or an API token (Authorization: Bearer qd_…). Every answer is JSON; errors are { \"error\": \"…\" }.",
  },
  servers: [{ url: "/" }],
  security: [{ bearer: [] }, { session: [] }],
  paths: {
    "/api/kpis": {
      get: {
        operationId: "getKpis",
        summary: "Every KPI of the ledger as of a date, for a scope",
        parameters: [
          asOfParameter,
          scopeParameter,
          { name: "periodStart", in: "query", required: false, description: "Start of the period for billed, collected and the rates (default: the first day of asOf's fiscal quarter)", schema: date },
          { name: "baseline", in: "query", required: false, description: "Baseline date for overdue_at_baseline (default: the last day of the previous fiscal year)", schema: date },
        ],
        responses: { "200": { description: "The KPI object", content: { "application/json": { schema: { $ref: "#/components/schemas/Kpis" } } } }, ...errorResponses },
      },
    },
    "/api/forecast": {
      get: {
        operationId: "getForecast",
        summary: "Expected collections after a date: weekly, monthly, and the expected write-off",
        parameters: [
          asOfParameter,
          scopeParameter,
          { name: "weeks", in: "query", required: false, description: "Number of weeks (1–52, default 13); week k covers asOf + 7(k−1) + 1 to asOf + 7k", schema: { type: "integer", minimum: 1, maximum: 52 } },
        ],
        responses: { "200": { description: "The forecast", content: { "application/json": { schema: { $ref: "#/components/schemas/Forecast" } } } }, ...errorResponses },
      },
    },
  },
  components: {
    securitySchemes: {
      bearer: { type: "http", scheme: "bearer", description: "An API token made on the settings page" },
      session: { type: "apiKey", in: "cookie", name: "__session" },
    },
    schemas: {
      Error: { type: "object", additionalProperties: false, required: ["error"], properties: { error: { type: "string" } } },
      Kpis: {
        type: "object",
        additionalProperties: false,
        required: [
          "as_of", "scope", "currency", "period", "baseline_date", "ar_total", "unapplied_credit", "current", "overdue_total", "overdue_ratio", "aging",
          "aging_by_issue", "credit_sales_90d", "dso", "dso_countback", "bpdso", "add", "billed", "collected", "collection_rate", "cei", "written_off",
          "bad_debt_ratio", "overdue_at_baseline", "overdue_reduction", "customers_overdue", "customers_over_limit",
          "provision_total", "provision_ratio", "expected_loss_rate",
        ],
        properties: {
          as_of: date,
          scope: { type: "string" },
          currency: { type: "string" },
          period: { type: "object", additionalProperties: false, required: ["start", "end"], properties: { start: date, end: date } },
          baseline_date: date,
          ar_total: amount,
          unapplied_credit: amount,
          current: amount,
          overdue_total: amount,
          overdue_ratio: { ...nullableNumber, description: "A fraction (0.25, not 25)" },
          aging: aging(["current", "1_30", "31_60", "61_90", "91_180", "181_365", "over_365"]),
          aging_by_issue: aging(["0_365", "366_730", "731_1095", "over_1095"]),
          credit_sales_90d: amount,
          dso: { ...nullableNumber, description: "Days, unrounded" },
          dso_countback: { type: "number" },
          bpdso: nullableNumber,
          add: nullableNumber,
          billed: amount,
          collected: amount,
          collection_rate: nullableNumber,
          cei: { ...nullableNumber, description: "A percentage" },
          written_off: amount,
          bad_debt_ratio: nullableNumber,
          overdue_at_baseline: amount,
          overdue_reduction: nullableNumber,
          customers_overdue: { type: "integer" },
          customers_over_limit: { type: "integer" },
          provision_total: { ...amount, description: "The aging ladder's bad-debt provision, named-customer provisions included" },
          provision_ratio: { ...nullableNumber, description: "provision_total ÷ gross receivables, a fraction" },
          expected_loss_rate: { ...nullableNumber, description: "The migration-rate matrix's provision ÷ gross receivables, a fraction" },
        },
      },
      Forecast: {
        type: "object",
        additionalProperties: false,
        required: ["asOf", "scope", "weeks", "months", "expected_write_off", "notes"],
        properties: {
          asOf: date,
          scope: { type: "string" },
          weeks: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["start", "end", "open", "new_sales", "expected", "low", "high"],
              properties: {
                start: date,
                end: date,
                open: { ...amount, description: "Expected collections of what is open at asOf" },
                new_sales: { ...amount, description: "Expected collections of invoices issued after asOf" },
                expected: { ...amount, description: "open + new_sales" },
                low: amount,
                high: amount,
              },
            },
          },
          months: {
            type: "array",
            items: {
              type: "object",
              additionalProperties: false,
              required: ["month", "expected", "low", "high"],
              properties: { month: { type: "string", pattern: "^\\d{4}-\\d{2}$" }, expected: amount, low: amount, high: amount },
            },
          },
          expected_write_off: { ...amount, description: "Of what is open at asOf, from the roll rates" },
          notes: { type: "array", items: { type: "string" }, description: "Where the forecast fell back (a grade's or the company's days late, no roll rates)" },
        },
      },
    },
  },
} as const;

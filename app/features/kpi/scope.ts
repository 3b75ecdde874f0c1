/**
 * KPI scopes (KPIS.md section 4): the whole company, one customer, one owner (the customers
 * whose current owner is that user), one region, or one credit grade. Written as in the CLI and
 * the API: `company`, `customer:CODE`, `owner:EMAIL`, `region:NAME`, `grade:G`.
 */
export type KpiScope =
  | { type: "company" }
  | { type: "customer"; code: string }
  | { type: "owner"; email: string }
  | { type: "region"; name: string }
  | { type: "grade"; grade: string };

export type ScopeParse = { ok: true; scope: KpiScope } | { ok: false; message: string };

export function parseScope(text: string | null | undefined): ScopeParse {
  const raw = (text ?? "company").trim();
  if (raw === "" || raw === "company") return { ok: true, scope: { type: "company" } };
  const colon = raw.indexOf(":");
  const type = colon < 0 ? raw : raw.slice(0, colon);
  const value = colon < 0 ? "" : raw.slice(colon + 1).trim();
  const valid = "company, customer:CODE, owner:EMAIL, region:NAME or grade:G";
  if (colon < 0 || value === "") {
    return { ok: false, message: `scope "${raw}" is not one of ${valid}` };
  }
  switch (type) {
    case "customer":
      return { ok: true, scope: { type, code: value } };
    case "owner":
      return { ok: true, scope: { type, email: value.toLowerCase() } };
    case "region":
      return { ok: true, scope: { type, name: value } };
    case "grade":
      return { ok: true, scope: { type, grade: value } };
    default:
      return { ok: false, message: `scope "${raw}" is not one of ${valid}` };
  }
}

export function scopeText(scope: KpiScope): string {
  switch (scope.type) {
    case "company":
      return "company";
    case "customer":
      return `customer:${scope.code}`;
    case "owner":
      return `owner:${scope.email}`;
    case "region":
      return `region:${scope.name}`;
    case "grade":
      return `grade:${scope.grade}`;
  }
}

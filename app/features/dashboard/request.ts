/**
 * What the dashboard's URL asks for (`?asOf=YYYY-MM-DD&scope=region:East`) and whether the
 * viewer may see it. Pure: the loader passes the signed-in user and today's date.
 *
 * Scopes offered: the company, a region, a credit grade, an owner. Who may see which is the rule
 * the KPI API follows (kpi-access.ts): staff the company's totals (the customers named stay their
 * own) and their own book; another owner's book, a region or a grade is refused (403). Errors
 * carry i18n keys, so the page states them in the viewer's language.
 */
import type { Locale } from "~/i18n";
import { isValidIsoDate } from "~/kernel/dates";
import { kpiAccess } from "~/features/kpi";
import { type KpiScope, parseScope, scopeText } from "~/features/kpi";
import type { IsoDate } from "~/kernel/ledger/types";
import type { Role } from "~/kernel/permissions";

export const DASHBOARD_SCOPE_TYPES = ["company", "region", "grade", "owner"] as const;

/** The trend charts look two years back from the as-of date; earlier than this is not a ledger date. */
export const EARLIEST_AS_OF: IsoDate = "1900-01-01";

export interface DashboardViewer {
  id: number;
  role: Role;
  email: string;
  /** the language plan item titles are shown in (built-in text); English when not given */
  locale?: Locale;
}

export interface DashboardRequest {
  asOf: IsoDate;
  scope: KpiScope;
}

export interface DashboardError {
  /** i18n key */
  key: string;
  values: Record<string, string>;
}

export type DashboardRequestResult =
  | { ok: true; request: DashboardRequest; form: DashboardForm }
  | { ok: false; status: 400 | 403; error: DashboardError; form: DashboardForm };

/** What the picker form shows: the words as typed, so a bad value can be corrected in place. */
export interface DashboardForm {
  asOf: string;
  scope: string;
}

/** Staff start on their own book; everyone else on the whole company. */
export function defaultScope(viewer: DashboardViewer): KpiScope {
  return viewer.role === "staff" ? { type: "owner", email: viewer.email.toLowerCase() } : { type: "company" };
}

/** The KPI scope rule of the API and the CLI (kpi-access.ts); the dashboard offers no customer scope. */
export function mayViewScope(viewer: DashboardViewer, scope: KpiScope): boolean {
  return kpiAccess(viewer, scope).kind === "allowed";
}

export function readDashboardRequest(
  params: { asOf?: string | null; scope?: string | null },
  viewer: DashboardViewer,
  today: IsoDate,
): DashboardRequestResult {
  const asOfText = (params.asOf ?? "").trim();
  const scopeWords = (params.scope ?? "").trim();
  const asOf = asOfText === "" ? today : asOfText;
  const scopeParse = scopeWords === "" ? { ok: true as const, scope: defaultScope(viewer) } : parseScope(scopeWords);
  const form = { asOf, scope: scopeParse.ok ? scopeText(scopeParse.scope) : scopeWords };
  const fail = (status: 400 | 403, key: string, values: Record<string, string> = {}) =>
    ({ ok: false, status, error: { key, values }, form }) as const;

  if (!isValidIsoDate(asOf)) return fail(400, "dashboard.errors.badDate", { value: asOf });
  if (asOf < EARLIEST_AS_OF) return fail(400, "dashboard.errors.tooEarly", { value: asOf, earliest: EARLIEST_AS_OF });
  // a later day would show every open invoice as overdue by then, as if it had happened
  if (asOf > today) return fail(400, "dashboard.errors.future", { value: asOf, today });
  // widened only to ask includes() of a scope type
  if (!scopeParse.ok || !(DASHBOARD_SCOPE_TYPES as readonly string[]).includes(scopeParse.scope.type)) {
    return fail(400, "dashboard.errors.badScope", { value: scopeWords });
  }
  if (!mayViewScope(viewer, scopeParse.scope)) return fail(403, "dashboard.errors.forbiddenScope", { value: scopeWords });
  return { ok: true, request: { asOf, scope: scopeParse.scope }, form };
}

import type { ColumnType, Generated, Insertable, Selectable, Updateable } from "kysely";

/** ISO timestamp (UTC, `2026-11-23T16:44:09.000Z`) stored as text: portable across SQLite and Postgres. */
type Timestamp = string;
/** 0/1 in SQLite; kept numeric so the same code reads Postgres smallints. */
type Flag = ColumnType<number, number | undefined, number>;

export type Role = "head" | "staff" | "leader" | "admin";
export type Locale = "en" | "zh-CN";
export type AmountUnit = "yuan" | "wan";

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  /** null for users created by a ledger import who have never been given a password */
  password_hash: string | null;
  active: Flag;
  locale: ColumnType<Locale, Locale | undefined, Locale>;
  amount_unit: ColumnType<AmountUnit, AmountUnit | undefined, AmountUnit>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** the TOTP secret (base32), `v1:`-encrypted when QUARTERDECK_SECRET_KEY is set; null = no 2FA */
  two_factor_secret: ColumnType<string | null, string | null | undefined, string | null>;
  /** a secret being set up, not yet confirmed by a code */
  two_factor_pending_secret: ColumnType<string | null, string | null | undefined, string | null>;
  two_factor_enabled_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  /** the last accepted 30-second step: a code is accepted once */
  two_factor_last_step: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface RecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  /** argon2id, like passwords */
  code_hash: string;
  created_at: Timestamp;
  used_at: Timestamp | null;
}

/** The password step's result waiting for the code; id = sha256 of the browser's cookie. */
export interface PendingSignInsTable {
  id: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  redirect_to: string | null;
}

export interface SessionsTable {
  /** sha256 of the cookie token: a stolen database does not yield live sessions */
  id: string;
  user_id: number;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginThrottleTable {
  /** `ip:<address>` or `account:<email>` */
  key: string;
  failures: number;
  last_failure_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  user_id: number | null;
  entity: string;
  entity_id: string;
  action: string;
  /** JSON text */
  before: string | null;
  /** JSON text */
  after: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export type CustomerStatus = "active" | "inactive";
export type AdjustmentType = "credit_note" | "write_off" | "offset";
/** pending: staged and previewed; expired: left unstarted for a day; cancelled: dropped by the user */
export type ImportStatus = "pending" | "running" | "succeeded" | "failed" | "expired" | "cancelled";

/** Money columns are integer minor units (fen/cents); dates are ISO `YYYY-MM-DD` text. */
export interface CustomersTable {
  id: Generated<number>;
  code: string;
  name: string;
  region: string | null;
  owner_id: number | null;
  credit_grade: string | null;
  credit_limit: number | null;
  payment_terms_days: ColumnType<number, number | undefined, number>;
  status: ColumnType<CustomerStatus, CustomerStatus | undefined, CustomerStatus>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** where its statements and dunning letters are e-mailed (db/migrations/2026-12-10-notifications-customer-mail.ts) */
  contact_email: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface InvoicesTable {
  id: Generated<number>;
  invoice_no: string;
  customer_id: number;
  issue_date: string;
  due_date: string;
  amount: number;
}

export interface PaymentsTable {
  id: Generated<number>;
  payment_no: string;
  customer_id: number;
  date: string;
  amount: number;
  invoice_id: number | null;
}

export interface AdjustmentsTable {
  id: Generated<number>;
  adjustment_no: string;
  customer_id: number;
  date: string;
  amount: number;
  type: AdjustmentType;
  invoice_id: number | null;
}

/** Derived at import: invoices with money still open once every document is counted. */
export interface OpenItemsTable {
  invoice_id: number;
  customer_id: number;
  issue_date: string;
  due_date: string;
  open_amount: number;
}

/**
 * Derived at import beside `open_items`: every invoice of a swept customer with the day it was last
 * settled once every document is counted (null while anything is open). The credit review reads
 * its days late from here (db/migrations/2026-12-07-credit-review-openings).
 */
export interface InvoicePaidDatesTable {
  customer_id: number;
  invoice_id: number;
  issue_date: string;
  due_date: string;
  amount: number;
  paid_on: string | null;
}

export type WarningSeverityColumn = "info" | "warning" | "critical";

/** One early-warning rule per kind: its parameters (JSON, read through the rules' schema), severity and on/off. */
export interface WarningRulesTable {
  kind: string;
  position: number;
  params: string;
  severity: WarningSeverityColumn;
  enabled: number;
  updated_by: number | null;
  updated_at: Timestamp;
}

/** What the warning rules raised: one row per rule and subject while true, then acknowledged or resolved. */
export interface WarningsTable {
  id: Generated<number>;
  rule_kind: string;
  /** "customer:12", "invoice:345" or "owner:3" */
  subject_key: string;
  customer_id: number | null;
  invoice_id: number | null;
  /** the owner to act */
  owner_id: number | null;
  severity: WarningSeverityColumn;
  /** JSON [{ key, params }] */
  reasons: string;
  raised_on: string;
  last_seen_on: string;
  state: ColumnType<"open" | "acknowledged" | "resolved", "open" | "acknowledged" | "resolved" | undefined, "open" | "acknowledged" | "resolved">;
  resolved_on: string | null;
  /** person: resolved with a note; cleared: closed by the sweep once no longer true; rule_off: its rule was switched off */
  resolution: "person" | "cleared" | "rule_off" | null;
  /** the day a person's resolution was seen no longer true (the rule may raise the subject again) */
  cleared_on: string | null;
  note: ColumnType<string, string | undefined, string>;
  acted_by: number | null;
  acted_at: Timestamp | null;
  version: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
}

type FineBand = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17;

/**
 * Bad-debt provision inputs kept by the import's sweep (db/migrations/2026-12-08-provisions-positions):
 * open (a*) and as-if-never-written-off (g*) amounts by fine age band at the month ends before the
 * customer's last document.
 */
export type ProvisionPositionsTable = {
  customer_id: number;
  month_end: string;
  basis: "issue" | "due";
} & { [K in `a${FineBand}` | `g${FineBand}`]: number };

export interface ProvisionCustomersTable {
  customer_id: number;
  last_document_date: string;
  write_offs: number;
}

export interface ProvisionGrossItemsTable {
  customer_id: number;
  issue_date: string;
  due_date: string;
  open_amount: number;
}

export type ProvisionReason = "lawyer_letter" | "litigation" | "bankruptcy" | "other";

/** The ladder's rate table, versioned by effective date (db/migrations/2026-12-08-provisions-tables). */
export interface ProvisionRateTablesTable {
  id: Generated<number>;
  effective_from: string;
  basis: "issue" | "due";
  /** comma list of days */
  upper_days: string;
  /** comma list of parts per million */
  rates_ppm: string;
  note: string;
  version: Generated<number>;
  updated_by: number | null;
  updated_at: string;
}

/** Named-customer provisions (单项计提). */
export interface ProvisionSpecificTable {
  id: Generated<number>;
  customer_id: number;
  effective_from: string;
  ended_on: string | null;
  kind: "percent" | "amount";
  /** ppm for a percentage, minor units for an amount */
  value: number;
  reason: ProvisionReason;
  evidence: string;
  version: Generated<number>;
  updated_by: number | null;
  updated_at: string;
}

export interface ProvisionAdjustmentsTable {
  id: Generated<number>;
  effective_from: string;
  adjustment_ppm: number;
  reason: string;
  proposed_by: number | null;
  proposed_at: string;
  approved_by: number | null;
  approved_at: string | null;
  version: Generated<number>;
}

/** Provision runs per period end, frozen once approved (db/migrations/2026-12-09-provisions-runs). */
export interface ProvisionRunsTable {
  id: Generated<number>;
  period_end: string;
  period_kind: "month" | "quarter" | "year";
  status: Generated<"draft" | "approved">;
  basis: "issue" | "due";
  figures: string;
  ladder_total: number;
  matrix_total: number;
  gross: number;
  previous_run_id: number | null;
  opening: number;
  written_off: number;
  flags: Generated<string>;
  flags_seen: Generated<number>;
  version: Generated<number>;
  drafted_by: number | null;
  drafted_at: string;
  approved_by: number | null;
  approved_at: string | null;
}

export type CreditReviewOpeningStatus = "queued" | "running" | "done" | "failed";

/** Opening a quarter's credit review, run as a background job; `active` is 1 while queued or running (one at a time). */
export interface CreditReviewOpeningsTable {
  id: Generated<number>;
  fiscal_year: number;
  quarter: number;
  status: ColumnType<CreditReviewOpeningStatus, CreditReviewOpeningStatus | undefined, CreditReviewOpeningStatus>;
  active: number | null;
  requested_by: number | null;
  requested_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  progress_done: ColumnType<number, number | undefined, number>;
  progress_total: ColumnType<number, number | undefined, number>;
  updated_at: Timestamp;
  review_id: number | null;
  /** an i18n key saying why the opening failed */
  error: string | null;
  error_detail: string | null;
}

export interface UnappliedCreditsTable {
  customer_id: number;
  amount: number;
}

export interface ColumnMappingsTable {
  id: Generated<number>;
  name: string;
  /** JSON of the mapping definition */
  definition: string;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ImportRunsTable {
  id: Generated<number>;
  user_id: number | null;
  source: "web" | "cli";
  status: ImportStatus;
  /** JSON: [{ kind, name, encoding, format }] */
  files: string;
  /** JSON: per file { added, updated, unchanged } */
  summary: string | null;
  /** the row report of a failed import, in English (the command line's words) */
  report: string | null;
  /** JSON { errorCount, errors: [{ file, line, column, message: { key, params } }], failure?: { key, params } }:
   * the report as data, shown in the reader's language */
  issues: string | null;
  /** pending: when the files were staged */
  started_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** sha256 of the token: the token itself is shown once and never stored */
  token_hash: string;
  /** the token's first characters (`qd_` and a few more), so a user can tell their tokens apart */
  token_prefix: string;
  created_at: Timestamp;
  /** null: works until revoked */
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** KPI summary scopes: the company (key ''), an owner (key: user id), a region, a credit grade. */
export interface KpiScopesTable {
  id: Generated<number>;
  kind: "company" | "owner" | "region" | "grade";
  key: string;
}

/**
 * Derived at import (app/features/kpi/summary.ts): a scope's KPI inputs at the end of `day`, stored
 * only on days where a value changes. Balances and aging in minor units, customer counts, and
 * running totals of sales, collections and write-offs through `day`.
 */
export interface KpiDailySummariesTable {
  scope_id: number;
  day: string;
  unapplied_credit: number;
  aging_current: number;
  aging_1_30: number;
  aging_31_60: number;
  aging_61_90: number;
  aging_91_180: number;
  aging_181_365: number;
  aging_over_365: number;
  issue_0_365: number;
  issue_366_730: number;
  issue_731_1095: number;
  issue_over_1095: number;
  customers_overdue: number;
  customers_over_limit: number;
  sales_to_date: number;
  collected_to_date: number;
  written_off_to_date: number;
}

/**
 * One row (id 1); rebuild_needed 1 when the summaries were never built for the ledger as it is (a
 * database imported before they existed): requests then settle the ledger until they are built.
 */
export interface KpiSummaryStatusTable {
  id: number;
  rebuild_needed: number;
}

/**
 * Customers whose owner, region, grade or limit changed outside the app's writers (a trigger
 * notes them): the summaries still count each under these values until the background job
 * moves it. Requests keep reading the summaries meanwhile.
 */
export interface KpiSummaryPendingCustomersTable {
  customer_id: number;
  owner_id: number | null;
  region: string | null;
  credit_grade: string | null;
  credit_limit: number | null;
}

export type PlanStateColumn = "draft" | "submitted" | "returned" | "approved" | "closed";

/** Quarterly plans; `version` is bumped by every save (optimistic locking). */
export interface PlansTable {
  id: Generated<number>;
  fiscal_year: number;
  quarter: number;
  /** The plan's own first and last day, fixed when it is created (db/migrations/2026-12-06-plans-dates). */
  start_date: string;
  end_date: string;
  /** The fiscal year's first month its name (fiscal_year, quarter) was given under. */
  fiscal_start_month: number;
  state: PlanStateColumn;
  version: Generated<number>;
  approved_version: Generated<number>;
  return_comment: string | null;
  review_note: string | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** KPI link columns hold engine units: money in minor units, ratios as fractions. */
export interface PlanItemsTable {
  id: Generated<number>;
  plan_id: number;
  position: number;
  title: string;
  category: string;
  description: Generated<string>;
  owner_id: number | null;
  due_date: string | null;
  status: "todo" | "in_progress" | "done" | "blocked" | "cancelled";
  blocked_reason: string | null;
  outcome: "done" | "missed" | "carried_over" | null;
  done_on: string | null;
  kpi_key: string | null;
  kpi_scope: string | null;
  kpi_better: "up" | "down" | null;
  kpi_baseline: number | null;
  kpi_baseline_date: string | null;
  kpi_target: number | null;
  /** the planned path through the quarter (2026-12-10-forecast-plan-item-path.ts); null: straight */
  kpi_path: ColumnType<"straight" | "last_year" | null, "straight" | "last_year" | null | undefined, "straight" | "last_year" | null>;
  carried_over_from: number | null;
  template_key: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlanItemCustomersTable {
  item_id: number;
  customer_id: number;
}

export interface PlanCommentsTable {
  id: Generated<number>;
  plan_id: number;
  item_id: number | null;
  kind: "comment" | "note";
  author_id: number | null;
  body: string;
  created_at: Timestamp;
}

/** The plan as leadership approved it, one JSON document per approval. */
export interface PlanSnapshotsTable {
  plan_id: number;
  approved_version: number;
  approved_at: Timestamp;
  approved_by: number | null;
  snapshot: string;
}

/** The head's edited annual plan template; empty = the built-in standard (app/features/plans/template.ts). */
export interface PlanTemplateItemsTable {
  id: Generated<number>;
  quarter: number;
  position: number;
  key: string;
  category: string;
  title_en: string;
  title_zh: string;
  description_en: ColumnType<string, string | undefined, string>;
  description_zh: ColumnType<string, string | undefined, string>;
  due_month: number;
  /** 1-28, or 0 for the month's last day */
  due_day: number;
  kpi_key: string | null;
  updated_at: Timestamp;
  updated_by: number | null;
  /** raised by every save; a save naming an older one is refused (db/migrations/2026-12-06-versions-…) */
  version: ColumnType<number, number | undefined, number>;
}

/** Leadership's comments on a fiscal year's year-end review (db/migrations/2026-11-23-11). */
export interface ReviewCommentsTable {
  id: Generated<number>;
  fiscal_year: number;
  author_id: number | null;
  body: string;
  created_at: Timestamp;
}

/** The head's written report on a period (db/migrations/2026-12-08-year-review-reports.ts). */
export interface ReviewReportsTable {
  id: Generated<number>;
  fiscal_year: number;
  /** 'year' for the year-end report */
  period: Generated<string>;
  state: "draft" | "submitted" | "returned" | "accepted";
  version: Generated<number>;
  overdue_text: string;
  work_text: string;
  problems_text: string;
  measures_text: string;
  accepted_version: number | null;
  created_by: number | null;
  created_at: Timestamp;
  updated_by: number | null;
  updated_at: Timestamp;
}

/** Every submitted text of a report, and the accepted one, as they were. */
export interface ReviewReportVersionsTable {
  id: Generated<number>;
  report_id: number;
  version: number;
  state: "submitted" | "accepted";
  overdue_text: string;
  work_text: string;
  problems_text: string;
  measures_text: string;
  by_user: number | null;
  at: Timestamp;
}

/** Leadership's comment on one section of a report, written when returning or accepting it. */
export interface ReviewReportCommentsTable {
  id: Generated<number>;
  report_id: number;
  report_version: number;
  section: "overdue" | "work" | "problems" | "measures";
  decision: "returned" | "accepted";
  author_id: number | null;
  body: string;
  created_at: Timestamp;
}

/**
 * Both wordings of a text the app wrote from built-in bilingual text (the plan template, the demo
 * data): `entity`/`entity_id`/`field` name the record's text column, which holds one of the two.
 * While it still does, pages show the viewer's language; once a person changes it, their text.
 */
export interface BuiltInTextsTable {
  entity: string;
  entity_id: number;
  field: string;
  en: string;
  zh: string;
}

/** A customer's invoices settled in a month (db/migrations/2026-12-08-forecast-payment-months): minor units, and × days. */
export interface ForecastPaymentMonthsTable {
  customer_id: number;
  /** YYYY-MM of the day the invoice was settled */
  month: string;
  paid_amount: number;
  late_amount_days: number;
  pay_amount_days: number;
  late_amount_days_sq: number;
  pay_amount_days_sq: number;
}

/** The same sums by group: `grade:G` for a credit grade, '' for the whole company. */
export interface ForecastPaymentGroupsTable extends Omit<ForecastPaymentMonthsTable, "customer_id"> {
  group_key: string;
}

/**
 * A customer's sums of `forecast_payment_months` over the 12 full months before `as_of_month`
 * (db/migrations/2026-12-12-forecast-payment-windows): the window of a forecast as of that month.
 */
export interface ForecastPaymentWindowsTable extends ForecastPaymentMonthsTable {
  /** YYYY-MM: the window is the 12 months before it */
  as_of_month: string;
}

/** The collection curve: amount settled by group ('' company, 'grade:G'), month of payment and days from issue (400 = 400 or more). */
export interface ForecastPaymentLagsTable {
  group_key: string;
  month: string;
  days: number;
  paid_amount: number;
}

/** One row (id 1): what `forecast_payment_months` was last built from. */
export interface ForecastInputsStatusTable {
  id: number;
  built_from: string;
  built_at: string;
}

/**
 * The weekly forecasts as they stood when each week started (app/features/forecast/frozen.ts):
 * on Monday `frozen_on`, the 13 weeks forecast as of the Sunday before, for one KPI summary scope
 * (kind and key as `kpi_scopes`). Only added, never changed. Minor units.
 */
export interface ForecastFrozenWeeksTable {
  scope_kind: "company" | "owner" | "region" | "grade";
  scope_key: string;
  frozen_on: string;
  week: number;
  week_start: string;
  week_end: string;
  expected: number;
  low: number;
  high: number;
  /** 1 when frozen after the week had started (worked out from the ledger as of the Sunday before) */
  reconstructed: number;
  frozen_at: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  recovery_codes: RecoveryCodesTable;
  pending_sign_ins: PendingSignInsTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  customers: CustomersTable;
  invoices: InvoicesTable;
  payments: PaymentsTable;
  adjustments: AdjustmentsTable;
  open_items: OpenItemsTable;
  invoice_paid_dates: InvoicePaidDatesTable;
  provision_positions: ProvisionPositionsTable;
  provision_customers: ProvisionCustomersTable;
  provision_gross_items: ProvisionGrossItemsTable;
  provision_rate_tables: ProvisionRateTablesTable;
  provision_specific: ProvisionSpecificTable;
  provision_specific_actions: { specific_id: number; action_id: number };
  provision_adjustments: ProvisionAdjustmentsTable;
  provision_runs: ProvisionRunsTable;
  unapplied_credits: UnappliedCreditsTable;
  column_mappings: ColumnMappingsTable;
  import_runs: ImportRunsTable;
  api_tokens: ApiTokensTable;
  kpi_scopes: KpiScopesTable;
  kpi_daily_summaries: KpiDailySummariesTable;
  kpi_summary_status: KpiSummaryStatusTable;
  kpi_summary_pending_customers: KpiSummaryPendingCustomersTable;
  forecast_payment_months: ForecastPaymentMonthsTable;
  forecast_payment_windows: ForecastPaymentWindowsTable;
  forecast_payment_groups: ForecastPaymentGroupsTable;
  forecast_payment_lags: ForecastPaymentLagsTable;
  forecast_inputs_status: ForecastInputsStatusTable;
  forecast_frozen_weeks: ForecastFrozenWeeksTable;
  plans: PlansTable;
  plan_items: PlanItemsTable;
  plan_item_customers: PlanItemCustomersTable;
  plan_comments: PlanCommentsTable;
  plan_snapshots: PlanSnapshotsTable;
  review_comments: ReviewCommentsTable;
  review_reports: ReviewReportsTable;
  review_report_versions: ReviewReportVersionsTable;
  review_report_comments: ReviewReportCommentsTable;
  plan_template_items: PlanTemplateItemsTable;
  built_in_texts: BuiltInTextsTable;
  // Credit management (db/migrations/2026-11-23-08-credit.ts). Money in minor units.
  credit_grades: {
    code: string;
    /** 0 = best */
    rank: number;
    payment_terms_days: number;
    grace_days: number;
    stop_shipment_days: number;
    review_months: number;
    limit_policy: "standard" | "secured" | "cash_before_delivery";
    /** months of sales x 10 */
    limit_months_tenths: number;
    updated_by: number | null;
    updated_at: Timestamp;
  };
  credit_rules: {
    id: Generated<number>;
    position: number;
    metric: "avg_days_late" | "overdue_ratio" | "broken_promises" | "write_offs" | "utilisation";
    comparator: "lt" | "lte" | "gt" | "gte";
    /** threshold x 100, in the metric's unit (days, percent, count) */
    threshold_hundredths: number;
    action: "promote" | "demote" | "to-grade";
    to_grade: string | null;
  };
  customer_holds: {
    id: Generated<number>;
    customer_id: number;
    kind: "cash_before_delivery" | "stop_shipment";
    reason: string;
    set_by: number | null;
    set_at: Timestamp;
    released_by: number | null;
    released_at: Timestamp | null;
    release_reason: string | null;
  };
  collection_actions: {
    id: Generated<number>;
    customer_id: number;
    user_id: number | null;
    kind: "call" | "visit" | "email" | "lawyer_letter" | "repayment_agreement" | "promise_to_pay";
    action_date: string;
    note: ColumnType<string, string | undefined, string>;
    amount: number | null;
    created_at: Timestamp;
  };
  dunning_templates: {
    level: "reminder" | "demand" | "lawyer_letter";
    locale: "en" | "zh-CN";
    subject: string;
    body: string;
    updated_by: number | null;
    updated_at: string;
  };
  payment_promises: {
    id: Generated<number>;
    customer_id: number;
    action_id: number;
    kind: "promise" | "instalment";
    sequence: ColumnType<number, number | undefined, number>;
    made_on: string;
    due_on: string;
    amount: number;
    status: ColumnType<"pending" | "kept" | "broken", "pending" | "kept" | "broken" | undefined, "pending" | "kept" | "broken">;
    paid: ColumnType<number, number | undefined, number>;
    kept_on: string | null;
    evaluated_on: string | null;
    created_at: Timestamp;
  };
  confirmation_batches: {
    id: Generated<number>;
    name: string;
    period_end: string;
    created_by: number | null;
    created_at: Timestamp;
    closed_at: Timestamp | null;
  };
  balance_confirmations: {
    id: Generated<number>;
    batch_id: number;
    customer_id: number;
    owner_id: number | null;
    region: string | null;
    our_balance: number;
    sent_on: string | null;
    channel: "post" | "electronic" | "in_person" | null;
    returned_on: string | null;
    result: "matched" | "mismatched" | "not_returned" | null;
    difference: ColumnType<number, number | undefined, number>;
    note: ColumnType<string, string | undefined, string>;
    resolved_on: string | null;
    resolution_note: string | null;
    updated_by: number | null;
    updated_at: Timestamp;
    /** raised by every change; a change naming an older one is refused (db/migrations/2026-12-06-versions-…) */
    version: ColumnType<number, number | undefined, number>;
  };
  credit_review_openings: CreditReviewOpeningsTable;
  // Notifications (db/migrations/2026-12-08-notifications-inbox-outbox.ts).
  notification_events: {
    id: Generated<number>;
    kind: string;
    /** JSON of the message's parameters */
    params: ColumnType<string, string | undefined, string>;
    link: string;
    actor_id: number | null;
    dedupe_key: string | null;
    created_at: Timestamp;
  };
  notifications: {
    id: Generated<number>;
    event_id: number;
    user_id: number;
    read_at: Timestamp | null;
    created_at: Timestamp;
  };
  notification_preferences: {
    user_id: number;
    kind: string;
    channel: "inbox" | "email" | "chat" | "none";
  };
  chat_robots: {
    id: Generated<number>;
    kind: "wecom" | "dingtalk" | "feishu";
    name: string;
    /** sealed with QUARTERDECK_SECRET_KEY when it is set */
    url: string;
    secret: string | null;
    locale: ColumnType<Locale, Locale | undefined, Locale>;
    active: Flag;
    created_by: number | null;
    created_at: Timestamp;
  };
  notification_outbox: {
    id: Generated<number>;
    channel: "email" | "chat";
    event_id: number | null;
    user_id: number | null;
    robot_id: number | null;
    recipient: string;
    subject: string;
    body: string;
    status: ColumnType<"pending" | "sent" | "failed", "pending" | "sent" | "failed" | undefined, "pending" | "sent" | "failed">;
    attempts: ColumnType<number, number | undefined, number>;
    next_attempt_at: Timestamp;
    last_error: string | null;
    dedupe_key: string;
    created_at: Timestamp;
    sent_at: Timestamp | null;
    /** a document sent with the e-mail: its file name and its bytes as base64 */
    attachment_name: ColumnType<string | null, string | null | undefined, string | null>;
    attachment: ColumnType<string | null, string | null | undefined, string | null>;
  };
  job_locks: { name: string; holder: string; expires_at: Timestamp };
  // Early warnings (db/migrations/2026-12-08-warnings-rules-and-warnings.ts).
  warning_rules: WarningRulesTable;
  warnings: WarningsTable;
  // Staff scoring rules, one row (db/migrations/2026-12-09-scoring-rules.ts).
  scoring_rules: {
    id: number;
    weight_collection_rate: number;
    weight_overdue_reduction: number;
    weight_promises_kept: number;
    weight_items_on_time: number;
    warn_below: number;
    version: number;
    updated_by: number | null;
    updated_at: Timestamp;
  };
  credit_reviews: {
    id: Generated<number>;
    fiscal_year: number;
    quarter: number;
    as_of: string;
    status: ColumnType<"open" | "closed", "open" | "closed" | undefined, "open" | "closed">;
    created_by: number | null;
    created_at: Timestamp;
    closed_at: Timestamp | null;
    /** the quarter's plan item of category credit_review (db/migrations/2026-11-23-12) */
    plan_item_id: number | null;
  };
  credit_review_items: {
    id: Generated<number>;
    review_id: number;
    customer_id: number;
    current_grade: string | null;
    suggested_grade: string | null;
    current_limit: number | null;
    suggested_limit: number | null;
    /** JSON [{ key, params }] */
    reasons: ColumnType<string, string | undefined, string>;
    decision: "accept" | "modify" | "reject" | null;
    decided_grade: string | null;
    decided_limit: number | null;
    comment: ColumnType<string, string | undefined, string>;
    decided_by: number | null;
    decided_at: Timestamp | null;
    needs_approval: Flag;
    /** the leader who answered a waiting decision (approved or declined), and when */
    approved_by: number | null;
    approved_at: Timestamp | null;
    // db/migrations/2026-11-23-12-credit-review-links.ts
    selection: ColumnType<"never_reviewed" | "due" | "flagged", "never_reviewed" | "due" | "flagged" | undefined, "never_reviewed" | "due" | "flagged">;
    last_reviewed_on: string | null;
    ar_total: ColumnType<number, number | undefined, number>;
    trailing_sales: ColumnType<number, number | undefined, number>;
    /** figures x 100 (percent / days); null when not measurable */
    utilisation_hundredths: number | null;
    avg_days_late_hundredths: number | null;
    overdue_ratio_hundredths: number | null;
    broken_promises: ColumnType<number, number | undefined, number>;
    approval_decision: "approved" | "declined" | null;
    approval_comment: ColumnType<string, string | undefined, string>;
    applied_at: Timestamp | null;
  };
  // The status table as published to leadership (db/migrations/2026-12-11-status-publications.ts).
  status_publications: {
    id: Generated<number>;
    /** `YYYY-MM`, one publication per month */
    month: string;
    /** the latest version's number */
    version: number;
    created_by: number | null;
    created_at: Timestamp;
    updated_by: number | null;
    updated_at: Timestamp;
  };
  status_publication_versions: {
    id: Generated<number>;
    publication_id: number;
    version: number;
    /** the head's note, Markdown */
    note: string;
    /** the date the figures are as of (the month end) */
    closing_date: string;
    customers: number;
    published_by: number | null;
    published_at: Timestamp;
  };
  /** The table's rows copied at publishing, money in minor units, in customer code order. */
  status_publication_rows: {
    version_id: number;
    position: number;
    code: string;
    name: string;
    owner_name: string | null;
    region: string | null;
    credit_grade: string | null;
    credit_limit: number | null;
    opening: number;
    billed: number;
    collected: number;
    closing: number;
    overdue: number;
    aging_current: number;
    aging_1_30: number;
    aging_31_60: number;
    aging_61_90: number;
    aging_91_180: number;
    aging_181_365: number;
    aging_over_365: number;
    overdue_change: number;
  };
  status_publication_comments: {
    id: Generated<number>;
    publication_id: number;
    /** the version the comment was written on */
    version: number;
    author_id: number | null;
    body: string;
    created_at: Timestamp;
  };
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type Session = Selectable<SessionsTable>;
export type AuditEntry = Selectable<AuditLogTable>;
export type Customer = Selectable<CustomersTable>;
export type Invoice = Selectable<InvoicesTable>;
export type ImportRun = Selectable<ImportRunsTable>;
export type ApiToken = Selectable<ApiTokensTable>;
export type StatusPublicationRow = Selectable<Database["status_publication_rows"]>;

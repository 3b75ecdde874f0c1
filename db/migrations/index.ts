import type { Migration, MigrationProvider } from "kysely";

import * as foundation from "./2026-11-23-01-foundation";
import * as ledger from "./2026-11-23-02-ledger";
import * as invoiceSortIndexes from "./2026-11-23-03-invoice-sort-indexes";
import * as apiTokens from "./2026-11-23-04-api-tokens";
import * as kpiSummaries from "./2026-11-23-06-kpi-summaries";
import * as plans from "./2026-11-23-07-plans";
import * as credit from "./2026-11-23-08-credit";
import * as statusTable from "./2026-11-23-09-status-table";
import * as planTemplate from "./2026-11-23-10-plan-template";
import * as reviewComments from "./2026-11-23-11-review-comments";
import * as creditReviewLinks from "./2026-11-23-12-credit-review-links";
import * as statusDay from "./2026-11-23-16-status-day";
import * as importRunsIssuesExpiry from "./2026-12-06-import-runs-issues-expiry";
import * as kpiSummariesPendingCustomers from "./2026-12-06-kpi-summaries-pending-customers";
import * as builtInTexts from "./2026-12-06-layout-built-in-texts";
import * as plansDates from "./2026-12-06-plans-dates";
import * as usersTwoFactor from "./2026-12-06-users-two-factor";
import * as versionsTemplateItemsConfirmations from "./2026-12-06-versions-template-items-confirmations";
import * as creditNames from "./2026-12-06-vocabulary-credit-names";
import * as creditReviewOpenings from "./2026-12-07-credit-review-openings";
import * as dunningTemplates from "./2026-12-08-dunning-templates";
import * as forecastPaymentMonths from "./2026-12-08-forecast-payment-months";
import * as notificationsInboxOutbox from "./2026-12-08-notifications-inbox-outbox";
import * as postgresTriggers from "./2026-12-08-postgres-triggers";
import * as provisionsPositions from "./2026-12-08-provisions-positions";
import * as provisionsTables from "./2026-12-08-provisions-tables";
import * as warningsRulesAndWarnings from "./2026-12-08-warnings-rules-and-warnings";
import * as yearReviewReports from "./2026-12-08-year-review-reports";
import * as provisionsRuns from "./2026-12-09-provisions-runs";
import * as scoringRules from "./2026-12-09-scoring-rules";
import * as forecastFrozenWeeks from "./2026-12-10-forecast-frozen-weeks";
import * as forecastPlanItemPath from "./2026-12-10-forecast-plan-item-path";
import * as notificationsCustomerMail from "./2026-12-10-notifications-customer-mail";
import * as forecastPaymentLags from "./2026-12-11-forecast-payment-lags";
import * as statusPublications from "./2026-12-11-status-publications";
import * as warningsForecastTarget from "./2026-12-11-warnings-forecast-target";
import * as forecastPaymentWindows from "./2026-12-12-forecast-payment-windows";
import * as provisionsOpenRunIssueDates from "./2026-12-12-provisions-open-run-issue-dates";

/**
 * Static provider: Kysely's FileMigrationProvider import()s .ts files at run time, which
 * fails under vitest and in the bundled server. Append new migrations here, named so that they sort
 * after every existing one: Kysely runs them in name order and refuses a database that has run a
 * migration sorting after one it has not (a test checks the order).
 */
const migrations: Record<string, Migration> = {
  "2026-11-23-01-foundation": foundation,
  "2026-11-23-02-ledger": ledger,
  "2026-11-23-03-invoice-sort-indexes": invoiceSortIndexes,
  "2026-11-23-04-api-tokens": apiTokens,
  "2026-11-23-06-kpi-summaries": kpiSummaries,
  "2026-11-23-07-plans": plans,
  "2026-11-23-08-credit": credit,
  "2026-11-23-09-status-table": statusTable,
  "2026-11-23-10-plan-template": planTemplate,
  "2026-11-23-11-review-comments": reviewComments,
  "2026-11-23-12-credit-review-links": creditReviewLinks,
  "2026-11-23-16-status-day": statusDay,
  "2026-12-06-import-runs-issues-expiry": importRunsIssuesExpiry,
  "2026-12-06-kpi-summaries-pending-customers": kpiSummariesPendingCustomers,
  "2026-12-06-layout-built-in-texts": builtInTexts,
  "2026-12-06-plans-dates": plansDates,
  "2026-12-06-users-two-factor": usersTwoFactor,
  "2026-12-06-versions-template-items-confirmations": versionsTemplateItemsConfirmations,
  "2026-12-06-vocabulary-credit-names": creditNames,
  "2026-12-07-credit-review-openings": creditReviewOpenings,
  "2026-12-08-dunning-templates": dunningTemplates,
  "2026-12-08-forecast-payment-months": forecastPaymentMonths,
  "2026-12-08-notifications-inbox-outbox": notificationsInboxOutbox,
  "2026-12-08-postgres-triggers": postgresTriggers,
  "2026-12-08-provisions-positions": provisionsPositions,
  "2026-12-08-provisions-tables": provisionsTables,
  "2026-12-08-warnings-rules-and-warnings": warningsRulesAndWarnings,
  "2026-12-08-year-review-reports": yearReviewReports,
  "2026-12-09-provisions-runs": provisionsRuns,
  "2026-12-09-scoring-rules": scoringRules,
  "2026-12-10-forecast-frozen-weeks": forecastFrozenWeeks,
  "2026-12-10-forecast-plan-item-path": forecastPlanItemPath,
  "2026-12-10-notifications-customer-mail": notificationsCustomerMail,
  "2026-12-11-forecast-payment-lags": forecastPaymentLags,
  "2026-12-11-status-publications": statusPublications,
  "2026-12-11-warnings-forecast-target": warningsForecastTarget,
  "2026-12-12-forecast-payment-windows": forecastPaymentWindows,
  "2026-12-12-provisions-open-run-issue-dates": provisionsOpenRunIssueDates,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};

import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const app = fileURLToPath(new URL("./app", import.meta.url));
const alias = { "~": app };

// Browser tests need Debian's Chromium; without it they fail loudly unless explicitly skipped.
const skipBrowser = process.env.SKIP_BROWSER_TESTS === "1";
if (skipBrowser) console.warn("SKIP_BROWSER_TESTS=1: the browser (e2e) tests are not run.");

// The integration tests run again on PostgreSQL, on a private server the run starts (Debian's
// postgresql package); without it they fail loudly unless explicitly skipped.
const skipPostgres = process.env.SKIP_POSTGRES_TESTS === "1";
if (skipPostgres) console.warn("SKIP_POSTGRES_TESTS=1: the integration tests are not run on PostgreSQL.");

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/setup/business-date.ts", "tests/setup/fail-on-console-error.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          setupFiles: ["tests/setup/business-date.ts", "tests/setup/fail-on-console-error.ts", "tests/setup/integration-db.ts"],
          testTimeout: 30_000,
          // A file's beforeAll imports a ledger or seeds the demo: seconds on an idle machine, and
          // past the default 10 s on a loaded 2-core one (CI).
          hookTimeout: 60_000,
        },
      },
      ...(skipPostgres ? [] : [{
        resolve: { alias },
        test: {
          name: "postgres",
          // The integration tests that run on both databases so far, and PostgreSQL's own. The
          // rest still reach SQLite-only parts (an SQLite file opened by the test itself, backups,
          // the export cursor, SQLite functions in some features' SQL); they join as those move.
          include: [
            "tests/postgres/**/*.test.ts",
            "tests/integration/db/cli-forecast.test.ts",
            "tests/integration/db/cli-kpi.test.ts",
            "tests/integration/db/cli-user.test.ts",
            "tests/integration/db/credit-names-migration.test.ts",
            "tests/integration/db/first-start.test.ts",
            "tests/integration/db/plan-dates-migration.test.ts",
            "tests/integration/features/credit/collection-actions/collection-actions.test.ts",
            "tests/integration/features/credit/collection-actions/refusals.test.ts",
            "tests/integration/features/credit/confirmations/confirmations.test.ts",
            "tests/integration/features/credit/confirmations/letters.test.ts",
            "tests/integration/features/credit/grades/grades.test.ts",
            "tests/integration/features/credit/holds/holds-pages.test.ts",
            "tests/integration/features/credit/holds/holds.test.ts",
            "tests/integration/features/credit/kpis.test.ts",
            "tests/integration/features/credit/pages-read-only.test.ts",
            "tests/integration/features/credit/review/opening.test.ts",
            "tests/integration/features/credit/review/review.test.ts",
            "tests/integration/features/credit/review/summary-moves-once.test.ts",
            "tests/integration/features/dashboard/dashboard.test.ts",
            "tests/integration/features/dashboard/top-overdue.test.ts",
            "tests/integration/features/dunning/dunning.test.ts",
            "tests/integration/features/forecast/api.test.ts",
            "tests/integration/features/forecast/frozen.test.ts",
            "tests/integration/features/forecast/page.test.ts",
            "tests/integration/features/forecast/push-make.test.ts",
            "tests/integration/features/forecast/push.test.ts",
            "tests/integration/features/import/web-import-limits.test.ts",
            "tests/integration/features/import/web-import-preview.test.ts",
            "tests/integration/features/import/web-import.test.ts",
            "tests/integration/features/kpi/api.test.ts",
            "tests/integration/features/ledger/customers.test.ts",
            "tests/integration/features/ledger/invoices.test.ts",
            "tests/integration/features/ledger/pages-read-only.test.ts",
            "tests/integration/features/notifications/chat-robots.test.ts",
            "tests/integration/features/notifications/digest.test.ts",
            "tests/integration/features/notifications/events.test.ts",
            "tests/integration/features/notifications/outbox.test.ts",
            "tests/integration/features/notifications/plan-submitted.test.ts",
            "tests/integration/features/notifications/warnings-provisions.test.ts",
            "tests/integration/features/plans/baselines.test.ts",
            "tests/integration/features/plans/board-kept.test.ts",
            "tests/integration/features/plans/figures-scope.test.ts",
            "tests/integration/features/plans/items.test.ts",
            "tests/integration/features/plans/my-tasks.test.ts",
            "tests/integration/features/plans/plan-dates.test.ts",
            "tests/integration/features/plans/plan-forms.test.ts",
            "tests/integration/features/plans/plans-routes.test.ts",
            "tests/integration/features/plans/plans.test.ts",
            "tests/integration/features/plans/read-only-pages.test.ts",
            "tests/integration/features/plans/template.test.ts",
            "tests/integration/features/provisions/api.test.ts",
            "tests/integration/features/provisions/edits.test.ts",
            "tests/integration/features/provisions/exports.test.ts",
            "tests/integration/features/provisions/kpis.test.ts",
            "tests/integration/features/provisions/positions-kept.test.ts",
            "tests/integration/features/provisions/runs.test.ts",
            "tests/integration/features/scoreboard/scoreboard-placeholders.test.ts",
            "tests/integration/features/scoreboard/scoreboard.test.ts",
            "tests/integration/features/scoreboard/scoring.test.ts",
            "tests/integration/features/scoreboard/promises-kept.test.ts",
            "tests/integration/features/settings/installation-settings.test.ts",
            "tests/integration/features/statements/email-letters.test.ts",
            "tests/integration/features/statements/statements.test.ts",
            "tests/integration/features/status-table/export.test.ts",
            "tests/integration/features/status-table/status-kept.test.ts",
            "tests/integration/features/status-table/publications.test.ts",
            "tests/integration/features/users/admin-users.test.ts",
            "tests/integration/features/users/two-factor.test.ts",
            "tests/integration/features/warnings/warnings.test.ts",
            "tests/integration/features/year-review/figures-scope.test.ts",
            "tests/integration/features/year-review/period-report.test.ts",
            "tests/integration/features/year-review/report.test.ts",
            "tests/integration/features/year-review/review-kept.test.ts",
            "tests/integration/features/year-review/year-review.test.ts",
            "tests/integration/server/api-tokens.test.ts",
            "tests/integration/server/auth-one-lookup.test.ts",
            "tests/integration/server/auth.test.ts",
            "tests/integration/server/built-in-text.test.ts",
            "tests/integration/server/db-backup.test.ts",
            "tests/integration/server/document-cache.test.ts",
            "tests/integration/server/export-format.test.ts",
            "tests/integration/server/generation-cache.test.ts",
            "tests/integration/server/http.test.ts",
            "tests/integration/server/openapi.test.ts",
            "tests/integration/server/tls-proxy.test.ts",
            "tests/integration/server/web-concurrency.test.ts",
          ],
          environment: "node",
          globalSetup: ["tests/setup/postgres-global-setup.ts"],
          setupFiles: ["tests/setup/business-date.ts", "tests/setup/fail-on-console-error.ts", "tests/setup/integration-postgres.ts"],
          testTimeout: 30_000,
          // A ledger imported in a beforeAll goes statement by statement to the server (README, PostgreSQL).
          hookTimeout: 60_000,
        },
      }]),
      ...(skipBrowser ? [] : [{
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/setup/e2e-global-setup.ts"],
          setupFiles: ["tests/setup/e2e-english-demo.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // A poll that waits on a full page round trip (a language switch, a form post) gets more
          // than the default second: a loaded 2-core machine answers in seconds, not milliseconds.
          expect: { poll: { timeout: 10_000 } },
          fileParallelism: false,
        },
      }]),
    ],
  },
});

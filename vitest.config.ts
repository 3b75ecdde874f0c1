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
        },
      },
      ...(skipPostgres ? [] : [{
        resolve: { alias },
        test: {
          name: "postgres",
          // The integration tests that run on both databases so far, and PostgreSQL's own. The
          // rest import a ledger, whose writer, KPI summaries and status positions still work on
          // the SQLite file (README, PostgreSQL); they join this list as those parts move.
          include: [
            "tests/postgres/**/*.test.ts",
            "tests/integration/features/users/two-factor.test.ts",
            "tests/integration/features/users/admin-users.test.ts",
            "tests/integration/server/auth.test.ts",
            "tests/integration/server/api-tokens.test.ts",
            "tests/integration/features/plans/template.test.ts",
            "tests/integration/features/credit/grades/grades.test.ts",
            "tests/integration/features/settings/installation-settings.test.ts",
          ],
          environment: "node",
          globalSetup: ["tests/setup/postgres-global-setup.ts"],
          setupFiles: ["tests/setup/business-date.ts", "tests/setup/fail-on-console-error.ts", "tests/setup/integration-postgres.ts"],
          testTimeout: 30_000,
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
